// Tests of finding copied generic types in a facade and in rustc's MIR.
#include "build/check_copied_types.h"

#include <gtest/gtest.h>

#include "build/check_defaults.h"

namespace rdylib::build {
namespace {

plan::Plan TwoCopies() {
  plan::Plan plan;
  plan.crate_name = "lib";
  plan::CopiedTypePlan ring;
  ring.path = "lib::Ring";
  ring.name = "Ring";
  ring.host = "lib";
  ring.copied_module = "rdylib_copied";
  ring.from = "src/lib.rs:3";
  ring.impls = {{"impl<T> Ring<T> {}", "src/lib.rs:8", "/src/lib.rs", 8},
                {"impl<T> Clone for Ring<T> {}", "src/lib.rs:20", "/src/lib.rs", 20}};
  plan::CopiedTypePlan gone = ring;
  gone.path = "lib::Gone";
  gone.from = "src/lib.rs:30";
  gone.dropped = "it does not compile";
  plan.copied_types = {ring, gone};
  plan.copied_modules = {{"lib", "rdylib_copied", "", {"use std::fmt;", "extern crate std;"}}};
  return plan;
}

TEST(CheckCopiedTypesTest, FindsEachImportDefinitionAndImplByItsMarker) {
  const char* lib_rs =
      "// The library's generic types as they wrote them.\n"  // 1
      "mod rdylib_copied {\n"                                   // 2
      "    use super::*;\n"                                      // 3
      "    // The library's import #0.\n"                        // 4
      "    use std::fmt;\n"                                      // 5
      "    // The library's import #1.\n"                        // 6
      "    extern crate std;\n"                                  // 7
      "    // The library's type, copied from src/lib.rs:3.\n"   // 8
      "    #[derive(Debug)]\n"                                   // 9
      "    pub struct Ring<T>(Vec<T>);\n"                        // 10
      "    // The library's impl, copied from src/lib.rs:8.\n"   // 11
      "    impl<T> Ring<T> {\n"                                  // 12
      "    }\n"                                                  // 13
      "    // The library's impl, copied from src/lib.rs:20.\n"  // 14
      "    impl<T> Clone for Ring<T> {}\n"                       // 15
      "    // The end of the library's copies.\n"                // 16
      "}\n";
  std::vector<CopiedRegion> regions = FindCopiedRegions(TwoCopies(), lib_rs);
  ASSERT_EQ(regions.size(), 5u);
  auto is = [](const CopiedRegion& r, bool import, size_t index, size_t import_index, size_t impl, int first,
               int last) {
    return r.is_import == import && r.index == index && r.import == import_index && r.impl == impl &&
           r.first == first && r.last == last;
  };
  EXPECT_TRUE(is(regions[0], true, 0, 0, std::string::npos, 5, 5));
  EXPECT_TRUE(is(regions[1], true, 0, 1, std::string::npos, 7, 7));
  EXPECT_TRUE(is(regions[2], false, 0, 0, std::string::npos, 9, 10));
  EXPECT_TRUE(is(regions[3], false, 0, 0, 0, 12, 13));
  EXPECT_TRUE(is(regions[4], false, 0, 0, 1, 15, 15));
}

TEST(CheckCopiedTypesTest, MarkerLikeCommentsInTheLibrarysSourceNameNothing) {
  const char* lib_rs =
      "mod rdylib_copied {\n"                                   // 1
      "    // The library's type, copied from src/lib.rs:3.\n"   // 2
      "    pub struct Ring<T>(Vec<T>);\n"                        // 3
      "    // The library's import #x.\n"                        // 4
      "    // The library's import #7.\n"                        // 5
      "    // The library's impl, copied from src/lib.rs:8.\n"   // 6
      "    impl<T> Ring<T> {}\n"                                 // 7
      "    // The library's impl, copied from src/lib.rs:20.\n"  // 8
      "    impl<T> Clone for Ring<T> {}\n"                       // 9
      "    // The library's impl, copied from src/lib.rs:99.\n"  // 10: a third, which the plan has not
      "    // The end of the library's copies.\n"                // 11
      "}\n";
  std::vector<CopiedRegion> regions = FindCopiedRegions(TwoCopies(), lib_rs);
  ASSERT_EQ(regions.size(), 3u);
  // `#x.` is no marker; `#7.` is one, of an import the plan has not, so it
  // ends the type's region and names nothing.
  EXPECT_EQ(regions[0].last, 4);
  EXPECT_EQ(regions[1].impl, 0u);
  EXPECT_EQ(regions[2].impl, 1u);
  EXPECT_EQ(regions[2].last, 10);
}

TEST(CheckCopiedTypesTest, LabelsImplFunctionsByTheirFirstLine) {
  const char* mir =
      "fn lazy::<impl at /reg/lazy/src/inline_lazy.rs:21:1: 21:22>::get(_1: &lazy::Lazy<T>) -> &T {\n"
      "}\n"
      "const lazy::<impl at src/inline_lazy.rs:21:1: 21:22>::INIT: lazy::Lazy<T> = {\n"
      "fn lazy::<impl at src/inline_lazy.rs:49:1: 49:22>::other() -> () {\n";
  std::string labelled = LabelImpls(mir, {{"/reg/lazy/src/inline_lazy.rs:21", "copied_impl_0_0"}});
  EXPECT_EQ(labelled,
            "fn copied_impl_0_0::get(_1: &lazy::Lazy<T>) -> &T {\n"
            "}\n"
            "const copied_impl_0_0::INIT: lazy::Lazy<T> = {\n"
            "fn lazy::<impl at src/inline_lazy.rs:49:1: 49:22>::other() -> () {\n");
}

TEST(CheckCopiedTypesTest, ComparesEveryBodyUnderALabel) {
  std::map<std::string, std::string> lib = MirBodies(
      "fn copied_impl_0_0::get(_1: &Lazy<T>) -> &T {\n    _0 = copy _1;\n}\n"
      "fn copied_impl_0_0::get::{closure#0}(_1: u8) -> () {\n    return;\n}\n");
  std::map<std::string, std::string> same = lib;
  EXPECT_EQ(MirDifferenceUnder(lib, same, "copied_impl_0_0", true), "");
  std::map<std::string, std::string> other = MirBodies(
      "fn copied_impl_0_0::get(_1: &Lazy<T>) -> &T {\n    _0 = move _1;\n}\n"
      "fn copied_impl_0_0::get::{closure#0}(_1: u8) -> () {\n    return;\n}\n");
  EXPECT_EQ(MirDifferenceUnder(lib, other, "copied_impl_0_0", true),
            "its MIR differs in the facade (get: `_0 = copy _1;`)");
  std::map<std::string, std::string> missing = MirBodies("fn copied_impl_0_0::get(_1: &Lazy<T>) -> &T {\n    _0 = copy _1;\n}\n");
  EXPECT_EQ(MirDifferenceUnder(lib, missing, "copied_impl_0_0", true), "the facade's copy has no get::{closure#0}");
  EXPECT_EQ(MirDifferenceUnder({}, {}, "copied_impl_0_1", true), "rustc printed no MIR of the library's impl");
  EXPECT_EQ(MirDifferenceUnder({}, {}, "copied_impl_0_1", false), "");
}

}  // namespace
}  // namespace rdylib::build
