#!/usr/bin/env bash
# Usage: expect_line.sh LINE COMMAND [ARGS...]
# Runs COMMAND, shows its output, and passes only when it exits 0 AND one line
# of its stdout is exactly LINE (not a substring: "132 passed" is not "32
# passed"). ctest's PASS_REGULAR_EXPRESSION alone would ignore the exit status.
set -u
line=$1
shift
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$@" >"$out"
rc=$?
cat "$out"
if [[ $rc -ne 0 ]]; then
  echo "expect_line: the command exited with status $rc" >&2
  exit 1
fi
if ! grep -qFx -- "$line" "$out"; then
  echo "expect_line: no line of its output is exactly: $line" >&2
  exit 1
fi
