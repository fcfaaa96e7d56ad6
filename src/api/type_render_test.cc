// Tests for rendering types and signatures as Rust text, on fixture items
// read from both JSON formats.
#include "api/type_render.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace rdylib::api {
namespace {

class TypeRenderTest : public ::testing::TestWithParam<std::string> {
 protected:
  const model::Crate& crate() { return testing::FixtureCrate("api_fixture", GetParam()); }

  const model::Function& Fn(const std::string& name) {
    for (const auto& [id, item] : crate().index) {
      if (item.crate_id == 0 && item.name == name && item.kind == model::ItemKind::kFunction) {
        return item.As<model::Function>();
      }
    }
    throw std::runtime_error("no fn " + name);
  }

  std::string Render(const std::string& name) {
    TypeRenderer r(crate(), nullptr);
    const model::Function& f = Fn(name);
    return r.Header(f.header) + "fn " + name + r.Params(f.generics) + r.Signature(f.sig) +
           r.Where(f.generics);
  }
};

TEST_P(TypeRenderTest, RendersPointersArraysAndHeaders) {
  EXPECT_EQ(Render("read_raw"), "unsafe fn read_raw(p: *const u8, q: *mut [u16; 4]) -> u8");
  EXPECT_EQ(Render("square"), "const fn square(x: i64) -> i64");
  EXPECT_EQ(Render("c_callback"),
            "extern \"C\" fn c_callback(cb: Option<extern \"C\" fn(i32) -> i32>, x: i32) -> i32");
}

TEST_P(TypeRenderTest, RendersBoundsBindersAndAssociatedTypes) {
  EXPECT_EQ(Render("generic_where"),
            "fn generic_where<I, F>(iter: I, f: F) -> usize where "
            "I: core::iter::traits::collect::IntoIterator<Item = u32>, "
            "F: for<'x> core::ops::function::Fn(&'x u32) -> bool");
  EXPECT_EQ(Render("takes_impl"),
            "fn takes_impl(it: impl core::iter::traits::iterator::Iterator<Item = char>) -> "
            "impl core::iter::traits::iterator::Iterator<Item = char>");
}

TEST_P(TypeRenderTest, RendersDynTuplesAndQualifiedPaths) {
  // Without local paths, local items print by their defining path.
  EXPECT_EQ(Render("dyn_and_tuple"),
            "fn dyn_and_tuple(d: &dyn api_fixture::Named, t: (u8, (), [i8; 3])) -> "
            "&'static [u8]");
  EXPECT_EQ(Render("first_item"),
            "fn first_item<T: api_fixture::Describe>(x: &T) -> "
            "<T as api_fixture::Describe>::Output");
}

TEST_P(TypeRenderTest, RendersReceiversAndSelf) {
  EXPECT_EQ(Render("push"), "fn push(&mut self, item: T) -> &mut Self");
  EXPECT_EQ(Render("into_items"), "fn into_items(self) -> Vec<T>");
}

TEST(PublicStdPathTest, NamesItemsOfPrivateStdModulesWhereTheyAreReexported) {
  EXPECT_EQ(PublicStdPath("core::iter::traits::iterator::Iterator"), "core::iter::Iterator");
  EXPECT_EQ(PublicStdPath("core::iter::adapters::map::Map"), "core::iter::Map");
  EXPECT_EQ(PublicStdPath("core::ops::arith::Add"), "core::ops::Add");
  EXPECT_EQ(PublicStdPath("std::collections::hash::map::HashMap"), "std::collections::hash_map::HashMap");
  EXPECT_EQ(PublicStdPath("core::fmt::Display"), "core::fmt::Display");
  EXPECT_EQ(PublicStdPath("mycrate::ops::arith::Add"), "mycrate::ops::arith::Add");
}

INSTANTIATE_TEST_SUITE_P(BothFormats, TypeRenderTest, ::testing::ValuesIn(testing::kToolchains),
                         [](const auto& info) { return testing::ToolchainTestName(info.param); });

}  // namespace
}  // namespace rdylib::api
