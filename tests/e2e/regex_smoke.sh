#!/usr/bin/env bash
# regex 1.7.1 through its facade: the library built by rustup's stable, the
# program (tests/fixtures/regex_user) by Debian's 1.85. The same program is
# also built natively by 1.85, its dependency pointed at the real regex
# 1.7.1, and the facade run must print exactly what the native run prints
# (stdout and stderr) and exit 0 as it does. The native output must also
# equal regex_expected.txt, the reviewed output, so that a change of the
# program shows as a diff of that file. valgrind must find no invalid access
# and no definite leak in the facade run.
set -u
rdylib=$1 work=$2
repo=$(cd "$(dirname "$0")/../.." && pwd)
regex=/usr/share/cargo/registry/regex-1.7.1
cargo185="env RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc /usr/bin/cargo"
rm -rf "$work" && mkdir -p "$work"

# The native program: regex and its dependencies from the Debian registry.
cp -r "$repo/tests/fixtures/regex_user" "$work/native"
sed -i "s|path = \"FACADE\"|path = \"$regex\"|" "$work/native/Cargo.toml"
mkdir -p "$work/native/.cargo"
printf '[source.crates-io]\nreplace-with = "debian"\n[source.debian]\ndirectory = "/usr/share/cargo/registry"\n[net]\noffline = true\n' \
  >"$work/native/.cargo/config.toml"
# (cargo reads .cargo/config.toml from its working directory, not the manifest's)
(cd "$work/native" && $cargo185 build --offline --target-dir "$work/native-target") \
  >"$work/native.log" 2>&1 || { echo "the native program does not build:"; cat "$work/native.log"; exit 1; }
"$work/native-target/debug/regex_user" >"$work/native-out.txt" 2>&1 ||
  { echo "the native program failed:"; cat "$work/native-out.txt"; exit 1; }
diff -u "$repo/tests/e2e/regex_expected.txt" "$work/native-out.txt" ||
  { echo "the native output is not regex_expected.txt: if the program changed on purpose, update that file"; exit 1; }

# The same program through the facade.
"$rdylib" build "$regex" --toolchain stable --out "$work/dist" \
  >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
cp -r "$repo/tests/fixtures/regex_user" "$work/user"
sed -i "s|path = \"FACADE\"|path = \"$work/dist/regex/facade\"|" "$work/user/Cargo.toml"
$cargo185 build --offline --manifest-path "$work/user/Cargo.toml" --target-dir "$work/target" \
  >"$work/user.log" 2>&1 || { grep -A8 '^error' "$work/user.log"; exit 1; }
exe=$work/target/debug/regex_user
env -u LD_LIBRARY_PATH "$exe" >"$work/out.txt" 2>&1 || { cat "$work/out.txt"; exit 1; }
diff -u "$work/native-out.txt" "$work/out.txt" ||
  { echo "the facade run's output differs from the native run's"; exit 1; }
valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite "$exe" \
  >/dev/null 2>"$work/valgrind.txt" || { cat "$work/valgrind.txt"; exit 1; }
echo "ok: regex through its facade prints what the native regex_user prints, valgrind clean"
