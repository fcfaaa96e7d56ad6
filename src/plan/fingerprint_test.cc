// Tests of the canonical shape texts and the hashes built from them.
#include "plan/fingerprint.h"

#include <gtest/gtest.h>

namespace rdylib::plan {
namespace {

AbiValue Scalar(const std::string& s) {
  AbiValue v;
  v.kind = AbiValue::Kind::kScalar;
  v.scalar = s;
  return v;
}

AbiValue Pinned(const std::string& facade, model::ItemId id, AbiValue::Kind kind = AbiValue::Kind::kValue) {
  AbiValue v;
  v.kind = kind;
  v.facade_type = facade;
  v.type_id = id;
  return v;
}

// A plan with struct engine::P { pub x: f32 @0, pub y: f32 @4 } (item 1),
// struct engine::Outer { pub p: P @0 } (item 2) and fn engine::make(p: &P) -> Outer.
Plan SmallPlan() {
  Plan plan;
  plan.crate_name = "engine";
  TypePlan p;
  p.id = 1;
  p.path = "engine::P";
  p.size = 8;
  p.align = 4;
  p.is_copy = true;
  p.all_fields_cross = true;
  p.traits = {"Clone", "Debug"};
  p.fields = {{.name = "x", .offset = 0, .size = 4, .align = 4, .facade_type = "f32"},
              {.name = "y", .offset = 4, .size = 4, .align = 4, .facade_type = "f32"}};
  TypePlan outer;
  outer.id = 2;
  outer.path = "engine::Outer";
  outer.size = 8;
  outer.align = 4;
  outer.all_fields_cross = true;
  outer.fields = {{.name = "p", .offset = 0, .size = 8, .align = 4, .facade_type = "crate::P", .mentions = {1}}};
  plan.types = {p, outer};
  FunctionPlan f;
  f.path = "engine::make";
  f.symbol = "rdylib_v1_engine__make";
  f.params = {{"p", Pinned("crate::P", 1, AbiValue::Kind::kRef)}};
  f.ret = Pinned("crate::Outer", 2);
  plan.functions = {f};
  return plan;
}

TEST(FingerprintTest, ShapeTextNamesEveryFactTheFacadeRelieson) {
  Plan plan = SmallPlan();
  AssignFingerprints(&plan);
  EXPECT_EQ(plan.types[0].shape_text,
            "struct | size 8 | align 4 | no drop glue | fields x: f32 @0, y: f32 @4 | Copy | traits Clone, Debug | "
            "derives none | auto traits Send Sync");
  ASSERT_EQ(plan.checks.size(), 2u);
  EXPECT_EQ(plan.checks[0].path, "engine::Outer");
  EXPECT_EQ(plan.checks[1].text, plan.types[0].shape_text);
}

TEST(FingerprintTest, FormTextsNameKindsAndTypes) {
  AbiValue opt;
  opt.kind = AbiValue::Kind::kOption;
  opt.children = {Pinned("crate::World", 3, AbiValue::Kind::kRef)};
  opt.children[0].is_mutable = true;
  EXPECT_EQ(FormText(opt), "Option<&mut crate::World>");
  AbiValue res;
  res.kind = AbiValue::Kind::kResult;
  res.children = {Scalar("u32"), Pinned("crate::Shape", 4, AbiValue::Kind::kEnum)};
  EXPECT_EQ(FormText(res), "Result<u32, enum crate::Shape>");
}

// The symbol's hash changes with anything a caller relies on, also deep
// inside a type it names, and stays the same otherwise.
TEST(FingerprintTest, SymbolsChangeWithTheLoweredSignatureAndNestedShapes) {
  Plan base = SmallPlan();
  AssignFingerprints(&base);
  const std::string symbol = base.functions[0].symbol;
  EXPECT_TRUE(symbol.starts_with("rdylib_v1_engine__make_"));
  EXPECT_EQ(symbol.size(), std::string("rdylib_v1_engine__make_").size() + 8);

  Plan same = SmallPlan();
  AssignFingerprints(&same);
  EXPECT_EQ(same.functions[0].symbol, symbol);

  Plan retyped = SmallPlan();  // a field of P, which Outer holds, changes type but not size
  retyped.types[0].fields[0].facade_type = "i32";
  AssignFingerprints(&retyped);
  EXPECT_NE(retyped.functions[0].symbol, symbol);
  EXPECT_NE(retyped.types[1].shape_hash, base.types[1].shape_hash);
  EXPECT_EQ(retyped.types[1].shape_text, base.types[1].shape_text);  // Outer's own text is unchanged

  Plan receiver = SmallPlan();
  receiver.functions[0].params[0].value.is_mutable = true;
  AssignFingerprints(&receiver);
  EXPECT_NE(receiver.functions[0].symbol, symbol);

  Plan copy_removed = SmallPlan();
  copy_removed.types[0].is_copy = false;
  AssignFingerprints(&copy_removed);
  EXPECT_NE(copy_removed.functions[0].symbol, symbol);
}

TEST(FingerprintTest, AFunctionThatBecomesUnsafeGetsAnotherSymbol) {
  Plan safe = SmallPlan();
  safe.functions[0].facade_signature = "pub fn make(p: &crate::P) -> crate::Outer";
  AssignFingerprints(&safe);
  Plan made_unsafe = SmallPlan();
  made_unsafe.functions[0].facade_signature = "pub unsafe fn make(p: &crate::P) -> crate::Outer";
  AssignFingerprints(&made_unsafe);
  EXPECT_NE(made_unsafe.functions[0].symbol, safe.functions[0].symbol);
  Plan in_impl = SmallPlan();
  in_impl.functions[0].facade_signature = "unsafe fn make(p: &crate::P) -> crate::Outer";
  AssignFingerprints(&in_impl);
  EXPECT_EQ(in_impl.functions[0].symbol, made_unsafe.functions[0].symbol);
}

TEST(FingerprintTest, TypesThatNameThemselvesGetAHash) {
  Plan plan = SmallPlan();
  plan.types[1].fields[0].mentions = {2};  // Outer names itself, as a linked list does
  AssignFingerprints(&plan);
  EXPECT_EQ(plan.types[1].shape_hash.size(), 8u);
}

TEST(FingerprintTest, ConstantsAreCheckedByValue) {
  Plan plan = SmallPlan();
  plan.consts = {{.path = "engine::LIMIT", .facade_type = "u32", .value = "7"}};
  AssignFingerprints(&plan);
  ASSERT_EQ(plan.checks.size(), 3u);
  EXPECT_EQ(plan.checks[0].path, "engine::LIMIT");
  EXPECT_EQ(plan.checks[0].text, "const u32 = 7");
}

}  // namespace
}  // namespace rdylib::plan
