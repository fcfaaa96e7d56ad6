#!/usr/bin/env bash
# End-to-end: dependency facades. tests/fixtures/deps_lib names regex's types
# in its API; rdylib writes deps_lib's facade and, beside it, regex's (and
# regex_syntax's, which regex's API reaches), all over deps_lib's one .so.
# tests/fixtures/deps_user uses them: regexes made by regex's facade go into
# deps_lib and come back; deps_lib's trait Quantity has num-traits' PrimInt as
# its supertrait (one trait, num_traits' facade), and std's small error types
# cross as codes of their kinds. In both directions (library by one rustc,
# program by the other) the program must build without warnings, print what
# it prints linked natively (deps_expected.txt, the reviewed native output),
# and pass under valgrind. A library whose regex shapes differ from the
# facades' is refused, naming regex's item.
set -u
rdylib=$1
work=$2
repo=$(cd "$(dirname "$0")/../.." && pwd)
expected=$repo/tests/e2e/deps_expected.txt
rm -rf "$work" && mkdir -p "$work"
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

# A directory whose cargo takes crates from the Debian registry, offline
# (cargo reads .cargo/config.toml from its working directory).
registry_config() {
  mkdir -p "$1/.cargo"
  printf '[source.crates-io]\nreplace-with = "debian"\n[source.debian]\ndirectory = "/usr/share/cargo/registry"\n[net]\noffline = true\n' \
    >"$1/.cargo/config.toml"
}

# direction NAME LIB_TOOLCHAIN USER_TOOLCHAIN
direction() {
  local name=$1 lib_tc=$2 user_tc=$3
  local dist=$work/dist-$name user=$work/user-$name
  if ! "$rdylib" build "$repo/tests/fixtures/deps_lib" --toolchain "$lib_tc" --out "$dist" \
      >"$work/$name-build.log" 2>&1; then
    fail "$name: rdylib build with $lib_tc"; cat "$work/$name-build.log"; return
  fi
  ok "$name: rdylib build with $lib_tc"
  if [[ -f $dist/regex/facade/Cargo.toml && -f $dist/regex_syntax/facade/Cargo.toml &&
        -f $dist/num_traits/facade/Cargo.toml &&
        ! -e $dist/regex/lib && $(find "$dist" -name '*.so' | wc -l) -eq 1 ]] &&
      grep -q 'dependency facade: regex 1.7.1' "$work/$name-build.log"; then
    ok "$name: facades of regex, regex_syntax and num_traits beside deps_lib's, one .so"
  else
    fail "$name: dist layout"; find "$dist" -maxdepth 2 | sort; cat "$work/$name-build.log"
  fi
  local so=$dist/deps_lib/lib/libdeps_lib.so
  if nm -D --defined-only "$so" | grep -q ' rdylib_v1_regex_1_7_1__Regex__new_' &&
      nm -D --defined-only "$so" | grep -q ' rdylib_v1_regex_1_7_1__shapes$' &&
      nm -D --defined-only "$so" | grep -q ' rdylib_v1_deps_lib__Finder__find_'; then
    ok "$name: the library exports regex's thunks under regex's name and version"
  else
    fail "$name: exported symbols"; nm -D --defined-only "$so" | grep -c rdylib_v1
  fi
  # The shim again, from scratch, to see its warnings (regex's shim too).
  if (cd "$dist/deps_lib/shim" && $(cargo_for "$lib_tc") build --offline --release --lib \
        --target-dir "$work/shim-target-$name") >"$work/$name-shim.log" 2>&1 &&
      ! grep -q '^warning' "$work/$name-shim.log"; then
    ok "$name: the shims build with $lib_tc, no warnings"
  else
    fail "$name: shim warnings"; grep -A5 '^warning\|^error' "$work/$name-shim.log" | head -40
  fi
  cp -r "$repo/tests/fixtures/deps_user" "$user"
  sed -i "s|path = \"FACADE\"|path = \"$dist/deps_lib/facade\"|; s|path = \"REGEX\"|path = \"$dist/regex/facade\"|" \
    "$user/Cargo.toml"
  sed -i "s|path = \"NUMTRAITS\"|path = \"$dist/num_traits/facade\", package = \"num-traits\"|" "$user/Cargo.toml"
  if ! $(cargo_for "$user_tc") build --offline --manifest-path "$user/Cargo.toml" \
      --target-dir "$work/target-$name" >"$work/$name-user.log" 2>&1; then
    fail "$name: deps_user builds with $user_tc"; grep -A12 '^error' "$work/$name-user.log" | head -80; return
  fi
  if grep -q '^warning' "$work/$name-user.log"; then
    fail "$name: facades build without warnings"; grep -A5 '^warning' "$work/$name-user.log" | head -40
  else
    ok "$name: deps_user and both facades build with $user_tc, no warnings"
  fi
  # The same program natively: deps_lib and regex themselves.
  local native=$work/native-$name
  cp -r "$repo/tests/fixtures/deps_user" "$native"
  sed -i "s|path = \"FACADE\"|path = \"$repo/tests/fixtures/deps_lib\"|; s|{ path = \"REGEX\" }|\"=1.7.1\"|" \
    "$native/Cargo.toml"
  sed -i "s|{ path = \"NUMTRAITS\" }|\"=0.2.15\"|" "$native/Cargo.toml"
  registry_config "$native"
  if ! (cd "$native" && $(cargo_for "$user_tc") build --offline --target-dir "$work/native-target-$name") \
      >"$work/$name-native-build.log" 2>&1; then
    fail "$name: deps_user builds natively with $user_tc"; grep -A12 '^error' "$work/$name-native-build.log" | head -40; return
  fi
  "$work/native-target-$name/debug/deps_user" >"$work/$name-native-out.txt" 2>"$work/$name-native-err.txt"
  local native_rc=$?
  if [[ $native_rc -eq 0 ]] && diff -u "$expected" "$work/$name-native-out.txt"; then
    ok "$name: the native program prints deps_expected.txt"
  else
    fail "$name: native program (exit $native_rc; if the program changed on purpose, update deps_expected.txt)"
    tail -5 "$work/$name-native-err.txt"; return
  fi
  local exe=$work/target-$name/debug/deps_user
  env -u LD_LIBRARY_PATH "$exe" >"$work/$name-out.txt" 2>"$work/$name-err.txt"
  local rc=$?
  if [[ $rc -eq 0 ]] && same_output "$work/$name-native" "$work/$name"; then
    ok "$name: $(grep -c '' "$work/$name-out.txt") lines through both facades, as native"
  else
    fail "$name: output (exit $rc)"; tail -5 "$work/$name-err.txt"
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

# A library whose regex differs from the facades' (simulated: each facade
# was generated for another shape of one regex type) is refused at load,
# naming regex's item, by deps_lib's facade and by regex's own.
stale() {
  local what=$1 facade=$2 item=$3
  local dist=$work/dist-stale-$what user=$work/user-stale-$what
  rm -rf "$dist" && cp -r "$work/dist-a" "$dist"
  python3 - "$dist/$facade/facade/src/lib.rs" "$item" <<'PY'
import sys
path, item = sys.argv[1], sys.argv[2]
lines = open(path).read().split("\n")
for i, line in enumerate(lines):
    if line.strip() == '"%s",' % item and lines[i - 1].strip() == "(":
        lines[i + 1] = lines[i + 1].replace('",', ' | another shape",', 1)
        break
else:
    sys.exit("no shape entry for " + item)
open(path, "w").write("\n".join(lines))
PY
  cp -r "$repo/tests/fixtures/deps_user" "$user"
  sed -i "s|path = \"FACADE\"|path = \"$dist/deps_lib/facade\"|; s|path = \"REGEX\"|path = \"$dist/regex/facade\"|" \
    "$user/Cargo.toml"
  sed -i "s|path = \"NUMTRAITS\"|path = \"$dist/num_traits/facade\", package = \"num-traits\"|" "$user/Cargo.toml"
  if ! $(cargo_for /usr/bin/rustc) build --offline --manifest-path "$user/Cargo.toml" \
      --target-dir "$work/target-a" >"$work/stale-$what.log" 2>&1; then
    fail "stale $what: build"; grep -A10 '^error' "$work/stale-$what.log" | head -30; return
  fi
  "$work/target-a/debug/deps_user" >"$work/stale-$what-out.txt" 2>"$work/stale-$what-err.txt"
  local rc=$?
  if [[ $rc -eq 101 ]] && grep -q "layout changed: $item" "$work/stale-$what-err.txt"; then
    ok "stale $what: the library is refused, naming $item"
  else
    fail "stale $what: exit $rc"; cat "$work/stale-$what-err.txt" | head -10
  fi
}
stale host deps_lib regex::Error
stale dependency regex regex::Regex

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
