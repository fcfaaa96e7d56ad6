#!/usr/bin/env bash
# Each golden Rust file must be exactly as rustfmt prints it. Formatting from
# stdin checks the file alone, without rustfmt following its `mod` items.
set -u
rustfmt=$1
shift
failed=0
for f in "$@"; do
  if "$rustfmt" --edition 2021 <"$f" | diff -u "$f" - >/dev/null; then
    echo "ok   $f"
  else
    echo "FAIL $f is not rustfmt-clean:"
    "$rustfmt" --edition 2021 <"$f" | diff -u "$f" - | head -40
    failed=$((failed + 1))
  fi
done
echo "$(($# - failed)) passed, $failed failed"
[[ $failed -eq 0 ]]
