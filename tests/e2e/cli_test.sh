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

expect_stderr() {  # expect_stderr NAME FIXED_STRING: the last command's stderr has it
  if grep -qF -- "$2" "$work/err"; then
    echo "ok   $1"
    passed=$((passed + 1))
  else
    echo "FAIL $1: stderr lacks: $2"
    sed 's/^/  /' "$work/err"
    failed=$((failed + 1))
  fi
}

expect_stderr_lacks() {  # expect_stderr_lacks NAME FIXED_STRING
  if grep -qF -- "$2" "$work/err"; then
    echo "FAIL $1: stderr has: $2"
    failed=$((failed + 1))
  else
    echo "ok   $1"
    passed=$((passed + 1))
  fi
}

# new_crate DIR NAME LIB_RS [DEPENDENCIES]: a library crate of its own workspace.
new_crate() {
  mkdir -p "$1/src"
  printf '[package]\nname = "%s"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n%s\n\n[workspace]\n' \
    "$2" "${4:-}" >"$1/Cargo.toml"
  printf '%s' "$3" >"$1/src/lib.rs"
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
check build-needs-out 2 "--out is required" "$rdylib" build "$fixture"

# A crate that does not compile: rdylib says so, with rustc's error at the
# crate's file and line, and does not blame itself. A type error in a body
# passes rustdoc and stops the layout probe; one in a signature stops rustdoc.
new_crate "$work/badbody" badbody $'pub fn f() -> u32 {\n    "x"\n}\n'
check crate-does-not-compile 2 \
  "$work/badbody/src/lib.rs:2:5: error: the crate \`badbody\` does not compile with stable (1." \
  "$rdylib" build "$work/badbody" --out "$work/dist"
expect_stderr "the error is rustc's" "expected \`u32\`, found \`&str\`"
expect_stderr "the hint says whose code it is" \
  "hint: the errors are in the crate's own code, not in code rdylib generated: fix them and run rdylib again"
expect_stderr_lacks "rdylib does not blame itself" "bug in rdylib"
new_crate "$work/badsig" badsig $'pub fn f() -> NoSuchType {\n    todo!()\n}\n'
check rustdoc-fails-on-crate 2 \
  "$work/badsig/src/lib.rs:1:15: error: the crate \`badsig\` does not compile with /usr/bin/rustc (1.85" \
  "$rdylib" build "$work/badsig" --out "$work/dist" --toolchain /usr/bin/rustc
expect_stderr "rustdoc's error" "cannot find type \`NoSuchType\` in this scope"
expect_stderr_lacks "rdylib does not blame itself (rustdoc)" "bug in rdylib"

# A library with its own #[global_allocator]: the shim's System allocator
# conflicts with it (a compiler error in the shim, not a bug), so the shim is
# built without, and rdylib says what that means.
new_crate "$work/ownalloc" ownalloc \
  $'#[global_allocator]\nstatic A: std::alloc::System = std::alloc::System;\n\npub fn f() -> u32 {\n    1\n}\n'
check own-allocator-library 0 "" "$rdylib" build "$work/ownalloc" --out "$work/dist"
expect_stdout "own allocator: buffers are copied" \
  "note: the library declares its own #[global_allocator]: owned buffers are copied at"

# --out and the work directory inside a project whose own .cargo/config.toml
# replaces crates.io with the same registry under another name (cargo merges
# the configs of parent directories): every workspace rdylib generates must
# still build, and so must a program of the project that uses the facade.
project=$work/project
mkdir -p "$project/.cargo"
printf '[source.crates-io]\nreplace-with = "debian"\n\n[source.debian]\ndirectory = "/usr/share/cargo/registry"\n' \
  >"$project/.cargo/config.toml"
new_crate "$project/pick" pick \
  $'pub fn pick(left: bool) -> u32 {\n    either::Either::<u32, u32>::Left(if left { 1 } else { 2 }).into_inner()\n}\n' \
  'either = "1"'
check out-inside-project 0 "" env RDYLIB_WORK="$project/work" \
  "$rdylib" build "$project/pick" --out "$project/dist"
check out-and-work-dir-inside-project-185 0 "" \
  "$rdylib" build "$project/pick" --out "$project/dist-185" --work-dir "$project/work-185" \
  --toolchain /usr/bin/rustc
mkdir -p "$project/app/src"
printf '[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\npick = { path = "../dist-185/pick/facade" }\n' \
  >"$project/app/Cargo.toml"
printf 'fn main() {\n    println!("{}", pick::pick(true) * 10 + pick::pick(false));\n}\n' >"$project/app/src/main.rs"
printf '[workspace]\nmembers = ["app"]\nresolver = "2"\n' >"$project/Cargo.toml"
if (cd "$project" && RUSTC=$(rustup which --toolchain stable rustc) \
    "$(dirname "$(rustup which --toolchain stable rustc)")/cargo" run --offline --quiet \
    --target-dir "$work/target" -p app) >"$work/out" 2>"$work/err" && [[ $(cat "$work/out") == 12 ]]; then
  echo "ok   the project's program runs the facade (library by 1.85, program by stable)"
  passed=$((passed + 1))
else
  echo "FAIL the project's program:"; cat "$work/out" "$work/err"
  failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
