#!/usr/bin/env bash
# Builds CRATE_DIR with rdylib (library toolchain A), then a program that names
# every path the report lists as crossing, built against the facade by
# toolchain B. Passes when that program compiles: the report's claims hold.
# usage: paths_resolve.sh RDYLIB WORK CRATE_DIR A B
set -u
rdylib=$1 work=$2 crate_dir=$3 lib_tc=$4 user_tc=$5
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work" && mkdir -p "$work/paths/src"
"$rdylib" build "$crate_dir" --toolchain "$lib_tc" --out "$work/dist" >"$work/build.log" 2>&1 ||
  { cat "$work/build.log"; exit 1; }
# The crate's own dist directory (dependency facades may sit beside it).
dist=$(sed -n 's/^built [^ ]* with .*: \(.*\)$/\1/p' "$work/build.log")/
lib=$(basename "$dist")
rustc=$user_tc
[[ $user_tc == /* ]] || rustc=$(rustup which --toolchain "$user_tc" rustc)
printf '[package]\nname = "paths"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n%s = { path = "%s" }\n\n[workspace]\n' \
  "$lib" "${dist}facade" >"$work/paths/Cargo.toml"
python3 "$here/paths_check.py" "${dist}report.json" >"$work/paths/src/main.rs"
if env RUSTC="$rustc" RUSTDOC="$(dirname "$rustc")/rustdoc" "$(dirname "$rustc")/cargo" build --offline \
    --manifest-path "$work/paths/Cargo.toml" --target-dir "$work/target" >"$work/paths.log" 2>&1; then
  echo "ok: $(grep -c '' "$work/paths/src/main.rs") lines naming every crossing path of $lib resolve"
else
  grep -A8 '^error' "$work/paths.log" | head -80
  exit 1
fi
