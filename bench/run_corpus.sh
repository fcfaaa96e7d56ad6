#!/usr/bin/env bash
# The corpus run: `rdylib build` (library by rustup's stable) of every crate in
# bench/corpus-crates.txt, then a consumer built by Debian's 1.85 against each
# facade (a binary crate that depends on it and names it). Prints, per crate,
# whether the facade builds for the consumer and the share of its public
# items that cross (the report's items less its unsupported ones), then the
# totals. Exits non-zero when a facade does not build. Not a ctest test: it
# takes long (`ninja bench_corpus`).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
rdylib=${1:-$repo/build/rdylib}
work=${2:-$repo/build/bench-work/corpus}
lib_tc=${LIB_TOOLCHAIN:-stable}
registry=/usr/share/cargo/registry
cargo185="env RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc /usr/bin/cargo"
mkdir -p "$work"
export RDYLIB_WORK=${RDYLIB_WORK:-$work/rdylib-work}
mapfile -t crates < <(grep -v '^#' "$here/corpus-crates.txt" | grep -v '^$')

built=0
broken=0
all_items=0
all_cross=0
printf '%-28s %-8s %7s %7s %8s\n' crate facade items cross share
for line in "${crates[@]}"; do
  read -r c options <<<"$line"
  out=$work/$c
  rm -rf "$out" && mkdir -p "$out"
  if [[ ! -d $registry/$c ]]; then
    printf '%-28s %-8s (not in %s)\n' "$c" missing "$registry"; broken=$((broken + 1)); continue
  fi
  # shellcheck disable=SC2086  # the options are words
  if ! "$rdylib" build "$registry/$c" --toolchain "$lib_tc" --out "$out/dist" $options >"$out/build.log" 2>&1; then
    printf '%-28s %-8s (rdylib build failed: %s)\n' "$c" FAIL "$out/build.log"; broken=$((broken + 1)); continue
  fi
  dist=$(sed -n 's/^built [^ ]* with .*: \(.*\)$/\1/p' "$out/build.log")
  lib=$(sed -n 's/^name = "\(.*\)"$/\1/p' "$dist/facade/Cargo.toml" | head -1)
  # Totals line: "N items: a exported (x%), ..., u unsupported (z%)."
  totals=$(grep -m1 '^[0-9]* items:' "$dist/report.md")
  items=$(sed -n 's/^\([0-9]*\) items:.*/\1/p' <<<"$totals")
  unsupported=$(grep -o '[0-9]* unsupported' <<<"$totals" | grep -o '[0-9]*' || true)
  cross=$((items - ${unsupported:-0}))
  # The consumer: a 1.85 binary that links the facade (and its library).
  user=$out/user
  mkdir -p "$user/src"
  printf '[package]\nname = "corpus_user"\nversion = "0.1.0"\nedition = "2021"\npublish = false\n\n[dependencies]\n%s = { path = "%s" }\n\n[workspace]\n' \
    "$lib" "$dist/facade" >"$user/Cargo.toml"
  printf 'use %s as _;\n\nfn main() {\n    println!("linked %s");\n}\n' "$(tr - _ <<<"$lib")" "$lib" >"$user/src/main.rs"
  if (cd "$user" && $cargo185 build --offline --target-dir "$work/target" >"$out/consumer.log" 2>&1) &&
      "$work/target/debug/corpus_user" >/dev/null 2>&1; then
    status=ok; built=$((built + 1))
  else
    status=FAIL; broken=$((broken + 1))
  fi
  share=$(awk -v c="$cross" -v n="$items" 'BEGIN { printf "%.1f%%", n ? 100 * c / n : 100 }')
  printf '%-28s %-8s %7d %7d %8s\n' "$c" "$status" "$items" "$cross" "$share"
  all_items=$((all_items + items))
  all_cross=$((all_cross + cross))
done
share=$(awk -v c="$all_cross" -v n="$all_items" 'BEGIN { printf "%.1f%%", n ? 100 * c / n : 100 }')
echo "crates: ${#crates[@]}, facades that build for 1.85: $built, broken: $broken"
echo "items: $all_items, cross: $all_cross ($share)"
[[ $broken -eq 0 ]]
