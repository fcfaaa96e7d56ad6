// Tests of how values are classified and converted at the boundary.
#include "plan/abi_value.h"
#include "plan/fingerprint.h"

#include <gtest/gtest.h>

namespace rdylib::plan {
namespace {

using model::Type;

// Names item 1 as the pinned type `Point` and item 2 as the data enum `Shape`.
class FakeNamer : public TypeNamer {
 public:
  std::string ShimName(model::ItemId id) const override {
    return id == 1 ? "target_crate::Point" : id == 2 ? "target_crate::Shape" : "";
  }
  std::string FacadeName(model::ItemId id) const override {
    return id == 1 ? "crate::Point" : id == 2 ? "crate::Shape" : "";
  }
  std::string EnumWireName(model::ItemId id) const override { return id == 2 ? "Shape" : ""; }
  // Items 90-93 are std's Result, String, Vec and Option; any other id is
  // the crate's own (such as a crate's own `Vec`, item 5).
  std::string StdPath(model::ItemId id) const override {
    switch (id) {
      case 90: return "core::result::Result";
      case 91: return "alloc::string::String";
      case 92: return "alloc::vec::Vec";
      case 93: return "core::option::Option";
      case 94: return "alloc::boxed::Box";
      default: return "";
    }
  }
  // Item 8 is the crate's `pub type c_int = i32;`.
  const model::Type* AliasOf(model::ItemId id) const override {
    static const model::Type kI32 = [] {
      model::Type t;
      t.kind = model::Type::Kind::kPrimitive;
      t.name = "i32";
      return t;
    }();
    return id == 8 ? &kI32 : nullptr;
  }
  // Item 7 is a library trait with a vtable.
  bool DynTrait(const model::Path& trait, std::string* vtable, std::string* hash, std::string* shim_path,
                std::string* facade_path, std::string*) const override {
    if (trait.id != 7) return false;
    *vtable = "Gauge";
    *hash = "abcd";
    *shim_path = "target_crate::Gauge";
    *facade_path = "crate::Gauge";
    return true;
  }
};

Type Prim(const std::string& name) {
  Type t;
  t.kind = Type::Kind::kPrimitive;
  t.name = name;
  return t;
}

Type Ref(Type inner, bool is_mutable = false) {
  Type t;
  t.kind = Type::Kind::kBorrowedRef;
  t.is_mutable = is_mutable;
  t.elems.push_back(std::move(inner));
  return t;
}

Type Path(const std::string& name, model::ItemId id, std::vector<Type> args = {}) {
  Type t;
  t.kind = Type::Kind::kResolvedPath;
  t.path.name = name;
  t.path.id = id;
  if (!args.empty()) {
    model::GenericArgs a;
    for (Type& arg : args) {
      model::GenericArg g;
      g.kind = model::GenericArg::Kind::kType;
      g.type = std::move(arg);
      a.args.push_back(std::move(g));
    }
    t.path.args = std::move(a);
  }
  return t;
}

Type Tuple(std::vector<Type> elems) {
  Type t;
  t.kind = Type::Kind::kTuple;
  t.elems = std::move(elems);
  return t;
}

// `dyn Gauge`, of the library trait item 7.
Type DynGauge() {
  Type t;
  t.kind = Type::Kind::kDynTrait;
  t.dyn_trait = model::DynTrait{};
  model::DynTrait::PolyTrait pt;
  pt.trait.name = "Gauge";
  pt.trait.id = 7;
  t.dyn_trait->traits.push_back(std::move(pt));
  return t;
}

AbiValue ClassifyOk(const Type& t, bool is_return) {
  AbiValue v;
  std::string reason;
  FakeNamer namer;
  EXPECT_TRUE(Classify(t, is_return, namer, &v, &reason)) << reason;
  return v;
}

std::string ClassifyFails(const Type& t, bool is_return) {
  AbiValue v;
  std::string reason;
  FakeNamer namer;
  EXPECT_FALSE(Classify(t, is_return, namer, &v, &reason));
  return reason;
}

TEST(AbiValueTest, ReferencesToScalarsAndPinnedTypesArePointers) {
  AbiValue r = ClassifyOk(Ref(Prim("i64")), true);
  EXPECT_EQ(r.kind, AbiValue::Kind::kRef);
  EXPECT_EQ(r.WireType(true), "*const i64");
  AbiValue p = ClassifyOk(Ref(Path("Point", 1), true), false);
  EXPECT_EQ(p.WireType(false), "*mut target_crate::Point");
  EXPECT_TRUE(p.Borrows());
  EXPECT_FALSE(ClassifyOk(Path("Point", 1), true).Borrows());
}

TEST(AbiValueTest, UnsupportedShapesSayWhy) {
  EXPECT_EQ(ClassifyFails(Tuple({Prim("u8"), Path("Vec", 92, {Prim("u8")})}), false),
            "tuples of this element type do not cross as parameters yet");
  EXPECT_EQ(ClassifyFails(Path("Option", 93, {Tuple({Prim("u8"), Prim("u8")})}), false),
            "Option of this type does not cross as a parameter yet");
  EXPECT_EQ(ClassifyFails(Tuple({Prim("u8"), Prim("u8"), Prim("u8"), Prim("u8")}), true),
            "tuples of more than three do not cross yet");
}

TEST(AbiValueTest, EnumsWithDataCrossAsTheirWireForm) {
  AbiValue v = ClassifyOk(Path("Shape", 2), false);
  EXPECT_EQ(v.kind, AbiValue::Kind::kEnum);
  EXPECT_EQ(v.WireType(true), "crate::rdylib_enums::WireShape");
}

TEST(AbiValueTest, StdTypesAreKnownByTheirDefiningPathNotTheirName) {
  // A crate's own `Vec` (item 5) is not std's, whatever it is called.
  EXPECT_EQ(ClassifyFails(Path("Vec", 5, {Prim("u8")}), false), "Vec does not cross yet");
  EXPECT_EQ(ClassifyOk(Path("MyVec", 92, {Prim("u8")}), false).kind, AbiValue::Kind::kVec);
}

TEST(AbiValueTest, ContainersOfTraitObjects) {
  Type boxed = Path("Box", 94, {DynGauge()});
  AbiValue given = ClassifyOk(Path("Vec", 92, {boxed}), false);
  EXPECT_EQ(given.kind, AbiValue::Kind::kVec);
  EXPECT_EQ(given.children[0].kind, AbiValue::Kind::kDynBox);
  EXPECT_EQ(ClassifyOk(Path("Vec", 92, {boxed}), true).WireType(true), "rt::WireVec<*mut core::ffi::c_void>");
  Type slice;
  slice.kind = Type::Kind::kSlice;
  slice.elems.push_back(boxed);
  EXPECT_EQ(ClassifyOk(Ref(slice), false).children[0].kind, AbiValue::Kind::kDynBox);
  // `&mut [Box<dyn Trait>]` and `&mut Vec<Box<dyn Trait>>`: moved in, handed
  // back; lent for the call, so a return may not borrow from them.
  AbiValue slots = ClassifyOk(Ref(slice, true), false);
  EXPECT_EQ(slots.kind, AbiValue::Kind::kSlice);
  EXPECT_TRUE(slots.is_mutable);
  EXPECT_TRUE(slots.LendsProxies());
  EXPECT_EQ(FormText(slots), "&mut [Box<dyn crate::Gauge> vtable abcd] (moved in, each slot handed back)");
  AbiValue grown = ClassifyOk(Ref(Path("Vec", 92, {boxed}), true), false);
  EXPECT_EQ(grown.kind, AbiValue::Kind::kVec);
  EXPECT_TRUE(grown.is_mutable);
  EXPECT_TRUE(grown.LendsProxies());
  EXPECT_EQ(FormText(grown), "&mut Vec<Box<dyn crate::Gauge> vtable abcd> (moved in, handed back)");
  EXPECT_FALSE(given.LendsProxies());
  EXPECT_EQ(ClassifyFails(Ref(slice, true), true), "slices of trait objects do not cross as returns yet");
  EXPECT_EQ(ClassifyOk(Path("Option", 93, {Ref(DynGauge(), true)}), false).children[0].kind,
            AbiValue::Kind::kDynRef);
  EXPECT_EQ(ClassifyOk(Path("Option", 93, {boxed}), false).children[0].kind, AbiValue::Kind::kDynBox);
  EXPECT_EQ(ClassifyFails(Path("Result", 90, {Ref(DynGauge()), Prim("u8")}), false),
            "Result of this type does not cross as a parameter yet");
}

}  // namespace
}  // namespace rdylib::plan

namespace rdylib::plan {
namespace {

Type Ptr(Type inner, bool is_mutable) {
  Type t;
  t.kind = Type::Kind::kRawPointer;
  t.is_mutable = is_mutable;
  t.elems.push_back(std::move(inner));
  return t;
}

TEST(AbiValueTest, AnAliasIsTheTypeItNames) {
  AbiValue v = ClassifyOk(Path("c_int", 8), false);
  EXPECT_EQ(v.kind, AbiValue::Kind::kScalar);
  EXPECT_EQ(v.WireType(true), "i32");
  EXPECT_EQ(ClassifyOk(Ref(Path("c_int", 8)), true).WireType(false), "*const i32");
}

TEST(AbiValueTest, RawPointersToPrimitivesAndStdTypesAreAddresses) {
  EXPECT_EQ(ClassifyOk(Ptr(Prim("u8"), false), false).WireType(true), "*const u8");
  EXPECT_EQ(ClassifyOk(Ptr(Path("c_int", 8), true), true).WireType(false), "*mut i32");
  EXPECT_EQ(ClassifyOk(Ptr(Tuple({}), true), false).WireType(true), "*mut ()");
  EXPECT_EQ(ClassifyOk(Ptr(Path("String", 91), false), false).WireType(true), "*const alloc::string::String");
  EXPECT_EQ(ClassifyFails(Ptr(Path("Point", 1), false), false),
            "raw pointers to this type do not cross yet (only to primitives, () and std's types)");
  EXPECT_EQ(ClassifyFails(Ptr(Path("Vec", 92, {Prim("u8")}), false), false),
            "raw pointers to this type do not cross yet (only to primitives, () and std's types)");
}

}  // namespace
}  // namespace rdylib::plan

namespace rdylib::plan {
namespace {

TEST(AbiValueTest, SlicesOf128BitIntegersRelyOnTheirAlignmentFact) {
  Type wide;
  wide.kind = Type::Kind::kSlice;
  wide.elems.push_back(Prim("i128"));
  AbiValue shared = ClassifyOk(Ref(wide), false);
  EXPECT_EQ(shared.kind, AbiValue::Kind::kSlice);
  EXPECT_FALSE(shared.is_mutable);
  EXPECT_EQ(shared.std_fact, "i128");
  wide.elems[0] = Prim("u128");
  AbiValue lent = ClassifyOk(Ref(wide, true), false);
  EXPECT_TRUE(lent.is_mutable);
  EXPECT_EQ(lent.std_fact, "i128");
  EXPECT_EQ(lent.children[0].scalar, "u128");
  // Other scalars rely on no fact.
  wide.elems[0] = Prim("u64");
  EXPECT_EQ(ClassifyOk(Ref(wide), false).std_fact, "");
}


TEST(AbiValueTest, AStaticTraitObjectParameterIsKeptNotLent) {
  Type kept = Ref(DynGauge());
  kept.lifetime = "'static";
  AbiValue v = ClassifyOk(kept, false);
  EXPECT_EQ(v.kind, AbiValue::Kind::kDynRef);
  EXPECT_TRUE(v.static_borrow);
  EXPECT_FALSE(v.LendsProxies());  // its proxy outlives the call
  // Borrowed for a call only, for another named lifetime, mutably, or as a
  // return (the library's object): lent as before.
  EXPECT_FALSE(ClassifyOk(Ref(DynGauge()), false).static_borrow);
  Type named = Ref(DynGauge());
  named.lifetime = "'a";
  EXPECT_FALSE(ClassifyOk(named, false).static_borrow);
  Type unique = Ref(DynGauge(), true);
  unique.lifetime = "'static";
  EXPECT_FALSE(ClassifyOk(unique, false).static_borrow);
  EXPECT_FALSE(ClassifyOk(kept, true).static_borrow);
  Type shorter = kept;
  shorter.elems[0].dyn_trait->lifetime = "'a";
  EXPECT_FALSE(ClassifyOk(shorter, false).static_borrow);
}

}  // namespace
}  // namespace rdylib::plan
