#!/usr/bin/env bash
# Mutation test: each edit to mutlib, rebuilt alone, is refused by name or runs as if built natively.
#
# Usage: mutation_test.sh RDYLIB WORK LIB_TOOLCHAIN CONSUMER_TOOLCHAIN
# The consumer (tests/fixtures/mutation_user) is built once against the
# original facade. For each edit, the run of that binary against the changed
# libmutlib.so (chosen by RDYLIB_MUTLIB_LIB), also under valgrind, must be
#   refused:    exit 101, "does not match this facade", naming the item; or
#   compatible: exit 0, stdout equal to the consumer built natively against
#               the changed source (which must compile).
# Anything else fails. mutations.py holds the edits and judges each run.
set -u
rdylib=$1
work=$2
lib_tc=$3
user_tc=$4
repo=$(cd "$(dirname "$0")/../.." && pwd)
edits_py=$repo/tests/e2e/mutations.py
rm -rf "$work" && mkdir -p "$work"
work=$(cd "$work" && pwd)
export RDYLIB_WORK=${RDYLIB_WORK:-$work/rdylib-work}
export RUST_BACKTRACE=0
refused=0
compatible=0
failed=0

# cargo_for TOOLCHAIN: the cargo of that toolchain, chosen explicitly.
cargo_for() {
  local rustc=$1
  [[ $1 == /* ]] || rustc=$(rustup which --toolchain "$1" rustc)
  echo "env RUSTC=$rustc RUSTDOC=$(dirname "$rustc")/rustdoc $(dirname "$rustc")/cargo"
}

# consumer_at DIR MUTLIB_PATH: a copy of the consumer whose mutlib is MUTLIB_PATH.
consumer_at() {
  rm -rf "$1" && cp -r "$repo/tests/fixtures/mutation_user" "$1"
  sed -i "s|path = \"MUTLIB\"|path = \"$2\"|" "$1/Cargo.toml"
}

# build_consumer DIR TARGET_DIR LOG: builds it with the consumer toolchain.
build_consumer() {
  timeout 900 $(cargo_for "$user_tc") build --offline --manifest-path "$1/Cargo.toml" \
    --target-dir "$2" >"$3" 2>&1
}

# run_to PREFIX CMD...: runs CMD with a timeout into PREFIX.{out,err,rc}.
run_to() {
  local prefix=$1
  shift
  timeout -k 10 "$@" >"$prefix.out" 2>"$prefix.err"
  echo $? >"$prefix.rc"
}

# The original library and the consumer built against its facade, once.
if ! timeout 900 "$rdylib" build "$repo/tests/fixtures/mutation_lib" --toolchain "$lib_tc" \
    --out "$work/dist" >"$work/build.log" 2>&1; then
  echo "FAILED rdylib build of the original mutlib with $lib_tc"; cat "$work/build.log"; exit 1
fi
consumer_at "$work/user-facade" "$work/dist/mutlib/facade"
if ! build_consumer "$work/user-facade" "$work/target-facade" "$work/user-facade.log"; then
  echo "FAILED the consumer does not build against the facade with $user_tc"
  grep -A12 '^error' "$work/user-facade.log" | head -60; exit 1
fi
consumer=$work/consumer
cp "$work/target-facade/debug/mutation_user" "$consumer"

# try NAME LIB_DIR SO: runs the consumer against SO (built from LIB_DIR),
# builds natively only when the run was not refused, and prints the verdict.
try() {
  local name=$1 lib=$2 so=$3 run=$work/runs/$1
  mkdir -p "$run"
  echo "$work" >"$run/work"
  run_to "$run/run" 120 env RDYLIB_MUTLIB_LIB="$so" "$consumer"
  local rc
  rc=$(cat "$run/run.rc")
  if [[ $rc == 0 || $rc == 101 ]]; then
    run_to "$run/valgrind" 600 env RDYLIB_MUTLIB_LIB="$so" \
      valgrind --quiet --error-exitcode=99 "$consumer"
  fi
  if [[ $rc == 0 ]]; then
    # Fixed paths, so each build replaces the last one's files in the target.
    rm -rf "$work/native-lib" && cp -r "$lib" "$work/native-lib"
    consumer_at "$work/native-user" "$work/native-lib"
    if build_consumer "$work/native-user" "$work/target-native" "$run/native.log"; then
      if grep -q 'Compiling mutlib ' "$run/native.log"; then
        run_to "$run/native" 120 "$work/target-native/debug/mutation_user"
      else
        echo stale >"$run/native.rc"
      fi
    else
      echo build-failed >"$run/native.rc"
      grep -m1 -A3 '^error' "$run/native.log" | tr '\n' ' ' | sed 's/  */ /g' >"$run/native.why"
    fi
  fi
  python3 "$edits_py" judge "$name" "$run"
}

# count VERDICT_LINE: prints it and counts it.
count() {
  echo "$1"
  case $1 in
    refused*) refused=$((refused + 1)) ;;
    compatible*) compatible=$((compatible + 1)) ;;
    *) failed=$((failed + 1)) ;;
  esac
}

# The harness itself: the unchanged library must come out compatible.
cp -r "$repo/tests/fixtures/mutation_lib" "$work/pristine"
verdict=$(try baseline "$work/pristine" "$work/dist/mutlib/lib/libmutlib.so")
if [[ $verdict != compatible* ]]; then
  echo "$verdict"; echo "the unchanged library is not compatible: the harness is broken"; exit 1
fi
echo "harness: the unchanged library comes out compatible"

names=$(python3 "$edits_py" list) || exit 1
# RDYLIB_MUTATIONS="name ..." runs only those edits (while developing one).
[[ -n ${RDYLIB_MUTATIONS:-} ]] && names=$RDYLIB_MUTATIONS
for name in $names; do
  lib=$work/libs/$name
  mkdir -p "$work/libs"
  cp -r "$repo/tests/fixtures/mutation_lib" "$lib"
  if ! why=$(python3 "$edits_py" apply "$name" "$lib" 2>&1); then
    count "FAILED $name: $why"; continue
  fi
  if ! timeout 900 "$rdylib" build "$lib" --toolchain "$lib_tc" --out "$work/dists/$name" \
      >"$work/libs/$name.log" 2>&1; then
    count "FAILED $name: rdylib build of the changed library: $(grep -m1 -i 'error' "$work/libs/$name.log" ||
      tail -1 "$work/libs/$name.log")"
    continue
  fi
  count "$(try "$name" "$lib" "$work/dists/$name/mutlib/lib/libmutlib.so")"
done

echo "mutations: $refused refused, $compatible compatible, $failed failed"
echo "$((refused + compatible)) passed, $failed failed"
[[ $failed -eq 0 ]]
