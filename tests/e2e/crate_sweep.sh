#!/usr/bin/env bash
# Builds the facades of many real crates (Debian's registry) with toolchain A
# and requires each to compile with toolchain B without a warning: every
# facade rdylib writes must compile, whatever the crate (what cannot cross
# is reported instead).
set -u
rdylib=$1
work=$2
lib_tc=$3
user_tc=$4
registry=/usr/share/cargo/registry
rm -rf "$work" && mkdir -p "$work"
passed=0
failed=0

cargo_for() {
  local rustc=$1
  [[ $1 == /* ]] || rustc=$(rustup which --toolchain "$1" rustc)
  echo "env RUSTC=$rustc RUSTDOC=$(dirname "$rustc")/rustdoc $(dirname "$rustc")/cargo"
}

# Crates whose sources the bootstrap installs, with their dependencies: maps,
# byte buffers, graphs, locks, channels, parsers, FFI bindings.
crates=(ahash-0.7.6 aho-corasick-0.7.19 arbitrary-1.1.3 autocfg-1.1.0 bumpalo-3.12.0 bytes-1.2.1
  cfg-if-1.0.0 crossbeam-channel-0.5.6 crossbeam-deque-0.8.1 crossbeam-epoch-0.9.13
  crossbeam-utils-0.8.12 either-1.6.1 fixedbitset-0.4.2 getrandom-0.2.8 hashbrown-0.12.3
  indexmap-1.9.2 lazy_static-1.4.0 libc-0.2.139 lock_api-0.4.9 log-0.4.17 memchr-2.5.0 mio-0.8.4
  num_cpus-1.14.0 once_cell-1.17.0 owning_ref-0.4.1 parking_lot-0.12.1 petgraph-0.6.2 ppv-lite86-0.2.16
  quote-1.0.21 rand-0.8.5 rand_chacha-0.3.1 rand_core-0.6.3 rayon-1.6.1 rayon-core-1.10.1 regex-syntax-0.6.27
  scopeguard-1.1.0 serde-1.0.152 signal-hook-registry-1.4.0 smallvec-1.9.0 socket2-0.4.4
  spin-0.9.5 stable_deref_trait-1.2.0 thread-id-4.0.0 tracing-core-0.1.30 unicode-ident-1.0.0
  valuable-0.1.0 version_check-0.9.4)
for c in "${crates[@]}"; do
  if [[ ! -d $registry/$c ]]; then
    echo "FAIL $c: not in $registry (scripts/bootstrap.sh installs it)"; failed=$((failed + 1)); continue
  fi
  if ! "$rdylib" build "$registry/$c" --toolchain "$lib_tc" --out "$work/$c" >"$work/$c.build.log" 2>&1; then
    echo "FAIL $c: rdylib build"; tail -20 "$work/$c.build.log"; failed=$((failed + 1)); continue
  fi
  # The crate's own facade (dependency facades may sit beside it; it builds them).
  facade=$(sed -n 's/^built [^ ]* with .*: \(.*\)$/\1/p' "$work/$c.build.log")/facade
  if ! (cd "$facade" && $(cargo_for "$user_tc") build --offline --target-dir "$work/target" \
      >"$work/$c.facade.log" 2>&1); then
    echo "FAIL $c: facade does not compile"; grep -A8 '^error' "$work/$c.facade.log" | head -30
    failed=$((failed + 1)); continue
  fi
  if grep -q '^warning' "$work/$c.facade.log"; then
    echo "FAIL $c: facade warnings"; grep -A6 '^warning' "$work/$c.facade.log" | head -20
    failed=$((failed + 1)); continue
  fi
  echo "ok   $c: $(grep -o '[0-9.]*% usable' "$work/$c.build.log" | head -1)"
  passed=$((passed + 1))
done
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
