#!/usr/bin/env bash
# regex 1.7.1 through its facade: the library built by rustup's stable, the
# program (tests/fixtures/regex_user) by Debian's 1.85. Its output must equal
# regex_expected.txt, which is what the same program prints linked to regex
# natively; and valgrind must find no invalid access and no definite leak.
set -u
rdylib=$1 work=$2
repo=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf "$work" && mkdir -p "$work"
"$rdylib" build /usr/share/cargo/registry/regex-1.7.1 --toolchain stable --out "$work/dist" \
  >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
cp -r "$repo/tests/fixtures/regex_user" "$work/user"
sed -i "s|path = \"FACADE\"|path = \"$work/dist/regex/facade\"|" "$work/user/Cargo.toml"
env RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc /usr/bin/cargo build --offline \
  --manifest-path "$work/user/Cargo.toml" --target-dir "$work/target" >"$work/user.log" 2>&1 ||
  { grep -A8 '^error' "$work/user.log"; exit 1; }
exe=$work/target/debug/regex_user
env -u LD_LIBRARY_PATH "$exe" >"$work/out.txt" 2>&1 || { cat "$work/out.txt"; exit 1; }
diff -u "$repo/tests/e2e/regex_expected.txt" "$work/out.txt" || exit 1
valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite "$exe" \
  >/dev/null 2>"$work/valgrind.txt" || { cat "$work/valgrind.txt"; exit 1; }
echo "ok: regex through its facade prints what regex prints, valgrind clean"
