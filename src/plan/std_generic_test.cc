// Tests of how std's collections, Rc/Arc and cells are classified, with the
// exact reasons for what does not cross.
#include "plan/std_generic.h"

#include <gtest/gtest.h>

#include "plan/fingerprint.h"

namespace rdylib::plan {
namespace {

using model::Type;

// Item 1 is the pinned type `Point`, item 2 the data enum `Shape`; items
// 90-99 are std's, by their defining paths; item 5 is the crate's own
// `HashMap`, which must not be taken for std's.
class Namer : public TypeNamer {
 public:
  std::string ShimName(model::ItemId id) const override {
    return id == 1 ? "target_crate::Point" : id == 2 ? "target_crate::Shape" : "";
  }
  std::string FacadeName(model::ItemId id) const override {
    return id == 1 ? "crate::Point" : id == 2 ? "crate::Shape" : "";
  }
  std::string EnumWireName(model::ItemId id) const override { return id == 2 ? "Shape" : ""; }
  std::string StdPath(model::ItemId id) const override {
    switch (id) {
      case 90: return "std::collections::hash::map::HashMap";
      case 91: return "alloc::string::String";
      case 92: return "alloc::collections::btree::map::BTreeMap";
      case 93: return "std::collections::hash::set::HashSet";
      case 94: return "alloc::collections::vec_deque::VecDeque";
      case 95: return "alloc::sync::Arc";
      case 96: return "alloc::rc::Rc";
      case 97: return "std::sync::poison::mutex::Mutex";
      case 98: return "core::cell::RefCell";
      case 99: return "alloc::collections::btree::set::BTreeSet";
      case 88: return "alloc::boxed::Box";
      case 87: return "core::any::Any";
      case 86: return "core::marker::Send";
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

Type Str() { return Path("String", 91); }
Type Point() { return Path("Point", 1); }

struct Result {
  bool ok;
  AbiValue v;
  std::string reason;
};

Result Of(const Type& t, bool is_return) {
  Result r;
  r.ok = Classify(t, is_return, Namer(), &r.v, &r.reason);
  return r;
}

TEST(StdGenericTest, NamesStdItemsByDefiningPath) {
  EXPECT_EQ(StdGenericName("std::collections::hash::map::HashMap"), "HashMap");
  EXPECT_EQ(StdGenericName("alloc::sync::Arc"), "Arc");
  EXPECT_EQ(StdGenericName("std::sync::poison::rwlock::RwLock"), "RwLock");
  EXPECT_EQ(StdGenericName("my_crate::HashMap"), "");
  EXPECT_EQ(StdGenericName("HashMap"), "");
}

TEST(StdGenericTest, OwnedCollectionsOfKeysAndElementsCrossAsRebuiltVecs) {
  Result map = Of(Path("HashMap", 90, {Str(), Prim("u32")}), false);
  ASSERT_TRUE(map.ok) << map.reason;
  EXPECT_EQ(map.v.kind, AbiValue::Kind::kCollection);
  EXPECT_EQ(map.v.container, "HashMap");
  ASSERT_EQ(map.v.children.size(), 2u);
  EXPECT_EQ(map.v.children[0].kind, AbiValue::Kind::kString);
  EXPECT_TRUE(map.v.IsConverted());
  EXPECT_EQ(FormText(map.v), "HashMap<String, u32> (a Vec, rebuilt)");

  Result tree = Of(Path("BTreeMap", 92, {Prim("u64"), Point()}), true);
  ASSERT_TRUE(tree.ok) << tree.reason;
  EXPECT_EQ(tree.v.WireType(true), "rt::WireVec<rt::WireTuple2<u64, crate::Point>>");

  Result deque = Of(Path("VecDeque", 94, {Path("Shape", 2)}), true);
  ASSERT_TRUE(deque.ok) << deque.reason;
  EXPECT_EQ(deque.v.WireType(false), "rt::WireVec<rdylib_enums::WireShape>");

  Result set = Of(Path("BTreeSet", 99, {Prim("char")}), false);
  ASSERT_TRUE(set.ok) << set.reason;
  EXPECT_EQ(FormText(set.v), "BTreeSet<char> (a Vec, rebuilt)");
}

TEST(StdGenericTest, KeysMustHashAndOrderAlikeOnBothSides) {
  Result pinned = Of(Path("HashSet", 93, {Point()}), true);
  EXPECT_FALSE(pinned.ok);
  EXPECT_EQ(pinned.reason,
            "HashSet keyed by this type does not cross yet (keys: integers, bool, char, String and the crate's "
            "types whose Hash and Eq, or Ord, the facade implements as the library; the collection is rebuilt with "
            "them on the other side)");
  // The crate's type whose Ord the facade implements keys a BTreeSet, not a
  // HashSet (no Hash).
  class OrdNamer : public Namer {
   public:
    bool ImplementsStd(model::ItemId id, const std::string& trait) const override {
      return id == 1 && (trait == "Ord" || trait == "Eq");
    }
  };
  AbiValue v;
  std::string reason;
  EXPECT_TRUE(Classify(Path("BTreeSet", 99, {Point()}), true, OrdNamer(), &v, &reason)) << reason;
  EXPECT_FALSE(Classify(Path("HashSet", 93, {Point()}), true, OrdNamer(), &v, &reason));
  EXPECT_FALSE(Of(Path("BTreeMap", 92, {Prim("f64"), Prim("u8")}), false).ok);
  EXPECT_EQ(Of(Path("HashMap", 90, {Prim("u8"), Prim("u128")}), false).reason,
            "HashMap of this element type does not cross yet");
  // A hasher other than the default: the other side could not rebuild it.
  EXPECT_EQ(Of(Path("HashMap", 90, {Prim("u8"), Prim("u8"), Path("S", 3)}), true).reason,
            "HashMap with a hasher other than RandomState does not cross yet");
  // The crate's own `HashMap` is not std's.
  EXPECT_EQ(Of(Path("HashMap", 5, {Prim("u8"), Prim("u8")}), true).reason, "HashMap does not cross yet");
}

TEST(StdGenericTest, SharedReferencesAreLentCopiesOfPlainData) {
  Result lent = Of(Ref(Path("HashMap", 90, {Str(), Prim("i64")})), false);
  ASSERT_TRUE(lent.ok) << lent.reason;
  EXPECT_TRUE(lent.v.lent);
  EXPECT_EQ(FormText(lent.v), "&HashMap<String, i64> (lent as a Vec, rebuilt)");
  EXPECT_EQ(Of(Ref(Path("VecDeque", 94, {Point()})), false).reason,
            "&VecDeque of this element type does not cross yet: the library gets a rebuilt copy, which for the "
            "crate's types would not be the consumer's values");
  EXPECT_EQ(Of(Ref(Path("HashMap", 90, {Str(), Prim("i64")}), true), false).reason,
            "&mut HashMap does not cross yet: the library would change a rebuilt copy, and writing it back exactly "
            "is not done");
  EXPECT_EQ(Of(Ref(Path("BTreeMap", 92, {Str(), Prim("i64")})), true).reason,
            "a returned &BTreeMap does not cross: std's BTreeMap cannot be shared in place (its layout is each "
            "std's own), and a copy would not be a borrow of the library's");
}

TEST(StdGenericTest, RcAndArcShareTheirAllocationOnAMeasuredFact) {
  Result arc = Of(Path("Arc", 95, {Point()}), true);
  ASSERT_TRUE(arc.ok) << arc.reason;
  EXPECT_EQ(arc.v.kind, AbiValue::Kind::kShared);
  EXPECT_EQ(arc.v.std_fact, "Arc<u64>");
  EXPECT_EQ(arc.v.WireType(true), "*const crate::Point");
  EXPECT_FALSE(arc.v.IsConverted());
  EXPECT_EQ(FormText(arc.v), "Arc<crate::Point> (one allocation, Arc<u64>)");

  Result rc = Of(Path("Rc", 96, {Str()}), false);
  ASSERT_TRUE(rc.ok) << rc.reason;
  EXPECT_EQ(rc.v.std_fact, "Rc<u64>");
  ASSERT_EQ(rc.v.children.size(), 1u);
  // The String inside is shared in place too.
  EXPECT_EQ(rc.v.children[0].std_fact, "String");
  EXPECT_EQ(rc.v.WireType(false), "*const String");

  Type str_slice;
  str_slice.kind = Type::Kind::kSlice;
  str_slice.elems.push_back(Prim("u8"));
  EXPECT_EQ(Of(Path("Arc", 95, {str_slice}), true).reason, "Arc of an unsized type does not cross yet");
  EXPECT_EQ(Of(Path("Rc", 96, {Path("Shape", 2)}), true).reason,
            "Rc of this type does not cross yet (the value is shared in place: integers, floats, bool, String and "
            "the crate's pinned types)");
  EXPECT_EQ(Of(Ref(Path("Arc", 95, {Prim("u8")})), false).reason,
            "references to Arc do not cross yet (an owned Arc does)");
}

TEST(StdGenericTest, CellsAndLocksAreRefusedWithTheirReason) {
  EXPECT_EQ(Of(Ref(Path("Mutex", 97, {Prim("u8")})), false).reason,
            "&Mutex does not cross: it would be shared in place, which needs both std's to implement it alike (its "
            "borrow flag, lock word or poison flag), and rdylib cannot check that");
}

TEST(StdGenericTest, CellsAndLocksByValueAreMovedAndRebuilt) {
  Result cell = Of(Path("RefCell", 98, {Prim("u8")}), true);
  ASSERT_TRUE(cell.ok) << cell.reason;
  EXPECT_EQ(cell.v.kind, AbiValue::Kind::kCellValue);
  EXPECT_EQ(cell.v.WireType(true), "u8");
  EXPECT_EQ(FormText(cell.v), "RefCell<u8> (moved: into_inner, rebuilt)");
  Result lock = Of(Path("Mutex", 97, {Str()}), true);
  ASSERT_TRUE(lock.ok) << lock.reason;
  // The poison flag crosses beside the value.
  EXPECT_EQ(lock.v.WireType(false), "rt::WireTuple2<u8, rt::WireString>");
  EXPECT_EQ(FormText(lock.v), "Mutex<String> (moved: into_inner, rebuilt; poison kept)");
  EXPECT_EQ(Of(Path("Mutex", 97, {Path("HashMap", 90, {Prim("u8"), Prim("u8")})}), false).reason,
            "Mutex of this type does not cross by value yet (integers, floats, bool, char, String, the crate's "
            "pinned types and enums with data)");
}

TEST(StdGenericTest, BoxOfAnyIsRefusedForItsTypeIds) {
  Type any;
  any.kind = Type::Kind::kDynTrait;
  any.dyn_trait = model::DynTrait{};
  for (auto [name, id] : {std::pair<const char*, model::ItemId>{"Any", 87}, {"Send", 86}}) {
    model::DynTrait::PolyTrait pt;
    pt.trait.name = name;
    pt.trait.id = id;
    any.dyn_trait->traits.push_back(pt);
  }
  EXPECT_EQ(Of(Path("Box", 88, {any}), true).reason,
            "Box<dyn Any> does not cross: the consumer downcasts by TypeId, which each compiler computes for its "
            "own std and crates, so whether a downcast succeeds would depend on the two compilers, not on the "
            "value");
}

}  // namespace
}  // namespace rdylib::plan
