#!/usr/bin/env bash
# End-to-end checks of rdylib's command line: outputs, exit codes and the
# exact diagnostics for bad input.
set -u
rdylib=$1
work=$2
rm -rf "$work" && mkdir -p "$work"
fixture=$(cd "$(dirname "$0")/../fixtures/api_fixture" && pwd)
passed=0
failed=0

check() {  # check NAME EXPECTED_RC EXPECTED_STDERR_SUBSTRING CMD...
  local name=$1 want_rc=$2 want_err=$3
  shift 3
  "$@" >"$work/out" 2>"$work/err"
  local rc=$?
  if [[ $rc -ne $want_rc ]] || { [[ -n $want_err ]] && ! grep -qF -- "$want_err" "$work/err"; }; then
    echo "FAIL $name: exit $rc (want $want_rc); stderr:"
    sed 's/^/  /' "$work/err"
    failed=$((failed + 1))
  else
    echo "ok   $name"
    passed=$((passed + 1))
  fi
}

expect_stdout() {  # expect_stdout NAME FIXED_STRING
  if grep -qF -- "$2" "$work/out"; then
    echo "ok   $1"
    passed=$((passed + 1))
  else
    echo "FAIL $1: stdout lacks: $2"
    failed=$((failed + 1))
  fi
}

check toolchains 0 "" "$rdylib" toolchains
expect_stdout "toolchains lists 1.95 with format 57" "1.95.0           57"
expect_stdout "toolchains lists 1.85 with format 37" "1.85.0           37"

check api-stable 0 "" "$rdylib" api "$fixture" --toolchain stable --save-json "$work/fixture.json"
expect_stdout "api prints qualified signatures" \
  "fn api_fixture::parse_level(s: &str) -> api_fixture::Result<api_fixture::Level>"
check api-json 0 "" "$rdylib" api "$fixture" --toolchain /usr/bin/rustc --json
expect_stdout "api --json prints items" '"path": "api_fixture::Level::High"'

check probe 0 "" "$rdylib" probe "$fixture" --compare-with /usr/bin/rustc
expect_stdout "probe measures a repr(C) struct" "api_fixture::Point: size 16, align 8, .x@0, .y@8"
expect_stdout "probe compares std facts" "std layout facts agree between rustc 1.95."

# The fixture's facade (macros, aliases, consts, enums with data) compiles
# with the other toolchain, without warnings.
check build-fixture 0 "" "$rdylib" build "$fixture" --toolchain stable --out "$work/dist"
if RUSTC=/usr/bin/rustc /usr/bin/cargo build --offline --quiet \
    --manifest-path "$work/dist/api_fixture/facade/Cargo.toml" --target-dir "$work/target" \
    >"$work/facade.log" 2>&1 && ! grep -q warning "$work/facade.log"; then
  echo "ok   fixture facade builds with 1.85 without warnings"
  passed=$((passed + 1))
else
  echo "FAIL fixture facade build:"; cat "$work/facade.log"
  failed=$((failed + 1))
fi

# Bad input: exit code 2 and a diagnostic that says what and where.
head -c 1000 "$work/fixture.json" >"$work/truncated.json"
check truncated-json 2 "truncated.json: error: not valid JSON:" \
  "$rdylib" api --from-json "$work/truncated.json"
sed 's/"format_version":57/"format_version":12/' "$work/fixture.json" >"$work/old.json"
check unknown-format 2 "error: rustdoc JSON format version 12 is not supported (supported: 37, 57)" \
  "$rdylib" api --from-json "$work/old.json"
check unknown-toolchain 2 "error: unknown toolchain 'banana'" \
  "$rdylib" api "$fixture" --toolchain banana
check not-a-crate 2 "error: no Cargo.toml in this directory" "$rdylib" api "$work"
check unknown-feature 2 "error: package 'api-fixture' has no feature 'nope'" \
  "$rdylib" api "$fixture" --features nope
check no-subcommand 2 "A subcommand is required" "$rdylib"

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
