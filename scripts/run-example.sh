#!/usr/bin/env bash
# The main job on the bundled example: build examples/engine into a shared
# library with toolchain A (rustup stable 1.95), then build and run
# examples/game against its facade with toolchain B (Debian's rustc 1.85).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
bash scripts/build.sh
export RDYLIB_WORK=${RDYLIB_WORK:-$PWD/build/example-work}
echo "== rdylib toolchains"
build/rdylib toolchains
echo
echo "== rdylib build examples/engine --toolchain stable --out build/example-dist"
build/rdylib build examples/engine --toolchain stable --out build/example-dist
echo
echo "== examples/game built by /usr/bin/rustc (1.85) against the facade"
RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc /usr/bin/cargo build --offline --quiet \
  --manifest-path examples/game/Cargo.toml --target-dir build/example-work/game-target
RUST_BACKTRACE=0 build/example-work/game-target/debug/game 2>/dev/null
