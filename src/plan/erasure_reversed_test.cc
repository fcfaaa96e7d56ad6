// Tests of erasure the other way: which of the library's values cross to a
// consumer's generic trait method, and the exact reasons for the others.
#include <gtest/gtest.h>

#include "plan/erasure.h"

namespace rdylib::plan {
namespace {

using model::Type;

// Items 80-89 are std's traits; any other is the crate's.
class Namer : public TypeNamer {
 public:
  std::string ShimName(model::ItemId) const override { return ""; }
  std::string FacadeName(model::ItemId) const override { return ""; }
  std::string StdPath(model::ItemId id) const override {
    switch (id) {
      case 80: return "core::convert::AsRef";
      case 81: return "core::ops::function::FnMut";
      case 82: return "core::marker::Send";
      case 83: return "core::iter::traits::collect::IntoIterator";
      case 84: return "core::cmp::PartialOrd";
      case 85: return "core::marker::Copy";
      case 87: return "core::fmt::Display";
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

Type Generic(const std::string& name) {
  Type t;
  t.kind = Type::Kind::kGeneric;
  t.name = name;
  return t;
}

model::GenericBound Bound(model::ItemId id, std::vector<Type> args = {}) {
  model::GenericBound b;
  b.trait.id = id;
  b.trait.name = "Trait" + std::to_string(id);
  if (!args.empty()) {
    model::GenericArgs a;
    for (Type& t : args) {
      model::GenericArg g;
      g.type = std::move(t);
      a.args.push_back(std::move(g));
    }
    b.trait.args = std::move(a);
  }
  return b;
}

model::GenericBound IntoIter(Type item) {
  model::GenericBound b = Bound(83);
  model::GenericArgs a;
  model::AssocItemConstraint c;
  c.name = "Item";
  c.is_equality = true;
  c.equality_type = std::move(item);
  a.constraints.push_back(std::move(c));
  b.trait.args = std::move(a);
  return b;
}

// `fn m<P: bounds>(&self, x: P)`.
model::Function Method(std::vector<model::GenericBound> bounds) {
  model::Function f;
  model::GenericParamDef p;
  p.name = "P";
  p.bounds = std::move(bounds);
  f.generics.params.push_back(std::move(p));
  f.sig.inputs.push_back({"x", Generic("P")});
  return f;
}

bool Reversed(const model::Function& f, AbiValue* v, std::string* why, ErasedParam* ep = nullptr) {
  Namer namer;
  Erasure e(f, namer, "vt_crate__T__m");
  bool ok = e.ReversedValue("P", v, why);
  if (ok && ep != nullptr) *ep = e.params().back();
  return ok;
}

TEST(ReversedErasure, IntoIteratorOfScalarsIsTheLibrarysValue) {
  AbiValue v;
  std::string why;
  ErasedParam ep;
  ASSERT_TRUE(Reversed(Method({IntoIter(Prim("u32"))}), &v, &why, &ep)) << why;
  EXPECT_EQ(ep.mode, ErasedMode::kReturned);
  EXPECT_EQ(ep.id, "vt_crate__T__m__P");
  EXPECT_EQ(ep.Text(), "returned IntoIterator<Item = u32>");
  EXPECT_EQ(v.kind, AbiValue::Kind::kErased);
  EXPECT_EQ(v.erased_mode, "returned");
  EXPECT_EQ(v.erased_text, "returned IntoIterator<Item = u32>");
}

TEST(ReversedErasure, AsRefStrDisplayAndSendCross) {
  AbiValue v;
  std::string why;
  ErasedParam ep;
  ASSERT_TRUE(Reversed(Method({Bound(80, {Prim("str")}), Bound(87), Bound(82)}), &v, &why, &ep)) << why;
  EXPECT_EQ(ep.Text(), "returned AsRef<str> + Display + Send");
}

TEST(ReversedErasure, AClosureIsLeftToTheClosureForm) {
  AbiValue v;
  std::string why = "stale";
  EXPECT_FALSE(Reversed(Method({Bound(81)}), &v, &why));
  EXPECT_EQ(why, "");
}

// A Copy value is lent for the call; comparisons read both operands as the
// library's one type, which holds while the consumer cannot keep a value
// for a later call (no 'static).
TEST(ReversedErasure, ComparisonsOfCopyValuesAreLentButNotWithStatic) {
  AbiValue v;
  std::string why;
  ErasedParam ep;
  ASSERT_TRUE(Reversed(Method({Bound(84), Bound(85)}), &v, &why, &ep)) << why;
  EXPECT_EQ(ep.mode, ErasedMode::kReturnedCopied);
  EXPECT_EQ(ep.Text(), "returned_copied PartialEq + PartialOrd + Copy");
  EXPECT_EQ(v.erased_mode, "returned_copied");

  model::GenericBound forever;
  forever.kind = model::GenericBound::Kind::kOutlives;
  forever.lifetime = "'static";
  EXPECT_FALSE(Reversed(Method({Bound(84), forever}), &v, &why));
  EXPECT_EQ(why, "P: PartialOrd + 'static: the consumer could keep a value and compare it with one of another "
                 "library type behind the same proxy type");
  EXPECT_FALSE(Reversed(Method({Bound(87), Bound(85), forever}), &v, &why));
  EXPECT_EQ(why, "P: Copy + 'static: the consumer's method may keep copies, which a lent proxy cannot outlive");
}

TEST(ReversedErasure, ItemsThatBorrowOrAreParametersAreRefused) {
  AbiValue v;
  std::string why;
  Type str_ref;
  str_ref.kind = Type::Kind::kBorrowedRef;
  str_ref.elems.push_back(Prim("str"));
  EXPECT_FALSE(Reversed(Method({IntoIter(str_ref)}), &v, &why));
  EXPECT_EQ(why, "P: its items (&str) do not cross from the library to a consumer's method yet (scalars, char and "
                 "String do)");

  model::Function f = Method({IntoIter(Generic("S"))});
  model::GenericParamDef s;
  s.name = "S";
  s.bounds.push_back(Bound(80, {Prim("str")}));
  f.generics.params.push_back(s);
  EXPECT_FALSE(Reversed(f, &v, &why));
  EXPECT_EQ(why, "P: its items are of type parameter S, which does not cross to a consumer's method yet");
}

TEST(ReversedErasure, ABoundErasureDoesNotKnowIsRefused) {
  AbiValue v;
  std::string why;
  EXPECT_FALSE(Reversed(Method({Bound(77)}), &v, &why));
  EXPECT_EQ(why, "P: Trait77 is not std's, and not a trait of the crate with a vtable");
}

}  // namespace
}  // namespace rdylib::plan
