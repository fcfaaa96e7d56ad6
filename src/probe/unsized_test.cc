// Tests for unsized-type detection, on the edge_types fixture as both
// toolchains' rustdoc describe it, and for the probe skipping those types.
#include "probe/unsized.h"

#include <gtest/gtest.h>

#include "api/public_api.h"
#include "probe/probe_crate.h"
#include "test_support.h"

namespace rdylib::probe {
namespace {

class UnsizedTest : public ::testing::TestWithParam<std::string> {
 protected:
  const model::Crate& crate() { return testing::FixtureCrate("edge_types", GetParam()); }

  // Whether the crate's own type `name` is unsized; fails the test when the
  // type is missing.
  bool Unsized(const std::string& name) {
    for (const auto& [id, item] : crate().index) {
      if (item.crate_id == 0 && item.name == name &&
          (item.kind == model::ItemKind::kStruct || item.kind == model::ItemKind::kEnum)) {
        return IsUnsized(crate(), item);
      }
    }
    ADD_FAILURE() << "no type " << name;
    return false;
  }
};

TEST_P(UnsizedTest, PrivateAndPublicUnsizedFieldsMakeAStructUnsized) {
  EXPECT_TRUE(Unsized("UninitSlice"));  // private slice: from the blanket impls
  EXPECT_TRUE(Unsized("Label"));        // pub text: str
  EXPECT_TRUE(Unsized("Bytes"));        // pub [u8]
  EXPECT_TRUE(Unsized("Callback"));     // pub dyn Fn() -> u32
  EXPECT_TRUE(Unsized("Framed"));       // pub body: UninitSlice
}

TEST_P(UnsizedTest, EnumsAreSized) {
  EXPECT_FALSE(Unsized("Only"));
  EXPECT_FALSE(Unsized("Never"));
  EXPECT_FALSE(Unsized("Tagged"));
}

TEST_P(UnsizedTest, ProbeSkipsUnsizedTypesWithTheReason) {
  ProbeProgram program = GenerateProbe(crate(), api::BuildPublicApi(crate()));
  std::vector<std::string> skipped;
  for (const Skipped& s : program.skipped) {
    EXPECT_EQ(s.reason, kUnsizedReason) << s.path;
    skipped.push_back(s.path);
  }
  EXPECT_EQ(skipped, (std::vector<std::string>{"edge_types::Bytes", "edge_types::Callback",
                                               "edge_types::Framed", "edge_types::Label",
                                               "edge_types::UninitSlice"}));
  EXPECT_EQ(program.main_rs.find("edge_types::Label"), std::string::npos);
  EXPECT_NE(program.main_rs.find("Entry::new::<T>(\"edge_types::Only\")"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(BothToolchains, UnsizedTest, ::testing::ValuesIn(testing::kToolchains),
                         [](const auto& info) { return testing::ToolchainTestName(info.param); });

}  // namespace
}  // namespace rdylib::probe
