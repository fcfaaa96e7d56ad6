#!/usr/bin/env bash
# End-to-end: closed sets. The facade of tests/fixtures/closed_lib, whose
# generic functions, method and blanket impl are instantiated per type of
# the library trait's closed set, must build with the other toolchain
# without warnings and behave as the crate linked natively (closed_user's
# output equal to closed_expected.txt, which also holds the clear panic for
# a consumer type outside the set), in both directions and under valgrind;
# the report must list what is instantiated and what is not, with the reason.
set -u
rdylib=$1
work=$2
repo=$(cd "$(dirname "$0")/../.." && pwd)
expected=$repo/tests/e2e/closed_expected.txt
rm -rf "$work" && mkdir -p "$work"
cp -r "$repo/tests/fixtures/closed_lib" "$work/native"
rm -rf "$work/native/target"
sed -i 's|^name = "closed_lib"|name = "closed_lib_native"|' "$work/native/Cargo.toml"
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
report_lines=(
  "| instantiated | function \`closed_lib::gcd\` | instantiated for i8, i32, u64, closed_lib::Meters (the closed set of T: closed_lib::Number) |"
  "| instantiated | function \`closed_lib::sum\` | instantiated for i8, i32, u64, closed_lib::Meters (the closed set of T: closed_lib::Number) |"
  "| instantiated | function \`closed_lib::largest\` | instantiated for i8, i32, u64, closed_lib::Meters (the closed set of T: closed_lib::Number) |"
  "| instantiated | method \`closed_lib::Counter::spread\` | instantiated for i8, i32, u64, closed_lib::Meters (the closed set of T: closed_lib::Number) |"
  "| instantiated | impl \`<T as closed_lib::Halve>\` | instantiated for i8, i32, u64, closed_lib::Meters (the closed set of T: closed_lib::Number) |"
  "| instantiated | function \`closed_lib::width_of\` | instantiated for u8, u16 (the closed set of T: closed_lib::Width) |"
  "| exported | trait_method \`closed_lib::Step::nth_step\` | provided: the facade's default body is the library's, copied from src/lib.rs:196: a consumer's impl that does not override it runs it, compiled for its own type |"
  "| exported | trait_method \`closed_lib::Step::between\` | provided: the facade's default body is the library's, copied from src/lib.rs:205: a consumer's impl that does not override it runs it, compiled for its own type |"
  "| exported | trait_method \`closed_lib::Step::twice\` | provided: declared without its default body (not copied: it does not compile in the facade: cannot find function \`twice_of\` in this scope), so a consumer's impl must define it |"
  "| exported | trait_method \`closed_lib::Step::pick\` | provided: declared without its default body (not copied: its parameter \`(a, b)\` is a pattern (or a name) the facade's declaration does not keep), so a consumer's impl must define it |"
  "| exported | trait_method \`closed_lib::Step::hops\` | provided: declared without its default body (not copied: it does not compile in the facade: no method named \`hop_count\` found for reference \`&Self\` in the current scope), so a consumer's impl must define it |"
  "| exported | trait_method \`closed_lib::Step::settle\` | provided: declared without its default body (not copied: its MIR differs in the facade (Step::settle: \`_2 = drop::<Self>(move _3) -> [return: bb2, unwind: bb3];\`)), so a consumer's impl must define it |"
  "| unsupported | impl \`<T as closed_lib::Tagged>\` | generic impl, not instantiated: T has only std bounds (core::marker::Copy): its set of types is open |"
  "| exported | function \`closed_lib::first_clone\` | generic: the library's body, copied from src/lib.rs:160, compiled in the consumer for its own types (the same MIR as the library's) |"
  "| instantiated | function \`closed_lib::convert\` | instantiated for each of 16 combinations of i8, i32, u64, closed_lib::Meters (the closed set of A: closed_lib::Number) and i8, i32, u64, closed_lib::Meters (the closed set of B: closed_lib::Number) |"
  "| instantiated | method \`closed_lib::Counter::widen\` | instantiated for each of 8 combinations of i8, i32, u64, closed_lib::Meters (the closed set of N: closed_lib::Number) and u8, u16 (the closed set of W: closed_lib::Width) |"
  "| instantiated | function \`closed_lib::fit\` | instantiated for each of 8 combinations of i8, i32, u64, closed_lib::Meters (the closed set of N: closed_lib::Number) and u8, u16 (the closed set of W: closed_lib::Width) |"
  "| instantiated | function \`closed_lib::apply\` | instantiated for i8, i32, u64, closed_lib::Meters (the closed set of N: closed_lib::Number); F erased in each instance, over a proxy that calls back (size_of, TypeId and type_name of these see the proxy) |"
  "| instantiated | function \`closed_lib::fold_with\` | instantiated for i8, i32, u64, closed_lib::Meters (the closed set of N: closed_lib::Number); F erased in each instance, over a proxy that calls back (size_of, TypeId and type_name of these see the proxy) |"
  "| instantiated | function \`closed_lib::tagged\` | instantiated for i8, i32, u64, closed_lib::Meters (the closed set of N: closed_lib::Number); L erased in each instance, over a proxy that calls back (size_of, TypeId and type_name of these see the proxy) |"
  "| unsupported | function \`closed_lib::pass_on\` | generic, not erased: returns N: erasure would return the proxy, not the consumer's own type; not instantiated: for i8: generic, not erased: returns T: erasure would return the proxy, not the consumer's own type; not copied: it does not compile in the facade: cannot find function \`doubled\` in this scope |"
)

# direction NAME LIB_TOOLCHAIN USER_TOOLCHAIN
direction() {
  local name=$1 lib_tc=$2 user_tc=$3
  local dist=$work/dist-$name user=$work/user-$name
  if ! "$rdylib" build "$repo/tests/fixtures/closed_lib" --toolchain "$lib_tc" --out "$dist" \
      >"$work/$name-build.log" 2>&1; then
    fail "$name: rdylib build with $lib_tc"; cat "$work/$name-build.log"; return
  fi
  ok "$name: rdylib build with $lib_tc"
  local missing=0 line
  for line in "${report_lines[@]}"; do
    if ! grep -qF -- "$line" "$dist/closed_lib/report.md"; then
      echo "  report lacks: $line"; missing=1
    fi
  done
  if [[ $missing -eq 0 ]]; then
    ok "$name: the report lists the traits, their impls and what does not cross"
  else
    fail "$name: report"
  fi
  if $(cargo_for "$lib_tc") build --offline --release --lib --manifest-path "$dist/closed_lib/shim/Cargo.toml" \
      --target-dir "$work/shim-target-$name" >"$work/$name-shim.log" 2>&1 &&
      ! grep -q '^warning' "$work/$name-shim.log"; then
    ok "$name: the shim builds with $lib_tc, no warnings"
  else
    fail "$name: shim"; grep -A8 '^warning\|^error' "$work/$name-shim.log" | head -40
  fi
  cp -r "$repo/tests/fixtures/closed_user" "$user"
  sed -i "s|path = \"FACADE\"|path = \"$dist/closed_lib/facade\"|; s|path = \"NATIVE\"|path = \"$work/native\"|" \
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
  local exe=$work/target-$name/debug/closed_user
  "$exe" >"$work/$name-out.txt" 2>"$work/$name-err.txt"
  local rc=$?
  if [[ $rc -eq 0 ]] && diff -u "$expected" "$work/$name-out.txt"; then
    ok "$name: $(grep -c '^ok' "$work/$name-out.txt") checks give the native results"
  else
    fail "$name: checks (exit $rc)"; grep -v '^ok' "$work/$name-out.txt"; tail -5 "$work/$name-err.txt"
  fi
  if [[ $name == a ]]; then
    # A library built with another impl set (i16 added to Number) is refused
    # at load, naming the instantiated items.
    local variant=$work/variant
    cp -r "$repo/tests/fixtures/closed_lib" "$variant"
    sed -i 's|^number!(i8, i32, u64);|number!(i8, i16, i32, u64);|' "$variant/src/lib.rs"
    if ! grep -q 'number!(i8, i16, i32, u64);' "$variant/src/lib.rs"; then
      fail "$name: the variant library adds i16"
    elif ! "$rdylib" build "$variant" --toolchain "$lib_tc" --out "$work/dist-variant" >"$work/variant-build.log" 2>&1; then
      fail "$name: rdylib build of the variant"; cat "$work/variant-build.log"
    elif RDYLIB_CLOSED_LIB_LIB=$work/dist-variant/closed_lib/lib/libclosed_lib.so "$exe" \
        >/dev/null 2>"$work/variant-err.txt"; then
      fail "$name: the facade loads a library with another closed set"
    elif grep -q 'closed_lib::gcd (' "$work/variant-err.txt" && grep -q 'i16' "$work/variant-err.txt"; then
      ok "$name: a library with another closed set is refused, naming the item"
    else
      fail "$name: the refusal of another closed set"; head -20 "$work/variant-err.txt"
    fi
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
