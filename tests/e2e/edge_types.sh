#!/usr/bin/env bash
# End-to-end: shapes of types from real crates (zero-sized and uninhabited
# enums, unsized structs). The facade of tests/fixtures/edge_types must build
# with the other toolchain without warnings and behave as the crate linked
# natively (output equal to edge_types_expected.txt), in both directions; the
# report must list each unsized type and its methods as unsupported, with
# the reason.
set -u
rdylib=$1
work=$2
repo=$(cd "$(dirname "$0")/../.." && pwd)
expected=$repo/tests/e2e/edge_types_expected.txt
rm -rf "$work" && mkdir -p "$work"
cp -r "$repo/tests/fixtures/edge_types" "$work/native"
sed -i 's|^name = "edge_types"|name = "edge_types_native"|' "$work/native/Cargo.toml"
export RUST_BACKTRACE=0
passed=0
failed=0
ok() { echo "ok   $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; failed=$((failed + 1)); }

cargo_for() {
  local rustc=$1
  [[ $1 == /* ]] || rustc=$(rustup which --toolchain "$1" rustc)
  echo "env RUSTC=$rustc RUSTDOC=$(dirname "$rustc")/rustdoc $(dirname "$rustc")/cargo"
}

# The report lines that must be there, exactly.
unsized="unsized type: only reachable behind a pointer, which does not cross yet"
report_lines=(
  "| unsupported | struct \`edge_types::UninitSlice\` | $unsized |"
  "| unsupported | struct \`edge_types::Label\` | $unsized |"
  "| unsupported | struct \`edge_types::Bytes\` | $unsized |"
  "| unsupported | struct \`edge_types::Callback\` | $unsized |"
  "| unsupported | struct \`edge_types::Framed\` | $unsized |"
  "| unsupported | method \`edge_types::UninitSlice::new\` |"
  "| unsupported | method \`edge_types::UninitSlice::len\` |"
  "| unsupported | method \`edge_types::UninitSlice::is_empty\` |"
  "| unsupported | method \`edge_types::Label::text\` |"
  "| unsupported | function \`edge_types::bytes_len\` |"
  "| exported | enum \`edge_types::Only\` |"
  "| exported | enum \`edge_types::Seven\` |"
  "| exported | enum \`edge_types::Tagged\` |"
  "| converted | enum \`edge_types::Never\` | an enum without variants: the facade has its own; no value of it exists |"
  "| unsupported | method \`edge_types::Never::absurd\` | an enum without variants has no value to call this method on |"
  "| converted | enum \`edge_types::Marker\` | an enum without variants: the facade has its own; no value of it exists |"
  "| unsupported | enum \`edge_types::Guarded\` | an enum with data that implements Drop: its fields cannot be moved into a wire form |"
  "| unsupported | enum \`edge_types::Aaa\` | variant Holds: edge_types::Zzz does not cross |"
  "| unsupported | variant \`edge_types::Aaa::Nothing\` | its enum does not cross |"
)

# direction NAME LIB_TOOLCHAIN USER_TOOLCHAIN
direction() {
  local name=$1 lib_tc=$2 user_tc=$3
  local dist=$work/dist-$name user=$work/user-$name
  if ! "$rdylib" build "$repo/tests/fixtures/edge_types" --toolchain "$lib_tc" --out "$dist" \
      >"$work/$name-build.log" 2>&1; then
    fail "$name: rdylib build with $lib_tc"; cat "$work/$name-build.log"; return
  fi
  ok "$name: rdylib build with $lib_tc"
  local missing=0 line
  for line in "${report_lines[@]}"; do
    if ! grep -qF -- "$line" "$dist/edge_types/report.md"; then
      echo "  report lacks: $line"; missing=1
    fi
  done
  if [[ $missing -eq 0 ]]; then
    ok "$name: the report lists the unsized types and their methods as unsupported, with the reason"
  else
    fail "$name: report"
  fi
  if $(cargo_for "$lib_tc") build --offline --release --lib --manifest-path "$dist/edge_types/shim/Cargo.toml" \
      --target-dir "$work/shim-target-$name" >"$work/$name-shim.log" 2>&1 &&
      ! grep -q '^warning' "$work/$name-shim.log"; then
    ok "$name: the shim builds with $lib_tc, no warnings"
  else
    fail "$name: shim"; grep -A8 '^warning\|^error' "$work/$name-shim.log" | head -40
  fi
  cp -r "$repo/tests/fixtures/edge_types_user" "$user"
  sed -i "s|path = \"FACADE\"|path = \"$dist/edge_types/facade\"|; s|path = \"NATIVE\"|path = \"$work/native\"|" \
    "$user/Cargo.toml"
  if ! $(cargo_for "$user_tc") build --offline --manifest-path "$user/Cargo.toml" \
      --target-dir "$work/target-$name" >"$work/$name-user.log" 2>&1; then
    fail "$name: the facade and its checker build with $user_tc"
    grep -A12 '^error' "$work/$name-user.log" | head -80; return
  fi
  if grep -q '^warning' "$work/$name-user.log"; then
    fail "$name: facade warnings"; grep -A8 '^warning' "$work/$name-user.log" | head -40
  else
    ok "$name: the facade and its checker build with $user_tc, no warnings"
  fi
  local exe=$work/target-$name/debug/edge_types_user
  "$exe" >"$work/$name-out.txt" 2>"$work/$name-err.txt"
  local rc=$?
  if [[ $rc -eq 0 ]] && diff -u "$expected" "$work/$name-out.txt"; then
    ok "$name: $(grep -c '^ok' "$work/$name-out.txt") checks give the native results"
  else
    fail "$name: checks (exit $rc)"; grep -v '^ok' "$work/$name-out.txt"; tail -5 "$work/$name-err.txt"
  fi
  if valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
      "$exe" >/dev/null 2>"$work/$name-valgrind.txt"; then
    ok "$name: valgrind finds no invalid access and no definite leak"
  else
    fail "$name: valgrind"; head -40 "$work/$name-valgrind.txt"
  fi
}

direction a stable /usr/bin/rustc
direction b /usr/bin/rustc stable

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
