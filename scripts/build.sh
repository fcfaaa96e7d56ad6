#!/usr/bin/env bash
# Configures and builds rdylib in build/ (after the bootstrap installed what it needs).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C build
