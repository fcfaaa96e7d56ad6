#!/usr/bin/env bash
# The main job on the bundled example, as far as the pipeline exists today:
# find the toolchains, then extract and read examples/engine's public API with
# toolchain A (rustup stable 1.95) and toolchain B (Debian's rustc 1.85), then
# measure its layouts with A and check the std layout facts agree with B.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
bash scripts/build.sh
export RDYLIB_WORK=${RDYLIB_WORK:-$PWD/build/example-work}
echo "== rdylib toolchains"
build/rdylib toolchains
for tc in stable /usr/bin/rustc; do
  echo
  echo "== rdylib api examples/engine --toolchain $tc"
  build/rdylib api examples/engine --toolchain "$tc"
done
echo
echo "== rdylib probe examples/engine --toolchain stable --compare-with /usr/bin/rustc"
build/rdylib probe examples/engine --toolchain stable --compare-with /usr/bin/rustc
