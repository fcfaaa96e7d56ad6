#!/usr/bin/env bash
# End-to-end: closures and erased generic functions (docs/ABI.md, "Closures"
# and "Erasure"). closures_lib is built by one rustc and closures_user (which
# links the facade and, for comparison, the crate natively) by the other, in
# both directions. The facade run must print exactly what the same program
# built natively prints (stdout and stderr, same_output.sh), the native
# stdout must equal closures_expected.txt (the reviewed list of checks), the
# generated crates must build without warnings, the program must pass under
# valgrind, and the report must mark every erased item and give the reason
# for each generic item it cannot erase.
set -u
rdylib=$1
work=$2
repo=$(cd "$(dirname "$0")/../.." && pwd)
expected=$repo/tests/e2e/closures_expected.txt
rm -rf "$work" && mkdir -p "$work"
cp -r "$repo/tests/fixtures/closures_lib" "$work/native"
sed -i 's|^name = "closures_lib"|name = "closures_lib_native"|' "$work/native/Cargo.toml"
export RUST_BACKTRACE=0
# shellcheck source=same_output.sh
source "$repo/tests/e2e/same_output.sh"
passed=0
failed=0
ok() { echo "ok   $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; failed=$((failed + 1)); }

cargo_for() {
  local rustc=$1
  [[ $1 == /* ]] || rustc=$(rustup which --toolchain "$1" rustc)
  echo "env RUSTC=$rustc RUSTDOC=$(dirname "$rustc")/rustdoc $(dirname "$rustc")/cargo"
}

# user_program DIR DEPENDENCY: a copy of closures_user whose `closures_lib`
# is DEPENDENCY (a facade, or the real crate for the native run).
user_program() {
  cp -r "$repo/tests/fixtures/closures_user" "$1"
  sed -i "s|path = \"FACADE\"|path = \"$2\"|; s|path = \"NATIVE\"|path = \"$work/native\"|" "$1/Cargo.toml"
}

direction() {
  local name=$1 lib_tc=$2 user_tc=$3
  local dist=$work/dist-$name user=$work/user-$name native=$work/native-user-$name
  if ! "$rdylib" build "$repo/tests/fixtures/closures_lib" --toolchain "$lib_tc" --out "$dist" \
      >"$work/$name-build.log" 2>&1; then
    fail "$name: rdylib build with $lib_tc"; cat "$work/$name-build.log"; return
  fi
  ok "$name: rdylib build with $lib_tc"
  if $(cargo_for "$lib_tc") build --offline --release --lib --manifest-path "$dist/closures_lib/shim/Cargo.toml" \
      --target-dir "$work/shim-target-$name" >"$work/$name-shim.log" 2>&1 &&
      ! grep -q '^warning' "$work/$name-shim.log"; then
    ok "$name: the shim builds with $lib_tc, no warnings"
  else
    fail "$name: shim warnings"; grep -A5 '^warning\|^error' "$work/$name-shim.log" | head -40
  fi
  user_program "$user" "$dist/closures_lib/facade"
  if ! $(cargo_for "$user_tc") build --offline --manifest-path "$user/Cargo.toml" \
      --target-dir "$work/target-$name" >"$work/$name-user.log" 2>&1; then
    fail "$name: the program builds with $user_tc"; grep -A12 '^error' "$work/$name-user.log" | head -80; return
  fi
  if grep -q '^warning' "$work/$name-user.log"; then
    fail "$name: facade builds without warnings"; grep -A5 '^warning' "$work/$name-user.log" | head -40
  else
    ok "$name: program and facade build with $user_tc, no warnings"
  fi
  user_program "$native" "$repo/tests/fixtures/closures_lib"
  if ! $(cargo_for "$user_tc") build --offline --manifest-path "$native/Cargo.toml" \
      --target-dir "$work/native-target-$name" >"$work/$name-native-build.log" 2>&1; then
    fail "$name: the program builds natively with $user_tc"; grep -A12 '^error' "$work/$name-native-build.log" | head -40; return
  fi
  "$work/native-target-$name/debug/closures_user" >"$work/$name-native-out.txt" 2>"$work/$name-native-err.txt"
  local native_rc=$?
  if [[ $native_rc -eq 0 ]] && diff -u "$expected" "$work/$name-native-out.txt"; then
    ok "$name: the native program passes and prints closures_expected.txt"
  else
    fail "$name: native program (exit $native_rc; if the checks changed on purpose, update closures_expected.txt)"
    tail -5 "$work/$name-native-err.txt"; return
  fi
  local exe=$work/target-$name/debug/closures_user
  env -u LD_LIBRARY_PATH "$exe" >"$work/$name-out.txt" 2>"$work/$name-err.txt"
  local rc=$?
  if [[ $rc -eq 0 ]] && same_output "$work/$name-native" "$work/$name"; then
    ok "$name: $(grep -c '^ok' "$work/$name-out.txt") checks pass, output (stdout and stderr) as native"
  else
    fail "$name: checks (exit $rc)"; grep -v '^ok' "$work/$name-out.txt"; tail -5 "$work/$name-err.txt"
  fi
  if valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
      "$exe" >/dev/null 2>"$work/$name-valgrind.txt"; then
    ok "$name: valgrind finds no invalid access and no definite leak"
  else
    fail "$name: valgrind"; grep -v '^thread\|^closure\|^consumer\|^note:\|^$' "$work/$name-valgrind.txt" | head -40
  fi
  # The report: every erased item marked, each refusal with its reason.
  local report=$dist/closures_lib/report.md marked=1 line
  for line in '| erased | function `closures_lib::apply` |' '| erased | method `closures_lib::Counter::update` |' \
      '| erased | function `closures_lib::join_all` |' '| erased | function `closures_lib::store_boxed` |' \
      "| exported | function \`closures_lib::pick\` | generic: the library's body, copied from src/lib.rs:160," \
      "| exported | function \`closures_lib::sum_all\` | generic: the library's body, copied from src/lib.rs:164," \
      "| exported | function \`closures_lib::type_of\` | generic: the library's body, copied from src/lib.rs:168," \
      "| exported | function \`closures_lib::size_of_item\` | generic: the library's body, copied from src/lib.rs:173," \
      "| exported | struct \`closures_lib::Ring\` | generic: the library's definition and impls, copied from src/lib.rs:" \
      "| unsupported | struct \`closures_lib::Tagged\` | types with type or const parameters are not instantiated yet; not copied: it does not compile in the facade: cannot find function \`secret_tag\` in this scope" \
      '| converted | function `closures_lib::greeter` | returns a closure' \
      '| converted | method `closures_lib::Counter::reader` | returns a closure'; do
    if ! grep -qF "$line" "$report"; then marked=0; echo "not in the report: $line"; fi
  done
  [[ $marked -eq 1 ]] && ok "$name: the report marks erased items and gives each refusal's reason" ||
    fail "$name: report"
}

direction a stable /usr/bin/rustc
direction b /usr/bin/rustc stable

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
