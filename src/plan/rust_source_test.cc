// Tests of the Rust lexer and the split of a function's source.
#include "plan/rust_source.h"

#include <gtest/gtest.h>

namespace rdylib::plan {
namespace {

std::vector<std::string> Texts(std::string_view s) {
  std::string why;
  auto t = Tokenize(s, &why);
  EXPECT_TRUE(t) << why;
  std::vector<std::string> out;
  if (t) {
    for (const SourceToken& x : *t) out.push_back(x.text);
  }
  return out;
}

TEST(RustSourceTest, TokenizesLiteralsCommentsAndLifetimes) {
  EXPECT_EQ(Texts("a::b -> c => 'x' 'a /* x /* y */ z */ \"s\\\"}\" // }\n r#\"q\"}\"# b'{' 1.5e-3 1..2"),
            (std::vector<std::string>{"a", "::", "b", "->", "c", "=>", "'x'", "'a", "\"s\\\"}\"", "r#\"q\"}\"#",
                                      "b'{'", "1.5e-3", "1", ".", ".", "2"}));
  EXPECT_EQ(Texts("r#type 'é' '\\u{1F600}' x.0"),
            (std::vector<std::string>{"type", "'é'", "'\\u{1F600}'", "x", ".", "0"}));
}

TEST(RustSourceTest, ReportsUnterminatedLiterals) {
  std::string why;
  EXPECT_FALSE(Tokenize("fn f() {\n /* open", &why));
  EXPECT_EQ(why, "an unterminated block comment on line 2 of the item");
  EXPECT_FALSE(Tokenize("\"abc", &why));
  EXPECT_EQ(why, "an unterminated string literal on line 1 of the item");
}

TEST(RustSourceTest, SplitsAFunction) {
  std::string why;
  auto fn = SplitFn(
      "/// Docs { not a body\n#[inline]\n#[cfg(all(a, b))]\nfn nth<F: Fn(u32) -> u32, const N: usize>(&'a self, mut n: "
      "[u8; { N }], (a, b): (u32, u32), f: F) -> [u8; { N }]\nwhere\n    Self: Sized,\n{\n    let s = \"}\";\n    n\n}",
      &why);
  ASSERT_TRUE(fn) << why;
  EXPECT_EQ(fn->name, "nth");
  EXPECT_EQ(fn->params, (std::vector<std::string>{"&'a self", "mut n", "(a, b)", "f"}));
  EXPECT_EQ(fn->body, "{\n    let s = \"}\";\n    n\n}");
}

TEST(RustSourceTest, RefusesWhatIsNotAFunctionWithABody) {
  std::string why;
  EXPECT_FALSE(SplitFn("fn area(&self) -> f64;", &why));
  EXPECT_EQ(why, "its source has no body");
  EXPECT_FALSE(SplitFn("impl_thing!(Foo, bar);", &why));
  EXPECT_EQ(why, "its source is not a function as written (a macro writes it)");
  auto fn = SplitFn("pub unsafe extern \"C\" fn f(x: u8) { x; }", &why);
  ASSERT_TRUE(fn) << why;
  EXPECT_EQ(fn->params, (std::vector<std::string>{"x"}));
}

TEST(RustSourceTest, FindsPathRootsAmongNames) {
  std::string why;
  auto t = Tokenize("{ let rt = 1; crate::rt::x(); rt::go(); }", &why);
  ASSERT_TRUE(t);
  EXPECT_EQ(FirstPathSegmentAmong(*t, {"rt", "api"}), "rt");
  t = Tokenize("{ crate::x() + rdylib_wire::y() }", &why);
  EXPECT_EQ(FirstPathSegmentAmong(*t, {"rt", "rdylib*"}), "rdylib_wire");
  t = Tokenize("{ $x + 1 }", &why);
  EXPECT_EQ(FirstPathSegmentAmong(*t, {"rt"}), "$");
  t = Tokenize("{ crate::rt::x() }", &why);
  EXPECT_EQ(FirstPathSegmentAmong(*t, {"rt"}), "rt");
  t = Tokenize("{ let rt = 2; rt + api }", &why);
  EXPECT_EQ(FirstPathSegmentAmong(*t, {"rt", "api"}), "");
}

}  // namespace
}  // namespace rdylib::plan

namespace rdylib::plan {
namespace {

TEST(RustSourceTest, ModuleImportsAreTheModulesOwnUseAndExternCrateItems) {
  const char* file = R"(//! Docs.
#![allow(dead_code)]
extern crate std;

use self::std::cell::Cell;
#[allow(deprecated)]
pub use self::std::sync::ONCE_INIT;
pub(crate) use std::collections::{HashMap, HashSet as Set};

pub struct Lazy<T>(Cell<Option<T>>);

fn helper() {
    use std::fmt::Write;
}

mod inner {
    use std::rc::Rc;
}
impl<T> Lazy<T> { const X: [u8; 1] = [0]; }
use std::mem;
)";
  EXPECT_EQ(ModuleImports(file),
            (std::vector<std::string>{"extern crate std;", "use self::std::cell::Cell;",
                                      "#[allow(deprecated)]\nuse self::std::sync::ONCE_INIT;",
                                      "use std::collections::{HashMap, HashSet as Set};", "use std::mem;"}));
  // An inline module's items are those inside its braces.
  EXPECT_EQ(ModuleImports("pub mod imp {\n    use core::cell::UnsafeCell;\n    pub struct A;\n}"),
            (std::vector<std::string>{"use core::cell::UnsafeCell;"}));
  EXPECT_TRUE(ModuleImports("pub struct A(u8").empty());
}

TEST(RustSourceTest, EnclosingModuleIsTheInnermostInlineModuleOrTheFile) {
  const std::string file = "use a::B;\nmod outer {\n    use c::D;\n    mod inner {\n        pub struct S<T>(T);\n    }\n"
                           "    pub struct O<T>(T);\n}\npub struct F<T>(T);\n";
  EXPECT_EQ(EnclosingModule(file, file.find("pub struct S")), "mod inner {\n        pub struct S<T>(T);\n    }");
  EXPECT_EQ(ModuleImports(EnclosingModule(file, file.find("pub struct O"))), (std::vector<std::string>{"use c::D;"}));
  EXPECT_EQ(EnclosingModule(file, file.find("pub struct F")), file);
}

}  // namespace
}  // namespace rdylib::plan
