#!/usr/bin/env bash
# `rdylib conformance` must fail when the crate's own tests fail: on
# tests/fixtures/failing_tests (two targets with failures, one passing) it
# must exit 1, name the failed test and the aborted target, and count the
# test that never reported as failed.
set -u
rdylib=$1
work=$2
repo=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf "$work" && mkdir -p "$work"
"$rdylib" conformance "$repo/tests/fixtures/failing_tests" --lib-toolchain stable \
  --test-toolchain /usr/bin/rustc >"$work/out.txt" 2>"$work/err.txt"
rc=$?
cat "$work/out.txt"
# The first line names the toolchains' versions, which change with updates.
expected="failed: aborting (the test binary stopped before its summary: signal: 6, SIGABRT: process abort signal; 1 of its 1 tests did not report)
failed: expects_the_wrong_value
3 passed, 2 failed"
failed=0
if [[ $rc -ne 1 ]]; then
  echo "FAIL: exit status $rc, want 1"; cat "$work/err.txt"; failed=1
fi
if ! head -1 "$work/out.txt" | grep -qx 'library: failing_tests built by stable (.*); tests built by /usr/bin/rustc (.*)'; then
  echo "FAIL: first line"; failed=1
fi
if ! diff -u <(echo "$expected") <(tail -n +2 "$work/out.txt"); then
  echo "FAIL: output differs"; failed=1
fi
[[ $failed -eq 0 ]] && echo "ok: rdylib conformance exits 1 and names every failure"
exit $failed
