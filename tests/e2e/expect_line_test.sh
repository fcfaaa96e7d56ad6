#!/usr/bin/env bash
# Tests expect_line.sh: it passes only on exit 0 with the exact line.
set -u
script=$(dirname "$0")/expect_line.sh
failed=0
# check WANT_RC DESCRIPTION COMMAND...: expect_line.sh on COMMAND exits WANT_RC.
check() {
  local want=$1 what=$2
  shift 2
  bash "$script" "32 passed, 0 failed" "$@" >/dev/null 2>&1
  local rc=$?
  if [[ $rc -eq $want ]]; then echo "ok   $what"; else echo "FAIL $what (exit $rc)"; failed=1; fi
}
check 0 "exit 0 and the exact line" sh -c 'echo x; echo "32 passed, 0 failed"; echo y'
check 1 "the line but a non-zero exit" sh -c 'echo "32 passed, 0 failed"; exit 1'
check 1 "exit 0 without the line" sh -c 'echo "31 passed, 0 failed"'
check 1 "the line only as part of a longer one" sh -c 'echo "132 passed, 0 failed"'
check 1 "the line only on stderr" sh -c 'echo "32 passed, 0 failed" >&2'
check 1 "a command that cannot run" /nonexistent/rdylib
exit $failed
