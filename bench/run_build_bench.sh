#!/usr/bin/env bash
# Consumer build time by Debian's 1.85: tests/fixtures/regex_user against
# regex 1.7.1's facade and against regex built from source (the Debian
# registry as a cargo directory source, offline), and a std-only hello.
# Each is a clean debug build (empty target dir), timed 3 times; prints the
# times, the medians and their ratios. The facade's library is built once by
# rdylib beforehand (rustup's stable) and is not timed: only the consumer's
# cargo build is.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
rdylib=${1:-$repo/build/rdylib}
work=${2:-$repo/build/bench-work/builds}
runs=3
regex=/usr/share/cargo/registry/regex-1.7.1
cargo185="env RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc /usr/bin/cargo"
for need in "$rdylib" /usr/bin/rustc /usr/bin/cargo "$regex/Cargo.toml"; do
  [[ -e $need ]] || { echo "run_build_bench: $need is missing" >&2; exit 1; }
done
rm -rf "$work" && mkdir -p "$work"

# fail LOG MESSAGE: says what failed and shows the end of its log.
fail() {
  echo "run_build_bench: $2 (log: $1)" >&2
  tail -n 30 "$1" >&2
  exit 1
}

# The library side, once: regex's shared library and facade.
RDYLIB_WORK=${RDYLIB_WORK:-$work/rdylib-work} \
  "$rdylib" build "$regex" --toolchain stable --out "$work/dist" >"$work/rdylib.log" 2>&1 ||
  fail "$work/rdylib.log" "rdylib build of regex failed"

# The three consumers.
cp -r "$repo/tests/fixtures/regex_user" "$work/facade"
sed -i "s|path = \"FACADE\"|path = \"$work/dist/regex/facade\"|" "$work/facade/Cargo.toml"
cp -r "$repo/tests/fixtures/regex_user" "$work/source"
sed -i "s|path = \"FACADE\"|path = \"$regex\"|" "$work/source/Cargo.toml"
# regex's own dependencies come from the Debian registry instead of crates.io.
# cargo reads .cargo/config.toml from its working directory upward, so every
# cargo command below runs inside the consumer's directory.
mkdir -p "$work/source/.cargo"
printf '[source.crates-io]\nreplace-with = "debian"\n[source.debian]\ndirectory = "/usr/share/cargo/registry"\n[net]\noffline = true\n' \
  >"$work/source/.cargo/config.toml"
cp -r "$here/buildbench-hello" "$work/hello"

# now_ns: a monotonic-enough wall clock in nanoseconds.
now_ns() { date +%s%N; }

cases=(facade source hello)
declare -A times median
for kind in "${cases[@]}"; do
  dir=$work/$kind
  # Resolve the lock file first so that no timed run pays for it.
  (cd "$dir" && $cargo185 generate-lockfile --offline) >"$work/$kind-lock.log" 2>&1 ||
    fail "$work/$kind-lock.log" "cargo generate-lockfile failed for the $kind consumer"
  list=()
  for ((i = 1; i <= runs; i++)); do
    rm -rf "$work/target-$kind"
    start=$(now_ns)
    (cd "$dir" && $cargo185 build --offline --target-dir "$work/target-$kind") \
      >"$work/$kind-$i.log" 2>&1 ||
      fail "$work/$kind-$i.log" "cargo build (1.85) failed for the $kind consumer, run $i"
    end=$(now_ns)
    list+=("$(printf '%.3f' "$(echo "($end - $start) / 1000000000" | bc -l)")")
  done
  times[$kind]="${list[*]}"
  median[$kind]=$(printf '%s\n' "${list[@]}" | sort -g | sed -n "$(((runs + 1) / 2))p")
done

# A build that did not make the program is not a figure: each must run.
env -u LD_LIBRARY_PATH "$work/target-facade/debug/regex_user" >"$work/facade-out.txt" 2>&1 ||
  fail "$work/facade-out.txt" "the facade consumer does not run"
"$work/target-source/debug/regex_user" >"$work/source-out.txt" 2>&1 ||
  fail "$work/source-out.txt" "the source consumer does not run"
diff -u "$work/source-out.txt" "$work/facade-out.txt" >"$work/diff.txt" ||
  fail "$work/diff.txt" "the facade consumer prints other than the source consumer"
"$work/target-hello/debug/buildbench-hello" >/dev/null ||
  { echo "run_build_bench: the hello program does not run" >&2; exit 1; }

echo "clean debug builds by $(/usr/bin/rustc --version), seconds (median of $runs)"
printf '%-34s %-26s %8s\n' "consumer" "runs" "median"
printf '%-34s %-26s %8s\n' "regex_user -> regex facade" "${times[facade]}" "${median[facade]}"
printf '%-34s %-26s %8s\n' "regex_user -> regex 1.7.1 source" "${times[source]}" "${median[source]}"
printf '%-34s %-26s %8s\n' "std-only hello" "${times[hello]}" "${median[hello]}"
ratio() { printf '%.2f' "$(echo "${median[$1]} / ${median[$2]}" | bc -l)"; }
echo "facade / source: $(ratio facade source)"
echo "facade / hello:  $(ratio facade hello)"
echo "source / hello:  $(ratio source hello)"
