// Tests of vtable entry values and the layout fingerprint.
#include "plan/vtable.h"

#include <gtest/gtest.h>

namespace rdylib::plan {
namespace {

AbiValue Of(AbiValue::Kind kind, const std::string& scalar = "") {
  AbiValue v;
  v.kind = kind;
  v.scalar = scalar;
  return v;
}

TEST(VtableTest, BuffersGoInAndCowsComeBack) {
  std::string why;
  EXPECT_TRUE(VtableValue(Of(AbiValue::Kind::kBufferMut), false, &why));
  EXPECT_FALSE(VtableValue(Of(AbiValue::Kind::kBufferMut), true, &why));
  EXPECT_TRUE(VtableValue(Of(AbiValue::Kind::kCowStr), true, &why));
  EXPECT_FALSE(VtableValue(Of(AbiValue::Kind::kCowStr), false, &why));
  AbiValue option = Of(AbiValue::Kind::kOption);
  option.children = {Of(AbiValue::Kind::kCowStr)};
  EXPECT_TRUE(VtableValue(option, true, &why));
  option.children = {Of(AbiValue::Kind::kString)};
  EXPECT_FALSE(VtableValue(option, true, &why));
  EXPECT_EQ(why, "a Option<String> return does not cross back from the consumer yet");
}

TEST(VtableTest, LibraryDefaultsArePartOfTheLayout) {
  VtablePlan vt;
  vt.trait_path = "lib::Replacer";
  vt.name = "Replacer";
  AssignVtableLayout(&vt);
  std::string without = vt.hash;
  vt.library_defaults = {"lib::Replacer::by_ref"};
  AssignVtableLayout(&vt);
  EXPECT_EQ(vt.layout_text, "vtable drop; size; align; lib::Replacer::by_ref library default");
  EXPECT_NE(vt.hash, without);
}

VtablePlan Shape() {
  VtablePlan vt;
  vt.trait_path = "lib::Shape";
  vt.name = "Shape";
  vt.traits = {"lib::Shape"};
  VtableEntry area;
  area.trait_path = "lib::Shape";
  area.name = "area";
  area.ret = Of(AbiValue::Kind::kScalar, "f64");
  vt.entries.push_back(area);
  return vt;
}

TEST(VtableTest, EntriesCarryOnlyValuesThatMeanTheSameBothWays) {
  std::string why;
  EXPECT_TRUE(VtableValue(Of(AbiValue::Kind::kScalar, "f64"), false, &why));
  EXPECT_TRUE(VtableValue(Of(AbiValue::Kind::kStr), true, &why));
  EXPECT_TRUE(VtableValue(Of(AbiValue::Kind::kString), true, &why));
  EXPECT_FALSE(VtableValue(Of(AbiValue::Kind::kString), false, &why));
  EXPECT_NE(why.find("parameter"), std::string::npos);
  EXPECT_FALSE(VtableValue(Of(AbiValue::Kind::kScalar, "u128"), false, &why));
  EXPECT_FALSE(VtableValue(Of(AbiValue::Kind::kVec), true, &why));
  EXPECT_NE(why.find("return"), std::string::npos);
}

TEST(VtableTest, TheLayoutHashCoversEveryEntry) {
  VtablePlan a = Shape();
  AssignVtableLayout(&a);
  EXPECT_EQ(a.layout_text, "vtable drop; size; align; lib::Shape::area(&self) -> f64");
  VtablePlan b = Shape();
  b.entries[0].mutable_self = true;
  AssignVtableLayout(&b);
  EXPECT_NE(a.hash, b.hash);
  VtablePlan c = Shape();
  c.entries[0].params.emplace_back("k", Of(AbiValue::Kind::kScalar, "f32"));
  AssignVtableLayout(&c);
  EXPECT_NE(a.hash, c.hash);
  VtablePlan d = Shape();
  d.entries[0].ret = Of(AbiValue::Kind::kScalar, "f32");
  AssignVtableLayout(&d);
  EXPECT_NE(a.hash, d.hash);
}

}  // namespace
}  // namespace rdylib::plan
