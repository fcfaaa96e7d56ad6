#!/usr/bin/env bash
# The main job on the bundled example: build examples/engine into a shared
# library with toolchain A (rustup stable 1.95), build examples/game against
# its facade with toolchain B (Debian's rustc 1.85) and the two mods in
# examples/mods with toolchain C (rustup nightly), then run the game, which
# loads both mods into its world.
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
echo
echo "== examples/mods built by rustup nightly against the same facade"
nightly=$(rustup which --toolchain nightly rustc)
for m in spawner chaos; do
  RUSTC=$nightly RUSTDOC=$(dirname "$nightly")/rustdoc "$(dirname "$nightly")/cargo" build --offline --quiet \
    --manifest-path "examples/mods/$m/Cargo.toml" --target-dir build/example-work/mods-target
done
echo
echo "== the game, with both mods (panic messages on stderr are hidden here)"
RUST_BACKTRACE=0 build/example-work/game-target/debug/game \
  build/example-work/mods-target/debug/libmod_spawner.so \
  build/example-work/mods-target/debug/libmod_chaos.so 2>/dev/null
