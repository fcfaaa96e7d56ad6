// Tests of which type parameters are erased, and why others are not.
#include "plan/erasure.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace rdylib::plan {
namespace {

using model::Type;

// Items 80-89 are std's traits (88 is Sized, 89 Clone); 91 is String; 95 is Box; any other is the crate's.
class FakeNamer : public TypeNamer {
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
      case 86: return "core::any::Any";
      case 87: return "core::fmt::Display";
      case 88: return "core::marker::Sized";
      case 89: return "core::clone::Clone";
      case 91: return "alloc::string::String";
      case 95: return "alloc::boxed::Box";
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

Type Ref(Type inner) {
  Type t;
  t.kind = Type::Kind::kBorrowedRef;
  t.elems.push_back(std::move(inner));
  return t;
}

model::GenericBound Trait(model::ItemId id, std::vector<Type> args = {}) {
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

model::Function OneParam(const std::string& param, std::vector<model::GenericBound> bounds, Type input) {
  model::Function f;
  model::GenericParamDef p;
  p.name = param;
  p.bounds = std::move(bounds);
  f.generics.params.push_back(std::move(p));
  f.sig.inputs.push_back({"x", std::move(input)});
  return f;
}

TEST(Erasure, AsRefStrByValueIsOwned) {
  FakeNamer namer;
  model::Function f = OneParam("S", {Trait(80, {Prim("str")})}, Generic("S"));
  Erasure e(f, namer, "crate__f");
  std::string why;
  ASSERT_TRUE(e.Run(&why)) << why;
  ASSERT_EQ(e.params().size(), 1u);
  EXPECT_EQ(e.params()[0].mode, ErasedMode::kOwned);
  EXPECT_EQ(e.params()[0].id, "crate__f__S");
  AbiValue v;
  ASSERT_TRUE(e.InputValue(0, &v));
  EXPECT_EQ(v.kind, AbiValue::Kind::kErased);
  EXPECT_EQ(v.erased_mode, "owned");
  EXPECT_EQ(v.erased_text, "owned AsRef<str>");
}

// A trait method kept out of `dyn` (`where Self: Sized`): the clause is
// about the receiver, so the parameter is still erased; a clause on Self
// with any other bound is not.
TEST(Erasure, WhereSelfSizedDoesNotStopErasure) {
  FakeNamer namer;
  model::Function f = OneParam("S", {Trait(80, {Prim("str")})}, Generic("S"));
  model::WherePredicate w;
  w.type = Generic("Self");
  w.bounds.push_back(Trait(88));
  f.generics.where_predicates.push_back(w);
  Erasure e(f, namer, "crate__Trait__m");
  std::string why;
  ASSERT_TRUE(e.Run(&why)) << why;
  ASSERT_EQ(e.params().size(), 1u);
  EXPECT_EQ(e.params()[0].Text(), "owned AsRef<str>");

  f.generics.where_predicates[0].bounds.push_back(Trait(85));  // Self: Sized + Copy
  Erasure copy(f, namer, "crate__Trait__m");
  EXPECT_FALSE(copy.Run(&why));
  EXPECT_EQ(why, "a where clause on a type other than a parameter: erasure cannot keep what it requires");
}

TEST(Erasure, ByReferenceIsLent) {
  FakeNamer namer;
  model::Function f = OneParam("S", {Trait(80, {Prim("str")})}, Ref(Generic("S")));
  Erasure e(f, namer, "p");
  std::string why;
  ASSERT_TRUE(e.Run(&why)) << why;
  EXPECT_EQ(e.params()[0].mode, ErasedMode::kRef);
}

TEST(Erasure, PartialOrdCopyIsCopiedAndHasItsSupertrait) {
  FakeNamer namer;
  model::Function f = OneParam("T", {Trait(84), Trait(85)}, Generic("T"));
  f.sig.inputs.push_back({"y", Generic("T")});
  Erasure e(f, namer, "p");
  std::string why;
  ASSERT_TRUE(e.Run(&why)) << why;
  ASSERT_EQ(e.params().size(), 1u);
  EXPECT_EQ(e.params()[0].mode, ErasedMode::kCopied);
  EXPECT_TRUE(e.params()[0].Has(ErasedTrait::kPartialEq));
}

TEST(Erasure, ReturnedParameterIsRefusedWithReason) {
  FakeNamer namer;
  model::Function f = OneParam("T", {Trait(84)}, Generic("T"));
  f.sig.output = Generic("T");
  Erasure e(f, namer, "p");
  std::string why;
  EXPECT_FALSE(e.Run(&why));
  EXPECT_NE(why.find("returns T"), std::string::npos) << why;
}

TEST(Erasure, ContainerOfParameterIsRefused) {
  FakeNamer namer;
  Type slice;
  slice.kind = Type::Kind::kSlice;
  slice.elems.push_back(Generic("T"));
  model::Function f = OneParam("T", {Trait(84)}, Ref(slice));
  Erasure e(f, namer, "p");
  std::string why;
  EXPECT_FALSE(e.Run(&why));
  EXPECT_NE(why.find("layout"), std::string::npos) << why;
}

TEST(Erasure, AnyIsRefusedWithReasonDisplayIsErased) {
  FakeNamer namer;
  std::string why;
  model::Function any = OneParam("T", {Trait(86)}, Generic("T"));
  EXPECT_FALSE(Erasure(any, namer, "p").Run(&why));
  EXPECT_NE(why.find("TypeId"), std::string::npos) << why;
  model::Function display = OneParam("T", {Trait(87)}, Ref(Generic("T")));
  Erasure e(display, namer, "p");
  ASSERT_TRUE(e.Run(&why)) << why;
  EXPECT_TRUE(e.params()[0].Has(ErasedTrait::kDisplay));
  EXPECT_EQ(e.params()[0].mode, ErasedMode::kRef);
}

TEST(Erasure, LibraryTraitBoundNeedsVtables) {
  FakeNamer namer;
  model::Function f = OneParam("T", {Trait(7)}, Generic("T"));
  std::string why;
  EXPECT_FALSE(Erasure(f, namer, "p").Run(&why));
  EXPECT_EQ(why, "T: Trait7 is not std's, and not a trait of the crate with a vtable");
}

// Item 9 is a trait of the crate with a vtable; item 10 one whose
// associated type a use site leaves open.
class VtableNamer : public FakeNamer {
 public:
  bool DynTrait(const model::Path& trait, std::string* vtable, std::string* hash, std::string* shim_path,
                std::string* facade_path, std::string* why) const override {
    if (trait.id == 10) *why = "lib::Feed: its associated type Item is not bound here";
    if (trait.id != 9) return false;
    *vtable = "lib__Replacer";
    *hash = "0badcafe";
    *shim_path = "target_crate::Replacer";
    *facade_path = "crate::Replacer";
    return true;
  }
};

TEST(Erasure, ALibraryTraitWithoutATableHereSaysWhy) {
  VtableNamer namer;
  model::Function f = OneParam("S", {Trait(10)}, Generic("S"));
  std::string why;
  EXPECT_FALSE(Erasure(f, namer, "p").Run(&why));
  EXPECT_EQ(why, "S: lib::Feed: its associated type Item is not bound here");
}

TEST(Erasure, LibraryTraitWithVtableCrossesAsItsTable) {
  VtableNamer namer;
  model::Function f = OneParam("R", {Trait(9)}, Generic("R"));
  Erasure e(f, namer, "p");
  std::string why;
  ASSERT_TRUE(e.Run(&why)) << why;
  AbiValue v;
  ASSERT_TRUE(e.InputValue(0, &v));
  EXPECT_EQ(v.kind, AbiValue::Kind::kDynBox);
  EXPECT_EQ(v.erased_mode, "generic");
  EXPECT_EQ(v.wire_name, "lib__Replacer");
  EXPECT_EQ(e.params()[0].Text(), "owned crate::Replacer vtable 0badcafe");
  model::Function lent = OneParam("R", {Trait(9), Trait(82)}, Ref(Generic("R")));
  lent.sig.inputs[0].second.is_mutable = true;
  Erasure l(lent, namer, "p");
  ASSERT_TRUE(l.Run(&why)) << why;
  ASSERT_TRUE(l.InputValue(0, &v));
  EXPECT_EQ(v.kind, AbiValue::Kind::kDynRef);
  EXPECT_TRUE(v.is_mutable);
}

TEST(Erasure, LibraryTraitWithOtherMethodBoundsIsRefused) {
  VtableNamer namer;
  model::Function f = OneParam("R", {Trait(9), Trait(84)}, Ref(Generic("R")));
  std::string why;
  EXPECT_FALSE(Erasure(f, namer, "p").Run(&why));
  EXPECT_EQ(why, "R: a library trait bound together with PartialEq is not erased yet");
  // Display without a table that extends the trait's: refused with why.
  model::Function g = OneParam("R", {Trait(9), Trait(87)}, Generic("R"));
  EXPECT_FALSE(Erasure(g, namer, "p").Run(&why));
  EXPECT_EQ(why, "R: a library trait bound together with Display: no table extends another here");
}

// Item 12 is a library trait whose vtable carries Display (its supertrait).
class DisplayVtableNamer : public VtableNamer {
 public:
  bool DynTrait(const model::Path& trait, std::string* vtable, std::string* hash, std::string* shim_path,
                std::string* facade_path, std::string* why) const override {
    if (trait.id != 12) return VtableNamer::DynTrait(trait, vtable, hash, shim_path, facade_path, why);
    *vtable = "lib__Labelled";
    *hash = "0ddba11";
    *shim_path = "target_crate::Labelled";
    *facade_path = "crate::Labelled";
    return true;
  }
  std::vector<std::string> DynStdSupertraits(model::ItemId id) const override {
    return id == 12 ? std::vector<std::string>{"Debug", "Display"} : std::vector<std::string>{};
  }
};

TEST(Erasure, AStdBoundTheVtableCarriesIsMetByItsProxy) {
  DisplayVtableNamer namer;
  // `L: Labelled + Display` where `Labelled: Debug + Display`: one proxy.
  model::Function f = OneParam("L", {Trait(12), Trait(87)}, Ref(Generic("L")));
  Erasure e(f, namer, "p");
  std::string why;
  ASSERT_TRUE(e.Run(&why)) << why;
  EXPECT_EQ(e.params()[0].Text(), "ref crate::Labelled vtable 0ddba11");
  EXPECT_FALSE(e.params()[0].Has(ErasedTrait::kDisplay));
}

// Tables extended for a use site: `lib__Replacer` with Display.
class ExtendingNamer : public DisplayVtableNamer {
 public:
  bool ExtendedVtable(const std::string& vtable, const std::vector<std::string>& extra, std::string* out,
                      std::string* hash, std::string* shim_path, std::string* facade_path,
                      std::string* why) const override {
    asked.push_back(fmt::format("{}: {}", vtable, fmt::join(extra, ", ")));
    if (vtable != "lib__Replacer" || extra != std::vector<std::string>{"Display"}) {
      *why = "not in this test";
      return false;
    }
    *out = "lib__Replacer_x12345678";
    *hash = "5eed5eed";
    *shim_path = "target_crate::Replacer + std::fmt::Display";
    *facade_path = "crate::Replacer + core::fmt::Display";
    return true;
  }
  mutable std::vector<std::string> asked;
};

TEST(Erasure, AStdBoundTheVtableDoesNotCarryCrossesInAnExtendedTable) {
  ExtendingNamer namer;
  model::Function g = OneParam("R", {Trait(9), Trait(87)}, Ref(Generic("R")));
  Erasure e(g, namer, "p");
  std::string why;
  ASSERT_TRUE(e.Run(&why)) << why;
  EXPECT_EQ(namer.asked, std::vector<std::string>{"lib__Replacer: Display"});
  EXPECT_EQ(e.params()[0].Text(), "ref crate::Replacer + core::fmt::Display vtable 5eed5eed");
  EXPECT_FALSE(e.params()[0].Has(ErasedTrait::kDisplay));
  AbiValue v;
  ASSERT_TRUE(e.InputValue(0, &v));
  EXPECT_EQ(v.kind, AbiValue::Kind::kDynRef);
  EXPECT_EQ(v.wire_name, "lib__Replacer_x12345678");
  EXPECT_EQ(v.dyn_hash, "5eed5eed");
  // A carried bound asks for no table.
  namer.asked.clear();
  model::Function f = OneParam("L", {Trait(12), Trait(87)}, Ref(Generic("L")));
  ASSERT_TRUE(Erasure(f, namer, "p").Run(&why)) << why;
  EXPECT_TRUE(namer.asked.empty());
}

// Item 9 is `lib::Replacer`, item 13 `lib::Step: PartialOrd`: tables
// extended with Clone, or with the identity entry for a 'static parameter.
class CmpNamer : public FakeNamer {
 public:
  bool DynTrait(const model::Path& trait, std::string* vtable, std::string* hash, std::string* shim_path,
                std::string* facade_path, std::string*) const override {
    if (trait.id != 9 && trait.id != 13) return false;
    std::string name = trait.id == 9 ? "Replacer" : "Step";
    *vtable = "lib__" + name;
    *hash = "0badcafe";
    *shim_path = "target_crate::" + name;
    *facade_path = "crate::" + name;
    return true;
  }
  std::vector<std::string> DynStdSupertraits(model::ItemId id) const override {
    return id == 13 ? std::vector<std::string>{"PartialEq", "PartialOrd"} : std::vector<std::string>{};
  }
  bool ExtendedVtable(const std::string& vtable, const std::vector<std::string>& extra, std::string* out,
                      std::string* hash, std::string* shim_path, std::string* facade_path,
                      std::string*) const override {
    asked.push_back(fmt::format("{}: {}", vtable, fmt::join(extra, ", ")));
    *out = vtable + "_x1";
    *hash = "5eed5eed";
    *shim_path = "target_crate::X";
    *facade_path = "crate::X";
    return true;
  }
  mutable std::vector<std::string> asked;
};

model::GenericBound Static() {
  model::GenericBound b;
  b.kind = model::GenericBound::Kind::kOutlives;
  b.lifetime = "'static";
  return b;
}

TEST(Erasure, CloneBesideALibraryTraitExtendsItsTable) {
  CmpNamer namer;
  std::string why;
  model::Function f = OneParam("W", {Trait(9), Trait(89)}, Generic("W"));
  Erasure e(f, namer, "p");
  ASSERT_TRUE(e.Run(&why)) << why;
  EXPECT_EQ(namer.asked, std::vector<std::string>{"lib__Replacer: Clone"});
  EXPECT_FALSE(e.params()[0].Has(ErasedTrait::kClone));
  EXPECT_EQ(e.params()[0].vtable, "lib__Replacer_x1");
  // Clone without a library trait is not erased, as before.
  model::Function g = OneParam("T", {Trait(89), Trait(87)}, Ref(Generic("T")));
  EXPECT_FALSE(Erasure(g, namer, "p").Run(&why));
  EXPECT_EQ(why, "T: the bound Clone is not erasable yet");
}

TEST(Erasure, AStaticParameterOfAComparingTraitGetsTheIdentityEntry) {
  CmpNamer namer;
  std::string why;
  // Not 'static: its values live for the call, all of one consumer type.
  model::Function f = OneParam("S", {Trait(13)}, Ref(Generic("S")));
  Erasure plain(f, namer, "p");
  ASSERT_TRUE(plain.Run(&why)) << why;
  EXPECT_TRUE(namer.asked.empty());
  EXPECT_EQ(plain.params()[0].vtable, "lib__Step");
  // `S: Step + 'static`: a value may outlive the call and meet another type's.
  model::Function g = OneParam("S", {Trait(13), Static()}, Ref(Generic("S")));
  Erasure bounded(g, namer, "p");
  ASSERT_TRUE(bounded.Run(&why)) << why;
  EXPECT_EQ(namer.asked, std::vector<std::string>{"lib__Step: 'static"});
  EXPECT_EQ(bounded.params()[0].vtable, "lib__Step_x1");
  EXPECT_EQ(bounded.params()[0].vtable_std, (std::vector<std::string>{"PartialEq", "PartialOrd", "TypeId"}));
  // `&'static S` implies `S: 'static`.
  namer.asked.clear();
  model::Function h = OneParam("S", {Trait(13)}, Ref(Generic("S")));
  h.sig.inputs[0].second.lifetime = "'static";
  ASSERT_TRUE(Erasure(h, namer, "p").Run(&why)) << why;
  EXPECT_EQ(namer.asked, std::vector<std::string>{"lib__Step: 'static"});
  // A trait that does not compare needs no identity.
  namer.asked.clear();
  model::Function r = OneParam("R", {Trait(9), Static()}, Ref(Generic("R")));
  ASSERT_TRUE(Erasure(r, namer, "p").Run(&why)) << why;
  EXPECT_TRUE(namer.asked.empty());
}

TEST(Erasure, ClosureReturningAsRefStrParameterCrossesOwned) {
  FakeNamer namer;
  model::GenericBound fn = Trait(81);
  model::GenericArgs a;
  a.kind = model::GenericArgs::Kind::kParenthesized;
  a.inputs.push_back(Prim("u32"));
  a.output = Generic("T");
  fn.trait.args = std::move(a);
  model::Function f = OneParam("F", {fn}, Ref(Generic("F")));
  f.sig.inputs[0].second.is_mutable = true;
  model::GenericParamDef t;
  t.name = "T";
  t.bounds.push_back(Trait(80, {Prim("str")}));
  f.generics.params.push_back(t);
  Erasure e(f, namer, "<F as lib::Fill>::fill");
  e.set_renderers({[](const model::GenericBound&) { return std::string("FnMut(u32) -> T"); },
                   [](const model::GenericBound&) { return std::string("FnMut(u32) -> T"); }});
  std::string why;
  ASSERT_TRUE(e.Run(&why)) << why;
  const ErasedParam& ep = e.params()[0];
  EXPECT_EQ(ep.fn_ret_as_ref, "str");
  EXPECT_EQ(ep.fn_ret.kind, AbiValue::Kind::kString);
  EXPECT_EQ(ep.fn_facade, "FnMut(u32) -> R");
  EXPECT_EQ(ep.fn_shim, "FnMut(u32) -> String");
  EXPECT_EQ(ep.id, "_F_as_lib__Fill___fill__F");
  EXPECT_EQ(ep.Text(), "ref_mut FnMut(u32) -> String (from AsRef<str>)");
}

TEST(Erasure, ClosureReturningParameterWithOtherBoundsIsRefused) {
  FakeNamer namer;
  model::GenericBound fn = Trait(81);
  model::GenericArgs a;
  a.kind = model::GenericArgs::Kind::kParenthesized;
  a.output = Generic("T");
  fn.trait.args = std::move(a);
  model::Function f = OneParam("F", {fn}, Generic("F"));
  model::GenericParamDef t;
  t.name = "T";
  t.bounds.push_back(Trait(87));
  f.generics.params.push_back(t);
  std::string why;
  EXPECT_FALSE(Erasure(f, namer, "p").Run(&why));
  EXPECT_EQ(why, "F: its closure returns T, a type parameter bounded by other than one AsRef<str> or AsRef<[u8]> "
                 "(not erased yet)");
}

TEST(Erasure, ClosureWithItsSignature) {
  FakeNamer namer;
  model::GenericBound fn = Trait(81);
  model::GenericArgs a;
  a.kind = model::GenericArgs::Kind::kParenthesized;
  a.inputs.push_back(Prim("u32"));
  a.output = Prim("u64");
  fn.trait.args = std::move(a);
  model::Function f = OneParam("F", {fn, Trait(82)}, Generic("F"));
  Erasure e(f, namer, "p");
  e.set_renderers({[](const model::GenericBound&) { return std::string("FnMut(u32) -> u64"); },
                   [](const model::GenericBound&) { return std::string("FnMut(u32) -> u64"); }});
  std::string why;
  ASSERT_TRUE(e.Run(&why)) << why;
  const ErasedParam& ep = e.params()[0];
  EXPECT_TRUE(ep.Has(ErasedTrait::kFnMut));
  EXPECT_TRUE(ep.Has(ErasedTrait::kSend));
  ASSERT_EQ(ep.fn_args.size(), 1u);
  EXPECT_EQ(ep.fn_ret.scalar, "u64");
  EXPECT_EQ(ep.fn_shim, "FnMut(u32) -> u64");
  EXPECT_EQ(ep.Text(), "owned FnMut(u32) -> u64 + Send");
}

TEST(Erasure, IntoIteratorOfAnotherErasedParameter) {
  FakeNamer namer;
  model::Function f;
  model::GenericParamDef i;
  i.name = "I";
  model::GenericBound into_iter = Trait(83);
  model::GenericArgs a;
  model::AssocItemConstraint item;
  item.name = "Item";
  item.equality_type = Generic("S");
  a.constraints.push_back(std::move(item));
  into_iter.trait.args = std::move(a);
  i.bounds.push_back(std::move(into_iter));
  model::GenericParamDef s;
  s.name = "S";
  s.bounds.push_back(Trait(80, {Prim("str")}));
  f.generics.params = {i, s};
  f.sig.inputs.push_back({"exprs", Generic("I")});
  Erasure e(f, namer, "p");
  std::string why;
  ASSERT_TRUE(e.Run(&why)) << why;
  ASSERT_EQ(e.params().size(), 2u);
  EXPECT_EQ(e.params()[0].item_param, 1);
  EXPECT_TRUE(e.params()[1].Has(ErasedTrait::kAsRefStr));
}

TEST(Erasure, ParameterOnlyChosenByTheCallerIsRefused) {
  FakeNamer namer;
  model::Function f;
  model::GenericParamDef p;
  p.name = "T";
  p.bounds.push_back(Trait(84));
  f.generics.params.push_back(p);
  std::string why;
  EXPECT_FALSE(Erasure(f, namer, "p").Run(&why));
  EXPECT_NE(why.find("only chosen by the caller"), std::string::npos) << why;
}

TEST(Erasure, AReturnBorrowingALentParameterIsRefused) {
  FakeNamer namer;
  model::Function f = OneParam("B", {Trait(80, {Prim("str")})}, Ref(Generic("B")));
  Type ret;
  ret.kind = Type::Kind::kBorrowedRef;
  ret.elems.push_back(Prim("str"));
  f.sig.output = ret;
  std::string why;
  EXPECT_FALSE(Erasure(f, namer, "p").Run(&why));
  EXPECT_NE(why.find("the return borrows from B"), std::string::npos) << why;
}

TEST(Erasure, BodiesThatAskForTheTypesIdentityAreNotErased) {
  EXPECT_EQ(BodyIdentityUse("fn f<T: AsRef<str>>(t: T) -> usize { t.as_ref().len() }"), "");
  EXPECT_NE(BodyIdentityUse("{ std::mem::size_of::<T>() }"), "");
  EXPECT_NE(BodyIdentityUse("{ core::any::type_name::<T>() }"), "");
  EXPECT_NE(BodyIdentityUse("{ std::mem::size_of_val(&t) }"), "");
  EXPECT_NE(BodyIdentityUse("{ TypeId::of::<T>() }"), "");
  // Not a word of its own: `my_size_of` is another function.
  EXPECT_EQ(BodyIdentityUse("{ my_size_of(t) }"), "");
}

}  // namespace
}  // namespace rdylib::plan
