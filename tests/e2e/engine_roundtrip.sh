#!/usr/bin/env bash
# End-to-end: build the example engine with one rustc, the example game with
# the other, run the game (also under valgrind), in both directions; then
# change a private field, rebuild only the library, and require the old game
# to stop with a clear error naming the type.
#
# The expected output is not only kept: in each direction the same game is
# also built natively (its dependency pointed at examples/engine itself) by
# the game's rustc and run, and the facade run must print exactly what the
# native run prints, on stdout and on stderr (same_output.sh names the two
# normalised fields of a panic's first line). The native stdout must also
# equal game_expected.txt, the reviewed output, so that a change of the
# example's behaviour shows as a diff of that file. Then the two example
# mods are built by a third toolchain (nightly) against the same facade and
# loaded by the game into its world: that output is game_mods_expected.txt.
set -u
rdylib=$1
work=$2
repo=$(cd "$(dirname "$0")/../.." && pwd)
expected=$repo/tests/e2e/game_expected.txt
mods_expected=$repo/tests/e2e/game_mods_expected.txt
rm -rf "$work" && mkdir -p "$work"
cp -r "$repo/examples/engine" "$work/engine"
export RUST_BACKTRACE=0
# shellcheck source=same_output.sh
source "$repo/tests/e2e/same_output.sh"
passed=0
failed=0
ok() { echo "ok   $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; failed=$((failed + 1)); }

# cargo_for TOOLCHAIN: the cargo of that toolchain, chosen explicitly.
cargo_for() {
  if [[ $1 == /* ]]; then
    echo "env RUSTC=$1 RUSTDOC=$(dirname "$1")/rustdoc $(dirname "$1")/cargo"
  else
    local rustc
    rustc=$(rustup which --toolchain "$1" rustc)
    echo "env RUSTC=$rustc RUSTDOC=$(dirname "$rustc")/rustdoc $(dirname "$rustc")/cargo"
  fi
}

# native_game NAME TOOLCHAIN: builds the game against the real engine with
# TOOLCHAIN and runs it into $work/NAME-native-{out,err}.txt; it must exit 0
# and its stdout must be the reviewed game_expected.txt.
native_game() {
  local name=$1 tc=$2
  local native=$work/native-game-$name
  cp -r "$repo/examples/game" "$native"
  sed -i "s|path = \".*\"|path = \"$repo/examples/engine\"|" "$native/Cargo.toml"
  if ! $(cargo_for "$tc") build --offline --manifest-path "$native/Cargo.toml" \
      --target-dir "$work/native-target-$name" >"$work/$name-native-build.log" 2>&1; then
    cat "$work/$name-native-build.log"; return 1
  fi
  if ! "$work/native-target-$name/debug/game" >"$work/$name-native-out.txt" \
      2>"$work/$name-native-err.txt"; then
    echo "the native game failed:"; cat "$work/$name-native-err.txt"; return 1
  fi
  if ! diff -u "$expected" "$work/$name-native-out.txt"; then
    echo "the native game's output is not game_expected.txt: if the example changed on purpose, update that file"
    return 1
  fi
}

# direction NAME LIB_TOOLCHAIN GAME_TOOLCHAIN
direction() {
  local name=$1 lib_tc=$2 game_tc=$3
  local dist=$work/dist-$name game=$work/game-$name
  if ! "$rdylib" build "$work/engine" --toolchain "$lib_tc" --out "$dist" >"$work/$name-build.log" 2>&1; then
    fail "$name: rdylib build with $lib_tc"; cat "$work/$name-build.log"; return
  fi
  ok "$name: rdylib build with $lib_tc"
  cp -r "$repo/examples/game" "$game"
  sed -i "s|path = \".*\"|path = \"$dist/engine/facade\"|" "$game/Cargo.toml"
  if ! $(cargo_for "$game_tc") build --offline --manifest-path "$game/Cargo.toml" \
      --target-dir "$work/target-$name" >"$work/$name-game.log" 2>&1; then
    fail "$name: game builds with $game_tc"; cat "$work/$name-game.log"; return
  fi
  if grep -q '^warning' "$work/$name-game.log"; then
    fail "$name: facade builds without warnings"; grep -A5 '^warning' "$work/$name-game.log"
  else
    ok "$name: game and facade build with $game_tc, no warnings"
  fi
  local exe=$work/target-$name/debug/game
  if ! native_game "$name" "$game_tc"; then
    fail "$name: the game built natively with $game_tc"; return
  fi
  if env -u LD_LIBRARY_PATH "$exe" >"$work/$name-out.txt" 2>"$work/$name-err.txt" &&
      same_output "$work/$name-native" "$work/$name"; then
    ok "$name: game runs without LD_LIBRARY_PATH, prints what the native game prints"
  else
    fail "$name: game output differs from the native game's"; cat "$work/$name-err.txt"
  fi
  if valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
      "$exe" >/dev/null 2>"$work/$name-valgrind.txt"; then
    ok "$name: valgrind finds no invalid access and no definite leak"
  else
    fail "$name: valgrind"; grep -v '^thread\|^no entity\|^note:' "$work/$name-valgrind.txt" | head -40
  fi
  with_mods "$name" "$dist" "$exe"
}

# with_mods NAME DIST GAME: builds the two mods with the third toolchain
# (nightly) against the same facade, and runs the game with both loaded into
# its world; the whole stdout must be game_mods_expected.txt (mods cannot be
# compared with a native build: each would carry its own engine and std).
with_mods() {
  local name=$1 dist=$2 exe=$3 mods=()
  for m in spawner chaos; do
    local dir=$work/mod-$m-$name
    cp -r "$repo/examples/mods/$m" "$dir"
    sed -i "s|path = \".*\"|path = \"$dist/engine/facade\"|" "$dir/Cargo.toml"
    if ! $(cargo_for nightly) build --offline --manifest-path "$dir/Cargo.toml" \
        --target-dir "$work/mods-target-$name" >"$work/$name-mod-$m.log" 2>&1; then
      fail "$name: mod $m builds with nightly"; cat "$work/$name-mod-$m.log"; return
    fi
    if grep -q '^warning' "$work/$name-mod-$m.log"; then
      fail "$name: mod $m builds without warnings"; grep -A5 '^warning' "$work/$name-mod-$m.log"
    fi
    mods+=("$work/mods-target-$name/debug/libmod_$m.so")
  done
  ok "$name: both mods build with nightly against the facade"
  if env -u LD_LIBRARY_PATH "$exe" "${mods[@]}" >"$work/$name-mods-out.txt" 2>"$work/$name-mods-err.txt" &&
      diff -u "$mods_expected" "$work/$name-mods-out.txt" &&
      grep -q "chaos mod: the clock broke at its tick 2" "$work/$name-mods-err.txt"; then
    ok "$name: game, engine and two mods (three toolchains) print game_mods_expected.txt"
  else
    fail "$name: game with mods"; cat "$work/$name-mods-err.txt"
  fi
  if valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
      "$exe" "${mods[@]}" >/dev/null 2>"$work/$name-mods-valgrind.txt"; then
    ok "$name: with mods, valgrind finds no invalid access and no definite leak"
  else
    fail "$name: valgrind with mods"; grep -v '^thread\|^no entity\|^note:\|^chaos' "$work/$name-mods-valgrind.txt" | head -40
  fi
}

direction a stable /usr/bin/rustc
direction b /usr/bin/rustc stable

# A stale library: a private field changes, only the library is rebuilt.
sed -i 's|    pub name: String,|    pub name: String,\n    generation: u64,|' "$work/engine/src/lib.rs"
if "$rdylib" build "$work/engine" --toolchain stable --out "$work/dist-a" >"$work/stale-build.log" 2>&1; then
  "$work/target-a/debug/game" >"$work/stale-out.txt" 2>"$work/stale-err.txt"
  rc=$?
  if [[ $rc -eq 101 ]] && grep -q "does not match this facade; layout changed: engine::World (facade: size" "$work/stale-err.txt"; then
    ok "stale library: the old game stops with an error naming engine::World"
  else
    fail "stale library: exit $rc"; cat "$work/stale-err.txt"
  fi
else
  fail "stale library: rebuild"; cat "$work/stale-build.log"
fi

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
