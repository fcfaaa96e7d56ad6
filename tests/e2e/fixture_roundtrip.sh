#!/usr/bin/env bash
# End-to-end: build the ABI fixture with one rustc, and its checker (which
# links the facade and, for comparison, the fixture natively) with the other;
# in both directions. Each check is one line of output, and the whole output
# must equal fixture_expected.txt, so a check that regresses or disappears
# fails. Both generated crates must build without warnings, and the checker
# must pass under valgrind.
#
# The expected output is produced here too, not only kept: in each direction
# the checker is also built natively by the checker's rustc, with
# `abi_fixture` pointed at the real fixture instead of the facade, and run;
# the facade run must print exactly what that native run prints (stdout and
# stderr; same_output.sh names the two normalised fields of a panic's first
# line), and the native stdout must equal fixture_expected.txt, the reviewed
# list of checks, so that a check that disappears shows as a diff.
set -u
rdylib=$1
work=$2
repo=$(cd "$(dirname "$0")/../.." && pwd)
expected=$repo/tests/e2e/fixture_expected.txt
rm -rf "$work" && mkdir -p "$work"
# The native copy is renamed: one lockfile cannot hold two packages with the
# same name and version.
cp -r "$repo/tests/fixtures/abi_fixture" "$work/native"
sed -i 's|^name = "abi_fixture"|name = "abi_fixture_native"|' "$work/native/Cargo.toml"
export RUST_BACKTRACE=0
# shellcheck source=same_output.sh
source "$repo/tests/e2e/same_output.sh"
passed=0
failed=0
ok() { echo "ok   $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; failed=$((failed + 1)); }

# cargo_for TOOLCHAIN: the cargo of that toolchain, chosen explicitly.
cargo_for() {
  local rustc=$1
  [[ $1 == /* ]] || rustc=$(rustup which --toolchain "$1" rustc)
  echo "env RUSTC=$rustc RUSTDOC=$(dirname "$rustc")/rustdoc $(dirname "$rustc")/cargo"
}

# direction NAME LIB_TOOLCHAIN USER_TOOLCHAIN
direction() {
  local name=$1 lib_tc=$2 user_tc=$3
  local dist=$work/dist-$name user=$work/user-$name
  if ! "$rdylib" build "$repo/tests/fixtures/abi_fixture" --toolchain "$lib_tc" --out "$dist" \
      >"$work/$name-build.log" 2>&1; then
    fail "$name: rdylib build with $lib_tc"; cat "$work/$name-build.log"; return
  fi
  ok "$name: rdylib build with $lib_tc"
  # The shim again, from scratch, to see its warnings.
  if $(cargo_for "$lib_tc") build --offline --release --lib --manifest-path "$dist/abi_fixture/shim/Cargo.toml" \
      --target-dir "$work/shim-target-$name" >"$work/$name-shim.log" 2>&1 &&
      ! grep -q '^warning' "$work/$name-shim.log"; then
    ok "$name: the shim builds with $lib_tc, no warnings"
  else
    fail "$name: shim warnings"; grep -A5 '^warning\|^error' "$work/$name-shim.log" | head -40
  fi
  cp -r "$repo/tests/fixtures/abi_fixture_user" "$user"
  sed -i "s|path = \"FACADE\"|path = \"$dist/abi_fixture/facade\"|; s|path = \"NATIVE\"|path = \"$work/native\"|" \
    "$user/Cargo.toml"
  if ! $(cargo_for "$user_tc") build --offline --manifest-path "$user/Cargo.toml" \
      --target-dir "$work/target-$name" >"$work/$name-user.log" 2>&1; then
    fail "$name: checker builds with $user_tc"; grep -A12 '^error' "$work/$name-user.log" | head -80; return
  fi
  if grep -q '^warning' "$work/$name-user.log"; then
    fail "$name: facade builds without warnings"; grep -A5 '^warning' "$work/$name-user.log"
  else
    ok "$name: checker and facade build with $user_tc, no warnings"
  fi
  # The same checker, natively: `abi_fixture` is the real fixture.
  local native=$work/native-user-$name
  cp -r "$repo/tests/fixtures/abi_fixture_user" "$native"
  sed -i "s|path = \"FACADE\"|path = \"$repo/tests/fixtures/abi_fixture\"|; s|path = \"NATIVE\"|path = \"$work/native\"|" \
    "$native/Cargo.toml"
  if ! $(cargo_for "$user_tc") build --offline --manifest-path "$native/Cargo.toml" \
      --target-dir "$work/native-target-$name" >"$work/$name-native-build.log" 2>&1; then
    fail "$name: the checker builds natively with $user_tc"; grep -A12 '^error' "$work/$name-native-build.log" | head -40; return
  fi
  "$work/native-target-$name/debug/abi_fixture_user" >"$work/$name-native-out.txt" 2>"$work/$name-native-err.txt"
  local native_rc=$?
  if [[ $native_rc -eq 0 ]] && diff -u "$expected" "$work/$name-native-out.txt"; then
    ok "$name: the native checker passes and prints fixture_expected.txt"
  else
    fail "$name: native checker (exit $native_rc; if the checks changed on purpose, update fixture_expected.txt)"
    tail -5 "$work/$name-native-err.txt"; return
  fi
  local exe=$work/target-$name/debug/abi_fixture_user
  env -u LD_LIBRARY_PATH "$exe" >"$work/$name-out.txt" 2>"$work/$name-err.txt"
  local rc=$?
  if [[ $rc -eq 0 ]] && same_output "$work/$name-native" "$work/$name"; then
    ok "$name: $(grep -c '^ok' "$work/$name-out.txt") checks pass, without LD_LIBRARY_PATH, output as native"
  else
    fail "$name: checks (exit $rc)"; grep -v '^ok' "$work/$name-out.txt"; tail -5 "$work/$name-err.txt"
  fi
  # Each panic is printed once on each side (the facade's and the native
  # crate's), by the program's hook; a library panic's text names the
  # library's file:line:col.
  local printed=1 msg src=$repo/tests/fixtures/abi_fixture/src/lib.rs
  for msg in 'exploded: boom' 'exploded: bang' 'reciprocal of zero' 'hasher refused write 2' \
      'exploded: nested' 'label too long: 7 > 5'; do
    if [[ $(grep -cxF "$msg" "$work/$name-err.txt") -ne 2 ]]; then
      printed=0; echo "printed $(grep -cxF "$msg" "$work/$name-err.txt") times, not 2: $msg"
    fi
  done
  if [[ $(grep -cF 'its type cannot cross' "$work/$name-err.txt") -ne 1 ]]; then
    printed=0; echo "the payload that cannot cross is not printed once"
  fi
  [[ $printed -eq 1 ]] && ok "$name: each panic is printed once, by the caller's hook" ||
    fail "$name: panics printed"
  local located=1 what line
  for what in 'panic!("reciprocal of zero")' 'panic!("exploded: {what}")'; do
    line=$(grep -nF "$what" "$src" | cut -d: -f1)
    if ! grep -qF "note: rdylib: the library raised this panic at $src:$line:" "$work/$name-err.txt"; then
      located=0; echo "no $src:$line in stderr"
    fi
  done
  [[ $located -eq 1 ]] && ok "$name: a library panic prints the library's file:line:col" ||
    { fail "$name: library panic location"; grep -A2 'panicked at' "$work/$name-err.txt" | head -20; }
  if valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
      "$exe" >/dev/null 2>"$work/$name-valgrind.txt"; then
    ok "$name: valgrind finds no invalid access and no definite leak"
  else
    fail "$name: valgrind"; grep -v '^thread\|^exploded\|^note:' "$work/$name-valgrind.txt" | head -40
  fi
}

direction a stable /usr/bin/rustc
direction b /usr/bin/rustc stable

# Every path the report says crosses resolves in the facade: a generated
# program names each one (items, methods, fields, trait impls as bounds).
paths=$work/paths
mkdir -p "$paths/src"
printf '[package]\nname = "paths"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\nabi_fixture = { path = "%s" }\n\n[workspace]\n' \
  "$work/dist-a/abi_fixture/facade" >"$paths/Cargo.toml"
python3 "$repo/tests/e2e/paths_check.py" "$work/dist-a/abi_fixture/report.json" >"$paths/src/main.rs"
if $(cargo_for /usr/bin/rustc) build --offline --manifest-path "$paths/Cargo.toml" \
    --target-dir "$work/target-a" >"$work/paths.log" 2>&1; then
  ok "every path the report lists as crossing resolves in the facade ($(grep -c '' "$paths/src/main.rs") lines)"
else
  fail "paths"; grep -A8 '^error' "$work/paths.log" | head -60
fi

# A program with its own allocator, without the facade's system-allocator
# feature: the library's String/Vec fields cannot be shared, so the facade
# must refuse to load, naming them.
own=$work/own-allocator
cp -r "$repo/tests/fixtures/own_allocator" "$own"
sed -i "s|path = \"FACADE\"|path = \"$work/dist-a/abi_fixture/facade\"|" "$own/Cargo.toml"
if $(cargo_for /usr/bin/rustc) build --offline --manifest-path "$own/Cargo.toml" \
    --target-dir "$work/target-a" >"$work/own.log" 2>&1; then
  "$work/target-a/debug/own_allocator" >"$work/own-out.txt" 2>"$work/own-err.txt"
  rc=$?
  if [[ $rc -eq 101 ]] &&
      grep -q "these public fields own buffers that either side may free: abi_fixture::Account::owner" "$work/own-err.txt" &&
      grep -q "abi_fixture::collections::shared_tally (an Rc/Arc allocation)" "$work/own-err.txt" &&
      grep -q "this program does not enable the facade's \`system-allocator\` feature" "$work/own-err.txt"; then
    ok "own allocator: the facade refuses to load, naming the shared fields and Rc/Arc items"
  else
    fail "own allocator: exit $rc"; cat "$work/own-out.txt" "$work/own-err.txt"
  fi
else
  fail "own allocator: build"; grep -A10 '^error' "$work/own.log"
fi

# Copy mode: a library without shared fields, a program with a tagging
# allocator of its own. Every buffer is copied and freed by its maker; the
# allocator aborts on a block it did not make.
if "$rdylib" build "$repo/tests/fixtures/buffers" --toolchain stable --out "$work/dist-buffers" \
    >"$work/buffers-build.log" 2>&1; then
  cp -r "$repo/tests/fixtures/buffers_user" "$work/buffers-user"
  sed -i "s|path = \"FACADE\"|path = \"$work/dist-buffers/buffers/facade\"|" "$work/buffers-user/Cargo.toml"
  if $(cargo_for /usr/bin/rustc) build --offline --manifest-path "$work/buffers-user/Cargo.toml" \
      --target-dir "$work/target-a" >"$work/buffers-user.log" 2>&1; then
    exe=$work/target-a/debug/buffers_user
    if "$exe" >"$work/buffers-out.txt" 2>&1 && grep -q '^0 failed$' "$work/buffers-out.txt" &&
        valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
          "$exe" >/dev/null 2>"$work/buffers-valgrind.txt"; then
      ok "two allocators: $(grep -c '^ok' "$work/buffers-out.txt") checks pass, each side frees its own (also under valgrind)"
    else
      fail "two allocators"; cat "$work/buffers-out.txt" "$work/buffers-valgrind.txt"
    fi
  else
    fail "two allocators: build"; grep -A10 '^error' "$work/buffers-user.log"
  fi
else
  fail "two allocators: rdylib build"; cat "$work/buffers-build.log"
fi

# Slices of 128-bit integers are read in place: the load check compares
# their alignment (the std fact "i128"). A facade whose std measures another
# one (its runtime's entry made to measure u64 instead) is refused by name.
if [[ -d $work/dist-buffers/buffers/facade ]]; then
  cp -r "$work/dist-buffers/buffers/facade" "$work/buffers-facade-i128"
  sed -i 's|std_entry::<i128>(|std_entry::<u64>(|' "$work/buffers-facade-i128/src/rdylib_wire.rs"
  cp -r "$repo/tests/fixtures/buffers_user" "$work/buffers-user-i128"
  sed -i "s|path = \"FACADE\"|path = \"$work/buffers-facade-i128\"|" "$work/buffers-user-i128/Cargo.toml"
  if ! grep -q 'std_entry::<u64>(' "$work/buffers-facade-i128/src/rdylib_wire.rs"; then
    fail "128-bit alignment: the facade's runtime measures i128"
  elif ! $(cargo_for /usr/bin/rustc) build --offline --manifest-path "$work/buffers-user-i128/Cargo.toml" \
      --target-dir "$work/target-a" >"$work/buffers-i128.log" 2>&1; then
    fail "128-bit alignment: build"; grep -A10 '^error' "$work/buffers-i128.log"
  elif RDYLIB_BUFFERS_LIB=$work/dist-buffers/buffers/lib/libbuffers.so "$work/target-a/debug/buffers_user" \
      >/dev/null 2>"$work/buffers-i128-err.txt"; then
    fail "128-bit alignment: a std with another i128 layout is loaded"
  elif grep -q 'i128 (needed by buffers::double_wide; library: {"name": "i128", "size": 16, "align": 16' \
      "$work/buffers-i128-err.txt" && grep -q 'i128 (needed by buffers::sum_wide' "$work/buffers-i128-err.txt"; then
    ok "128-bit alignment: a std with another i128 layout is refused, naming the slices' items"
  else
    fail "128-bit alignment: the refusal"; head -5 "$work/buffers-i128-err.txt"
  fi
fi

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
