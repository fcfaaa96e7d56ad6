// Tests of how values are classified and converted at the boundary.
#include "plan/abi_value.h"

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

Type Tuple(std::vector<Type> elems) {
  Type t;
  t.kind = Type::Kind::kTuple;
  t.elems = std::move(elems);
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

TEST(AbiValueTest, TupleArgumentsCrossAsWireTuplesOfTheirParts) {
  AbiValue v = ClassifyOk(Tuple({Prim("u8"), Prim("char")}), false);
  EXPECT_EQ(v.kind, AbiValue::Kind::kTuple);
  EXPECT_EQ(ShimParams("pair", v), "pair: rt::WireTuple2<u8, u32>");
  EXPECT_EQ(ShimArgExpr("pair", v),
            "{ let rt::WireTuple2(t0, t1) = pair; (t0, char::from_u32_unchecked(t1)) }");
  EXPECT_EQ(FacadeArgPrepare("pair", v),
            "let (pair_0, pair_1) = pair;\nlet pair = rt::WireTuple2(pair_0, pair_1 as u32);");
}

TEST(AbiValueTest, AStringPartOfAnArgumentIsLentAndKeptAliveByTheFacade) {
  AbiValue v = ClassifyOk(Path("Result", 90, {Prim("u32"), Path("String", 91)}), false);
  EXPECT_EQ(v.kind, AbiValue::Kind::kResult);
  EXPECT_EQ(FacadeArgType(v), "rt::WireResult<u32, rt::WireStr>");
  EXPECT_EQ(FacadeArgPrepare("r", v),
            "let mut r_kept: Vec<String> = Vec::new();\n"
            "let r = match r { Ok(x) => rt::WireResult::ok(x), Err(e) => rt::WireResult::err({ let s = e; "
            "let w = rt::WireStr::from_str(&s); r_kept.push(s); w }) };");
  EXPECT_EQ(ShimArgExpr("r", v), "r.into_result().map(|x| x).map_err(|e| e.as_str().to_string())");
}

TEST(AbiValueTest, OwnedArgumentsCrossAsTheirParts) {
  AbiValue s = ClassifyOk(Path("String", 91), false);
  EXPECT_EQ(ShimParams("text", s),
            "text_ptr: *mut u8, text_len: usize, text_cap: usize, text_owned: u8");
  EXPECT_EQ(ShimArgExpr("text", s), "rt::string_arg(text_ptr, text_len, text_cap, text_owned)");
  EXPECT_EQ(FacadeArgPrepare("text", s), "let text = rt::StringArg::new(text);");
  EXPECT_EQ(FacadeArgExprs("text", s), "text.ptr, text.len, text.cap, text.owned");
  AbiValue v = ClassifyOk(Path("Vec", 92, {Path("Point", 1)}), false);
  EXPECT_EQ(ShimParams("v", v),
            "v_ptr: *mut target_crate::Point, v_len: usize, v_cap: usize, v_owned: u8");
  EXPECT_EQ(FacadeArgExprs("v", v), "v.ptr as *mut crate::Point, v.len, v.cap, v.owned");
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
  EXPECT_EQ(ShimArgExpr("s", v), "rdylib_enums::from_wire_Shape(std::ptr::read(s))");
}

TEST(AbiValueTest, StdTypesAreKnownByTheirDefiningPathNotTheirName) {
  // A crate's own `Vec` (item 5) is not std's, whatever it is called.
  EXPECT_EQ(ClassifyFails(Path("Vec", 5, {Prim("u8")}), false), "Vec does not cross yet");
  EXPECT_EQ(ClassifyOk(Path("MyVec", 92, {Prim("u8")}), false).kind, AbiValue::Kind::kVec);
}

}  // namespace
}  // namespace rdylib::plan
