#!/usr/bin/env bash
# Runs every test: bootstrap, build, then ctest (unit, golden and end-to-end).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
bash scripts/build.sh
cd build
ctest --output-on-failure -j"$(nproc)"
