#!/usr/bin/env bash
# End-to-end: library traits both ways. The facade of tests/fixtures/traits_lib
# must build with the other toolchain without warnings and behave as the
# crate linked natively (traits_user's output equal to traits_expected.txt),
# in both directions and under valgrind; the report must list what of the
# traits does not cross, with the reason.
set -u
rdylib=$1
work=$2
repo=$(cd "$(dirname "$0")/../.." && pwd)
expected=$repo/tests/e2e/traits_expected.txt
rm -rf "$work" && mkdir -p "$work"
cp -r "$repo/tests/fixtures/traits_lib" "$work/native"
rm -rf "$work/native/target"
sed -i 's|^name = "traits_lib"|name = "traits_lib_native"|' "$work/native/Cargo.toml"
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
  "| exported | trait \`traits_lib::Shape\` |"
  "| converted | impl \`<f64 as traits_lib::Shape>\` |"
  "| converted | impl \`<str as traits_lib::WidthExt>\` |"
  "| erased | trait_method \`traits_lib::Visit::visit\` | F (owned FnMut(usize) -> ()): each library impl's method runs once, over a proxy that calls back (size_of, TypeId and type_name of these see the proxy); a consumer's implementation is called through the vtable with the library's F (returned FnMut(usize) -> ()) erased: size_of, TypeId and type_name of these see the facade's proxy, not the library's type |"
  "| erased | function \`traits_lib::visit_through\` | V (ref_mut crate::Visit vtable "
  "| erased | function \`traits_lib::count_any\` | V (ref crate::Visit vtable "
  "| erased | impl \`<u32 as traits_lib::Visit>\` |"
  "| exported | trait \`traits_lib::Walk\` |"
  "| erased | trait_method \`traits_lib::Gather::show\` | D (owned Display): each library impl's method runs once, over a proxy that calls back (size_of, TypeId and type_name of these see the proxy); a consumer's implementation is called through the vtable with the library's D (returned Display) erased: size_of, TypeId and type_name of these see the facade's proxy, not the library's type |"
  "| exported | trait \`traits_lib::Tag\` |  |"
  "| erased | function \`traits_lib::gather_all\` | G (ref_mut crate::Gather vtable "
  "| erased | function \`traits_lib::walk_until\` | W (ref crate::Walk vtable "
  "| unsupported | trait_method \`traits_lib::Visit::cloned\` | generic, not erased: T: the bound Clone is not erasable yet; not declared in the facade |"
  "| converted | trait_method \`traits_lib::Shape::describe\` | provided: the facade's default body runs the library's, on a proxy over the value |"
  "| converted | function \`traits_lib::describe_dyn\` |"
  "| converted | function \`traits_lib::render\` |"
  "| converted | function \`traits_lib::render_owned\` |"
  "| converted | function \`traits_lib::make_labelled\` |"
  "| erased | function \`traits_lib::render_generic\` | L (ref crate::Labelled vtable "
  "| erased | function \`traits_lib::render_shown\` | L (ref crate::Labelled vtable "
  "| erased | function \`traits_lib::walk_shown\` | W (ref crate::Walk + core::fmt::Display + core::fmt::Debug vtable "
  "| erased | function \`traits_lib::drain_shown\` | S (owned crate::Feed<Item = u32> + core::fmt::Debug vtable "
  "| exported | trait \`traits_lib::Peek\` |  |"
  "| exported | trait_method \`traits_lib::Peek::peek\` |  |"
  "| converted | trait_method \`traits_lib::Peek::peek_sum\` | provided: the facade's default body runs the library's, on a proxy over the value |"
  "| converted | function \`traits_lib::peek_dyn\` |"
  "| converted | function \`traits_lib::peek_boxed\` |"
  "| converted | function \`traits_lib::make_peek\` |"
  "| erased | function \`traits_lib::peek_generic\` | P (ref crate::Peek vtable "
  "| erased | function \`traits_lib::reissue\` | T (owned crate::Token vtable "
  "| erased | function \`traits_lib::cmp::rank_three\` | T (owned crate::cmp::Rank vtable "
  "| erased | function \`traits_lib::cmp::compare\` | M (ref crate::cmp::Measure vtable "
  "| erased | function \`traits_lib::cmp::distinct\` | K (owned crate::cmp::Keyed vtable "
  "| erased | function \`traits_lib::cmp::hash_log\` | K (ref crate::cmp::Keyed vtable "
  "| erased | function \`traits_lib::cmp::keep\` | T (owned crate::cmp::Tagged + 'static vtable "
  "| erased | function \`traits_lib::cmp::same\` | S (ref crate::cmp::Sticky vtable "
  "| erased | function \`traits_lib::cmp::twice\` | T (owned crate::cmp::Count + core::clone::Clone vtable "
  "| erased | function \`traits_lib::cmp::renew\` | T (ref crate::cmp::Renewal vtable "
  "| converted | trait_method \`traits_lib::cmp::Renewal::renewed\` | provided: the facade's default body runs the library's, on a proxy over the value |"
  "| converted | trait_method \`traits_lib::Renew::term\` | provided: the facade's default body runs the library's, on a proxy over the value |"
  "| exported | trait \`traits_lib::Step\` |  |"
  "trait \`traits_lib::cmp::Threshold\` | no vtable: its supertrait core::cmp::PartialOrd<..> compares with another type: only the Self form (\`PartialOrd\`, \`PartialOrd<Self>\`) has a table entry |"
  "| converted | method \`traits_lib::Canvas::pop\` |"
  "| converted | function \`traits_lib::unit_shape\` |"
  "| converted | function \`traits_lib::largest\` |"
  "| converted | function \`traits_lib::name_or\` |"
  "| converted | function \`traits_lib::make_shapes\` |"
  "| converted | method \`traits_lib::Canvas::get\` |"
  "| converted | function \`traits_lib::unit_circle\` |"
  "| unsupported | function \`traits_lib::first_name\` | parameter shapes: the return value may borrow from the trait objects it lends, which are lent for the call only |"
  "| unsupported | function \`traits_lib::tag\` | parameter s: the return value may borrow from this trait object, which is lent for the call only |"
  "| converted | method \`traits_lib::Bus::subscribe\` |"
  "| converted | function \`traits_lib::handle_once\` |"
  "| converted | function \`traits_lib::sum_feed\` |"
  "| converted | function \`traits_lib::count_down\` |"
  "| erased | function \`traits_lib::drain\` | S (owned crate::Feed<Item = u32> vtable "
  "| converted | method \`traits_lib::Bus::subscribe_all\` |"
  "| converted | function \`traits_lib::count_up\` |"
  "| erased | function \`traits_lib::sum_impl\` | impl_f (owned crate::Feed<Item = u32> vtable "
  "| unsupported | function \`traits_lib::count_words\` | parameter f: traits_lib::Feed: its associated type Item = String is not a type both sides name alike (numbers, bool, char, (), the crate's own types) yet |"
  "| erased | function \`traits_lib::fill\` | S (ref_mut crate::Sink vtable "
  "| converted | function \`traits_lib::slots::rotate\` |"
  "| converted | function \`traits_lib::slots::grow_all\` |"
  "| converted | function \`traits_lib::slots::restock\` |"
  "| unsupported | function \`traits_lib::slots::first_mut\` | parameter shapes: the return value may borrow from the trait objects it lends, which are lent for the call only |"
  "| erased | function \`traits_lib::collect_stream\` | S (ref_mut crate::Stream<Item = u32> vtable "
  "| erased | function \`traits_lib::sum_stream\` | S (owned crate::Stream<Item = u32> vtable "
  "| erased | function \`traits_lib::present_pair\` | R (ref crate::Present<u32> vtable "
  "| erased | trait_method \`traits_lib::Stream::each\` | F (erased per library impl and per vtable instance, whose arguments and associated types its bounds name): each library impl's method runs once, over a proxy that calls back (size_of, TypeId and type_name of these see the proxy); a consumer's implementation is called through the vtable with the library's F (returned FnMut(&u32) -> ()) erased: size_of, TypeId and type_name of these see the facade's proxy, not the library's type |"
  "| unsupported | function \`traits_lib::present_event\` | generic, not erased: R: traits_lib::Present<traits_lib::Event> has no vtable: present: parameter value: a crate::Event parameter does not cross back from the consumer yet;"
)

# direction NAME LIB_TOOLCHAIN USER_TOOLCHAIN
direction() {
  local name=$1 lib_tc=$2 user_tc=$3
  local dist=$work/dist-$name user=$work/user-$name
  if ! "$rdylib" build "$repo/tests/fixtures/traits_lib" --toolchain "$lib_tc" --out "$dist" \
      >"$work/$name-build.log" 2>&1; then
    fail "$name: rdylib build with $lib_tc"; cat "$work/$name-build.log"; return
  fi
  ok "$name: rdylib build with $lib_tc"
  local missing=0 line
  for line in "${report_lines[@]}"; do
    if ! grep -qF -- "$line" "$dist/traits_lib/report.md"; then
      echo "  report lacks: $line"; missing=1
    fi
  done
  if [[ $missing -eq 0 ]]; then
    ok "$name: the report lists the traits, their impls and what does not cross"
  else
    fail "$name: report"
  fi
  if $(cargo_for "$lib_tc") build --offline --release --lib --manifest-path "$dist/traits_lib/shim/Cargo.toml" \
      --target-dir "$work/shim-target-$name" >"$work/$name-shim.log" 2>&1 &&
      ! grep -q '^warning' "$work/$name-shim.log"; then
    ok "$name: the shim builds with $lib_tc, no warnings"
  else
    fail "$name: shim"; grep -A8 '^warning\|^error' "$work/$name-shim.log" | head -40
  fi
  cp -r "$repo/tests/fixtures/traits_user" "$user"
  sed -i "s|path = \"FACADE\"|path = \"$dist/traits_lib/facade\"|; s|path = \"NATIVE\"|path = \"$work/native\"|" \
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
  local exe=$work/target-$name/debug/traits_user
  "$exe" >"$work/$name-out.txt" 2>"$work/$name-err.txt"
  local rc=$?
  if [[ $rc -eq 0 ]] && diff -u "$expected" "$work/$name-out.txt"; then
    ok "$name: $(grep -c '^ok' "$work/$name-out.txt") checks give the native results"
  else
    fail "$name: checks (exit $rc)"; grep -v '^ok' "$work/$name-out.txt"; tail -5 "$work/$name-err.txt"
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
