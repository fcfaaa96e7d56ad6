// Tests of how std containers cross as the self of trait methods.
#include "plan/std_self.h"

#include <gtest/gtest.h>

namespace rdylib::plan {
namespace {

using model::Type;

// 91 is String, 92 Vec, 93 Cow.
class StdNamer : public TypeNamer {
 public:
  std::string ShimName(model::ItemId) const override { return ""; }
  std::string FacadeName(model::ItemId) const override { return ""; }
  std::string StdPath(model::ItemId id) const override {
    switch (id) {
      case 91: return "alloc::string::String";
      case 92: return "alloc::vec::Vec";
      case 93: return "alloc::borrow::Cow";
      default: return "";
    }
  }
};

Type Prim(const std::string& name) {
  Type t;
  t.kind = Type::Kind::kPrimitive;
  t.name = name;
  return t;
}

Type Path(model::ItemId id, std::optional<Type> arg = std::nullopt) {
  Type t;
  t.kind = Type::Kind::kResolvedPath;
  t.path.id = id;
  if (arg) {
    model::GenericArgs a;
    model::GenericArg g;
    g.kind = model::GenericArg::Kind::kType;
    g.type = *arg;
    a.args.push_back(std::move(g));
    t.path.args = std::move(a);
  }
  return t;
}

Type Ref(Type inner) {
  Type t;
  t.kind = Type::Kind::kBorrowedRef;
  t.elems.push_back(std::move(inner));
  return t;
}

Type Bytes() {
  Type t;
  t.kind = Type::Kind::kSlice;
  t.elems.push_back(Prim("u8"));
  return t;
}

TEST(StdSelf, ContainersAndReferencesToThemCross) {
  StdNamer namer;
  EXPECT_TRUE(StdSelfContainer(Path(91), namer));
  EXPECT_TRUE(StdSelfContainer(Ref(Path(91)), namer));
  EXPECT_TRUE(StdSelfContainer(Path(92, Prim("u8")), namer));
  EXPECT_FALSE(StdSelfContainer(Path(92, Prim("u32")), namer));
  EXPECT_TRUE(StdSelfContainer(Ref(Path(93, Bytes())), namer));
  // str and [u8] are the planner's own std self types.
  EXPECT_FALSE(StdSelfContainer(Ref(Prim("str")), namer));
}

TEST(StdSelf, ViewsSayWhatSelfIs) {
  StdNamer namer;
  AbiValue v;
  std::string why;
  ASSERT_TRUE(ClassifyStdSelf(Path(93, Prim("str")), true, namer, &v, &why)) << why;
  EXPECT_EQ(v.kind, AbiValue::Kind::kStdSelf);
  EXPECT_EQ(v.self_container, "cow");
  EXPECT_EQ(v.scalar, "str");
  EXPECT_FALSE(v.self_through_ref);
  EXPECT_TRUE(v.is_mutable);
  ASSERT_TRUE(ClassifyStdSelf(Ref(Path(92, Prim("u8"))), false, namer, &v, &why)) << why;
  EXPECT_EQ(v.self_container, "owned");
  EXPECT_EQ(v.scalar, "u8");
  EXPECT_TRUE(v.self_through_ref);
  ASSERT_TRUE(ClassifyStdSelf(Ref(Prim("str")), true, namer, &v, &why)) << why;
  EXPECT_EQ(v.self_container, "slice");
}

TEST(StdSelf, RefusalsSayWhy) {
  StdNamer namer;
  AbiValue v;
  std::string why;
  EXPECT_FALSE(ClassifyStdSelf(Path(91), true, namer, &v, &why));
  EXPECT_EQ(why, "&mut self of String or Vec crosses as a buffer written back, not as a view");
  EXPECT_FALSE(ClassifyStdSelf(Prim("str"), false, namer, &v, &why));
  EXPECT_EQ(why, "a receiver of an unsized str or [u8] does not cross this way");
  Type mut_ref = Ref(Path(91));
  mut_ref.is_mutable = true;
  EXPECT_FALSE(ClassifyStdSelf(mut_ref, false, namer, &v, &why));
  EXPECT_EQ(why, "a Self that is a mutable reference does not cross yet");
}

TEST(StdSelf, ReturnsBorrowingARebuiltSelf) {
  AbiValue cow;
  cow.kind = AbiValue::Kind::kCowStr;
  AbiValue opt;
  opt.kind = AbiValue::Kind::kOption;
  opt.children = {cow};
  std::string why;
  ASSERT_TRUE(SettleStdSelfReturn(&opt, true, &why));
  EXPECT_TRUE(opt.children[0].copy_borrowed);
  AbiValue kept = cow;
  ASSERT_TRUE(SettleStdSelfReturn(&kept, false, &why));
  EXPECT_FALSE(kept.copy_borrowed);
  AbiValue str;
  str.kind = AbiValue::Kind::kStr;
  EXPECT_FALSE(SettleStdSelfReturn(&str, true, &why));
  EXPECT_EQ(why, "its return may borrow from self, which the library rebuilt for the call (only a Cow is copied)");
}

}  // namespace
}  // namespace rdylib::plan
