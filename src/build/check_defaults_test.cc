// Tests of reading the compiler's verdict on copied default bodies.
#include "build/check_defaults.h"

#include <gtest/gtest.h>

namespace rdylib::build {
namespace {

TEST(CheckDefaultsTest, ParsesErrorsAndWarningsWithTheirMacroCalls) {
  const std::string out =
      R"({"reason":"compiler-artifact","package_id":"x"})"
      "\n"
      R"({"reason":"compiler-message","manifest_path":"/d/facade/Cargo.toml","message":{"level":"error","message":"cannot find function `helper` in this scope\nmore","spans":[{"is_primary":true,"file_name":"src/lib.rs","line_start":12}]}})"
      "\n"
      R"({"reason":"compiler-message","manifest_path":"/d/facade/Cargo.toml","message":{"level":"warning","message":"unused variable: `x`","spans":[{"is_primary":false,"file_name":"src/lib.rs","line_start":3},{"is_primary":true,"file_name":"/rustc/core/src/macros.rs","line_start":9,"expansion":{"span":{"file_name":"src/lib.rs","line_start":20}}}]}})"
      "\n"
      R"({"reason":"compiler-message","manifest_path":"/d/facade/Cargo.toml","message":{"level":"error","message":"aborting due to 1 previous error","spans":[]}})"
      "\nnot json\n";
  std::vector<CompilerMessage> m = ParseCompilerMessages(out);
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0].level, "error");
  EXPECT_EQ(m[0].text, "cannot find function `helper` in this scope");
  EXPECT_EQ(m[0].places, (std::vector<std::pair<std::string, int>>{{"/d/facade/src/lib.rs", 12}}));
  EXPECT_EQ(m[1].level, "warning");
  EXPECT_EQ(m[1].places, (std::vector<std::pair<std::string, int>>{{"/rustc/core/src/macros.rs", 9},
                                                                    {"/d/facade/src/lib.rs", 20}}));
}

plan::Plan TwoBodies() {
  plan::Plan p;
  plan::TraitPlan t;
  t.path = "k::Step";
  plan::TraitMethodPlan a;
  a.name = "twice";
  a.provided = true;
  a.declaration = "fn twice(&self) -> Self\nwhere\n    Self: Sized";
  a.copied_body = "{\n        self.step().step()\n    }";
  a.body_from = "src/lib.rs:10";
  plan::TraitMethodPlan b = a;
  b.name = "thrice";
  b.declaration = "fn thrice(&self) -> Self";
  b.copied_body = "{ self.twice().step() }";
  b.body_from = "src/lib.rs:20";
  t.methods = {a, b};
  p.traits.push_back(t);
  p.statuses.push_back({"trait_method", "k::Step::thrice", "exported",
                        "provided: declared without its default body, which runs in the library"});
  return p;
}

TEST(CheckDefaultsTest, FindsEachCopiedBodysLines) {
  plan::Plan p = TwoBodies();
  const std::string lib_rs =
      "pub trait Step {\n"                                               // 1
      "    // The library's default body, copied from src/lib.rs:20.\n"  // 2
      "    fn thrice(&self) -> Self { self.twice().step() }\n"           // 3
      "    // The library's default body, copied from src/lib.rs:10.\n"  // 4
      "    fn twice(&self) -> Self\n"                                     // 5
      "    where\n"
      "        Self: Sized {\n"
      "        self.step().step()\n"
      "    }\n"  // 9
      "}\n";
  std::vector<BodyLines> b = FindCopiedBodies(p, lib_rs);
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[0].method_index, 0u);
  EXPECT_EQ(b[0].first, 5);
  EXPECT_EQ(b[0].last, 9);
  EXPECT_EQ(b[1].method_index, 1u);
  EXPECT_EQ(b[1].first, 3);
  EXPECT_EQ(b[1].last, 3);
}

TEST(CheckDefaultsTest, FindsBodiesRustfmtReflowed) {
  plan::Plan p = TwoBodies();
  p.copied_functions.push_back({"k::visit", "k", "#[must_use]\n", "pub fn visit<V: Fn(u8) -> u8>(v: V) -> u8",
                                "{ helper(v) }", "src/v.rs:7", ""});
  const std::string lib_rs =
      "pub trait Step {\n"                                               // 1
      "    // The library's default body, copied from src/lib.rs:10.\n"  // 2
      "    fn twice(&self) -> Self\n"                                     // 3
      "    where\n"
      "        Self: Sized,\n"
      "    {\n"
      "        let s = \"}\"; // }\n"
      "        self.step().step()\n"
      "    }\n"  // 9
      "}\n"
      "\n"
      "// The library's body, copied from src/v.rs:7.\n"  // 12
      "#[must_use]\n"
      "pub fn visit<V: Fn(u8) -> u8>(\n"
      "    v: V,\n"
      ") -> u8 {\n"
      "    helper(v)\n"
      "}\n";  // 18
  std::vector<BodyLines> b = FindCopiedBodies(p, lib_rs);
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[0].first, 3);
  EXPECT_EQ(b[0].last, 9);
  EXPECT_EQ(b[1].function_index, 0u);
  EXPECT_EQ(b[1].first, 13);
  EXPECT_EQ(b[1].last, 18);
}

TEST(CheckDefaultsTest, DroppingABodySaysWhyInTheReport) {
  plan::Plan p = TwoBodies();
  EXPECT_TRUE(HasCopiedBodies(p));
  DropAllCopiedBodies(&p, "the library is edition 2015 and the facade 2021");
  EXPECT_FALSE(HasCopiedBodies(p));
  EXPECT_EQ(p.statuses[0].reason,
            "provided: declared without its default body (not copied: the library is edition 2015 and the facade "
            "2021), so a consumer's impl must define it");
}

TEST(CheckDefaultsTest, ReadsMirBodiesWithoutSourceLocations) {
  const std::string mir =
      "// WARNING: This output format is intended for human consumers only\n"
      "fn Step::nth(_1: &Self) -> u32 {\n"
      "    let mut _2: {closure@src/lib.rs:3:9: 3:12};\n"
      "    bb0: {\n"
      "        _0 = <Self as Step>::step(move _1) -> [return: bb1, unwind continue]; // comment\n"
      "    }\n"
      "}\n"
      "\n"
      "fn Step::nth::{closure#0}(_1: &{closure@src/lib.rs:3:9: 3:12}) -> u32 {\n"
      "    bb0: {\n"
      "        return;\n"
      "    }\n"
      "}\n"
      "const Step::nth::promoted[0]: &u32 = {\n"
      "    _0 = const 1_u32;\n"
      "}\n";
  std::map<std::string, std::string> b = MirBodies(mir);
  ASSERT_EQ(b.size(), 3u);
  EXPECT_EQ(b["Step::nth"],
            "fn _(_1: &Self) -> u32 {\n    let mut _2: {closure@};\n    bb0: {\n        _0 = <Self as "
            "Step>::step(move _1) -> [return: bb1, unwind continue];\n    }\n}\n");
  EXPECT_EQ(b["Step::nth::promoted[0]"], "const _: &u32 = {\n    _0 = const 1_u32;\n}\n");
  std::string moved = mir;
  moved.replace(moved.find("3:9: 3:12"), 9, "90:1: 90:4");
  EXPECT_EQ(MirDifference(b, MirBodies(moved), "Step::nth"), "");
}

TEST(CheckDefaultsTest, SpellsCratesAsTheFacadeDoes) {
  EXPECT_EQ(ExternCrateAliases("#![no_std]\nextern crate num_traits as traits;\nextern crate std;\n"),
            (std::map<std::string, std::string>{{"std", "std"}, {"traits", "num_traits"}}));
  const std::string lib = "fn T::f(_1: &Self) {\n    _2 = <Self as traits::Zero>::is_zero(x::traits::y, alloc::vec::Vec);\n}\n";
  const std::string facade = "fn T::f(_1: &Self) {\n    _2 = <Self as num_traits::Zero>::is_zero(x::traits::y, std::vec::Vec);\n}\n";
  EXPECT_EQ(MirDifference(MirBodies(lib, {{"traits", "num_traits"}}), MirBodies(facade), "T::f"), "");
  EXPECT_NE(MirDifference(MirBodies(lib), MirBodies(facade), "T::f"), "");
}

TEST(CheckDefaultsTest, NamesItemsByTheFacadesPaths) {
  const std::string lib =
      "fn roots::Roots::cbrt(_1: &Self) -> Self {\n    _0 = <Self as roots::Roots>::nth_root(move _1, const 3_u32);\n}\n";
  const std::string facade = "fn Roots::cbrt(_1: &Self) -> Self {\n    _0 = <Self as Roots>::nth_root(move _1, const 3_u32);\n}\n";
  std::map<std::string, std::string> renamed = MirBodies(lib, {}, {{"roots::Roots", "Roots"}});
  EXPECT_EQ(renamed.count("Roots::cbrt"), 1u);
  EXPECT_EQ(MirDifference(renamed, MirBodies(facade), "Roots::cbrt"), "");
}

TEST(CheckDefaultsTest, NamesTheFirstMirLineThatDiffers) {
  std::map<std::string, std::string> lib = {
      {"Step::settle", "fn _() {\n    _2 = drop::<Self>(move _3);\n}\n"},
      {"Step::settled", "fn _() {\n}\n"}};
  std::map<std::string, std::string> facade = {
      {"Step::settle", "fn _() {\n    _2 = std::mem::drop::<Self>(move _3);\n}\n"}};
  EXPECT_EQ(MirDifference(lib, facade, "Step::settle"),
            "its MIR differs in the facade (Step::settle: `_2 = drop::<Self>(move _3);`)");
  EXPECT_EQ(MirDifference(lib, lib, "Step::settle"), "");
  EXPECT_EQ(MirDifference(lib, facade, "Step::other"), "rustc printed no MIR of the library's Step::other");
  facade["Step::settle::{closure#0}"] = "fn _() {\n}\n";
  facade["Step::settle"] = lib["Step::settle"];
  EXPECT_EQ(MirDifference(lib, facade, "Step::settle"),
            "the facade's copy has a Step::settle::{closure#0} the library's has not");
}

}  // namespace
}  // namespace rdylib::build
