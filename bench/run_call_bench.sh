#!/usr/bin/env bash
# Call overhead: a trivial method, a &str round trip and an owned String
# round trip, through rdylib's facade and linked statically, both built in
# release by rustup's stable. Prints ns per call (best of 5 runs of 5M
# calls), the ratio, and what the shim's panic guard costs per call.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
rdylib=${1:-$here/../build/rdylib}
work=${2:-$here/../build/bench-work/calls}
mkdir -p "$work"
rustc=$(rustup which --toolchain stable rustc)
cargo="env RUSTC=$rustc $(dirname "$rustc")/cargo"
"$rdylib" build "$here/callbench" --toolchain stable --out "$work/dist" >/dev/null
for kind in static facade; do
  dir=$work/consumer-$kind
  rm -rf "$dir" && cp -r "$here/callbench-consumer" "$dir"
  if [[ $kind == static ]]; then path=$here/callbench; else path=$work/dist/callbench/facade; fi
  sed -i "s|CALLBENCH_PATH|$path|" "$dir/Cargo.toml"
  $cargo build --offline --quiet --release --manifest-path "$dir/Cargo.toml" \
    --target-dir "$work/target-$kind"
  read -r _ m _ s _ o _ g < <("$work/target-$kind/release/callbench-consumer")
  eval "${kind}_method=$m ${kind}_str=$s ${kind}_string=$o guard=$g"
done
printf '%-28s %10s %10s %8s\n' "call" "static ns" "facade ns" "ratio"
printf '%-28s %10s %10s %8.1f\n' "Counter::bump(&mut self)" "$static_method" "$facade_method" \
  "$(echo "$facade_method / $static_method" | bc -l)"
printf '%-28s %10s %10s %8.1f\n' "first_word(&str) -> &str" "$static_str" "$facade_str" \
  "$(echo "$facade_str / $static_str" | bc -l)"
printf '%-28s %10s %10s %8.1f\n' "shout(String) -> String" "$static_string" "$facade_string" \
  "$(echo "$facade_string / $static_string" | bc -l)"
echo "the panic guard (thread-local flag + catch_unwind) costs $guard ns per call"
