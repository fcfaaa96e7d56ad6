#!/usr/bin/env bash
# Runs the reader benchmark on regex and tokio, generating their rustdoc JSON once.
# Usage: bench/run_reader_bench.sh [--bench BIN] [--work-dir DIR] [reader_bench options]
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bench="$root/build/bench/reader_bench"
work="${RDYLIB_BENCH_WORK:-$root/build/bench-work}"
args=()
while (($#)); do
  case "$1" in
    --bench) bench="$2"; shift 2 ;;
    --work-dir) work="$2"; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done

if [[ ! -x "$bench" ]]; then
  echo "error: $bench is not built; run: ninja -C $root/build" >&2
  exit 2
fi
exec "$bench" --work-dir "$work" "${args[@]}"
