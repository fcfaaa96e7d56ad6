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

TEST(VtableTest, AnUnsafeMethodsEntryIsMarkedInTheLayout) {
  VtablePlan a = Shape();
  AssignVtableLayout(&a);
  VtablePlan b = Shape();
  b.entries[0].is_unsafe = true;
  AssignVtableLayout(&b);
  EXPECT_EQ(b.layout_text, "vtable drop; size; align; unsafe lib::Shape::area(&self) -> f64");
  // A library whose method became safe, or unsafe, is refused at load.
  EXPECT_NE(a.hash, b.hash);
}

TEST(VtableTest, StdFormattingSupertraitsAreEntriesOfTheLayout) {
  VtablePlan a = Shape();
  AssignVtableLayout(&a);
  VtablePlan b = Shape();
  b.std_supertraits = {"Debug", "Display"};
  AssignVtableLayout(&b);
  EXPECT_EQ(b.layout_text,
            "vtable drop; size; align; lib::Shape::area(&self) -> f64; "
            "core::fmt::Debug::fmt(&self, flags) -> String put; core::fmt::Display::fmt(&self, flags) -> String put");
  EXPECT_NE(a.hash, b.hash);
  VtablePlan c = Shape();
  c.std_supertraits = {"Display"};
  AssignVtableLayout(&c);
  EXPECT_NE(b.hash, c.hash);
  EXPECT_EQ(StdSupertraitEntry("Debug"), "std_fmt_debug");
  EXPECT_EQ(StdSupertraitEntry("Display"), "std_fmt_display");
  EXPECT_EQ(StdSupertraitEntry("Clone"), "std_clone");
  VtablePlan d = Shape();
  d.std_supertraits = {"Clone"};
  AssignVtableLayout(&d);
  EXPECT_EQ(d.layout_text,
            "vtable drop; size; align; lib::Shape::area(&self) -> f64; core::clone::Clone::clone(&self) -> owned data");
  EXPECT_EQ(StdSupertraitEntry("PartialEq"), "std_eq");
  EXPECT_EQ(StdSupertraitEntry("Eq"), "");
  EXPECT_EQ(StdSupertraitEntry("PartialOrd"), "std_partial_cmp");
  EXPECT_EQ(StdSupertraitEntry("Ord"), "std_cmp");
  EXPECT_EQ(StdSupertraitEntry("Hash"), "std_hash");
  EXPECT_EQ(StdSupertraitEntry("TypeId"), "std_type_id");
  VtablePlan e = Shape();
  AddStdSupertrait("Ord", &e.std_supertraits);
  AddStdSupertrait("Hash", &e.std_supertraits);
  AddStdSupertrait("PartialEq", &e.std_supertraits);
  EXPECT_EQ(e.std_supertraits, (std::vector<std::string>{"PartialEq", "Eq", "PartialOrd", "Ord", "Hash"}));
  EXPECT_TRUE(ComparesValues(e.std_supertraits));
  EXPECT_FALSE(ComparesValues(d.std_supertraits));
  AssignVtableLayout(&e);
  EXPECT_EQ(e.layout_text,
            "vtable drop; size; align; lib::Shape::area(&self) -> f64; "
            "core::cmp::PartialEq::eq(&self, other: &Self) -> bool; core::cmp::Eq marker; "
            "core::cmp::PartialOrd::partial_cmp(&self, other: &Self) -> Option<Ordering> i8; "
            "core::cmp::Ord::cmp(&self, other: &Self) -> Ordering i8; "
            "core::hash::Hash::hash(&self, state: Hasher write(kind, bytes, ret))");
  // The identity entry, and each comparison, changes the hash: a library
  // whose supertraits change is refused at load.
  VtablePlan f = e;
  f.std_supertraits.push_back("TypeId");
  AssignVtableLayout(&f);
  EXPECT_EQ(f.layout_text, e.layout_text + "; core::any::TypeId::of::<Self>() identity, checked by comparisons");
  EXPECT_NE(e.hash, f.hash);
  VtablePlan g = Shape();
  AddStdSupertrait("PartialOrd", &g.std_supertraits);
  EXPECT_EQ(g.std_supertraits, (std::vector<std::string>{"PartialEq", "PartialOrd"}));
  AssignVtableLayout(&g);
  EXPECT_NE(g.hash, e.hash);
}

TEST(VtableTest, StdSupertraitsTheProxyImplementsOrRefusesWithTheReason) {
  std::string name;
  std::string why;
  EXPECT_TRUE(StdSupertrait("core::fmt::Debug", &name, &why));
  EXPECT_EQ(name, "Debug");
  EXPECT_TRUE(StdSupertrait("core::fmt::Display", &name, &why));
  EXPECT_EQ(name, "Display");
  for (const char* marker : {"core::marker::Send", "core::marker::Sync", "core::marker::Sized"}) {
    EXPECT_TRUE(StdSupertrait(marker, &name, &why)) << marker;
    EXPECT_EQ(name, "") << marker;
  }
  for (const char* cmp : {"PartialEq", "Eq", "PartialOrd", "Ord"}) {
    EXPECT_TRUE(StdSupertrait(std::string("core::cmp::") + cmp, &name, &why)) << cmp;
    EXPECT_EQ(name, cmp);
  }
  EXPECT_TRUE(StdSupertrait("core::hash::Hash", &name, &why));
  EXPECT_EQ(name, "Hash");
  EXPECT_TRUE(StdSupertrait("core::clone::Clone", &name, &why));
  EXPECT_EQ(name, "Clone");
  EXPECT_FALSE(StdSupertrait("core::marker::Copy", &name, &why));
  EXPECT_EQ(why,
            "its supertrait core::marker::Copy cannot hold for a proxy over a value the consumer owns and drops "
            "through the table");
  EXPECT_FALSE(StdSupertrait("core::default::Default", &name, &why));
  EXPECT_NE(why.find("no consumer type to make it of"), std::string::npos);
  EXPECT_FALSE(StdSupertrait("core::any::Any", &name, &why));
  EXPECT_EQ(why, "its supertrait core::any::Any would give the proxy's TypeId, not the consumer's type's");
  EXPECT_FALSE(StdSupertrait("core::error::Error", &name, &why));
  EXPECT_EQ(why, "its supertrait core::error::Error is a std trait the proxy does not implement");
}

TEST(VtableTest, AnInstanceIsPartOfItsLayoutAndNames) {
  VtablePlan vt;
  vt.trait_path = "lib::Feed";
  vt.name = "Feed";
  AssignVtableLayout(&vt);
  std::string plain = vt.hash;
  vt.instance = "lib::Feed<Item = u32>";
  vt.facade_args = "<Item = u32>";
  vt.shim_args = "<Item = u32>";
  AssignVtableLayout(&vt);
  EXPECT_EQ(vt.layout_text, "vtable of lib::Feed<Item = u32>: drop; size; align");
  EXPECT_NE(vt.hash, plain);
  EXPECT_EQ(VtableTraitName(vt, "lib::Feed", true, true), "crate::Feed<Item = u32>");
  EXPECT_EQ(VtableTraitName(vt, "lib::Feed", false, false), "target_crate::Feed");
  EXPECT_EQ(VtableTraitName(vt, "lib::Named", true, true), "crate::Named");
  vt.facade_impl_args = "<crate::Event>";
  EXPECT_EQ(VtableMethodPath(vt, "lib::Feed", "D", "next", true), "<D as crate::Feed<crate::Event>>::next");
  EXPECT_EQ(VtableMethodPath(vt, "lib::Named", "D", "name", true), "crate::Named::name");
}

TEST(VtableTest, SubstitutesParametersAndSelfAssociatedTypes) {
  model::Type e;
  e.kind = model::Type::Kind::kGeneric;
  e.name = "E";
  model::Type item;
  item.kind = model::Type::Kind::kQualifiedPath;
  item.name = "Item";
  model::Type self;
  self.kind = model::Type::Kind::kGeneric;
  self.name = "Self";
  item.elems = {self};
  model::Type other = item;
  other.name = "Other";
  model::Type u32;
  u32.kind = model::Type::Kind::kPrimitive;
  u32.name = "u32";
  model::Type tuple;
  tuple.kind = model::Type::Kind::kTuple;
  tuple.elems = {e, item, other};
  SubstituteVtableArgs({{"E", u32}, {"Self::Item", u32}}, &tuple);
  EXPECT_EQ(tuple.elems[0].kind, model::Type::Kind::kPrimitive);
  EXPECT_EQ(tuple.elems[1].kind, model::Type::Kind::kPrimitive);
  // Not bound: left as it is (the instance refuses it first).
  EXPECT_EQ(tuple.elems[2].kind, model::Type::Kind::kQualifiedPath);
}

}  // namespace
}  // namespace rdylib::plan
