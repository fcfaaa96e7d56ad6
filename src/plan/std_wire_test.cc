// Tests of std's small error and category types crossing as a code of their
// kind (docs/ABI.md, "std error and category values").
#include <gtest/gtest.h>

#include "emit/boundary_form.h"
#include "plan/abi_value.h"
#include "plan/fingerprint.h"

namespace rdylib::plan {
namespace {

using model::Type;

// Item 80 is std's ParseIntError, 81 FpCategory, 82 Utf8Error (by their
// defining paths in 1.95), 90 Result; 83 is the crate's own ParseIntError.
class StdNamer : public TypeNamer {
 public:
  std::string ShimName(model::ItemId) const override { return ""; }
  std::string FacadeName(model::ItemId) const override { return ""; }
  std::string StdPath(model::ItemId id) const override {
    switch (id) {
      case 80: return "core::num::error::ParseIntError";
      case 81: return "core::num::FpCategory";
      case 82: return "core::str::error::Utf8Error";
      case 90: return "core::result::Result";
      default: return "";
    }
  }
};

Type PathType(const std::string& name, model::ItemId id, std::vector<Type> args = {}) {
  Type t;
  t.kind = Type::Kind::kResolvedPath;
  t.path.name = name;
  t.path.id = id;
  if (!args.empty()) {
    model::GenericArgs a;
    for (Type& arg : args) {
      model::GenericArg g;
      g.type = std::move(arg);
      a.args.push_back(std::move(g));
    }
    t.path.args = std::move(a);
  }
  return t;
}

Type I32() {
  Type t;
  t.kind = Type::Kind::kPrimitive;
  t.name = "i32";
  return t;
}

TEST(StdWireTest, KnowsStdsSmallErrorTypesByTheirDefiningPath) {
  std::string wire, path;
  ASSERT_TRUE(StdWireType("core::num::error::ParseIntError", &wire, &path));
  EXPECT_EQ(wire, "parse_int_error");
  EXPECT_EQ(path, "core::num::ParseIntError");
  ASSERT_TRUE(StdWireType("core::num::dec2flt::ParseFloatError", &wire, &path));
  EXPECT_EQ(path, "core::num::ParseFloatError");
  ASSERT_TRUE(StdWireType("std::num::FpCategory", &wire, &path));
  EXPECT_EQ(wire, "fp_category");
  ASSERT_TRUE(StdWireType("core::char::convert::ParseCharError", &wire, &path));
  EXPECT_EQ(path, "core::char::ParseCharError");
  ASSERT_TRUE(StdWireType("core::cmp::Ordering", &wire, &path));
  EXPECT_EQ(wire, "ordering");
  EXPECT_EQ(path, "core::cmp::Ordering");
  // Another module's type of the same name, and a type that carries data.
  EXPECT_FALSE(StdWireType("core::str::ParseIntError", &wire, &path));
  EXPECT_FALSE(StdWireType("core::str::error::Utf8Error", &wire, &path));
}

TEST(StdWireTest, ResultOfParseIntErrorCrossesAsItsCode) {
  StdNamer namer;
  AbiValue v;
  std::string why;
  ASSERT_TRUE(Classify(PathType("Result", 90, {I32(), PathType("ParseIntError", 80)}), true, namer, &v, &why))
      << why;
  ASSERT_EQ(v.kind, AbiValue::Kind::kResult);
  EXPECT_EQ(v.children[1].kind, AbiValue::Kind::kStdWire);
  EXPECT_EQ(v.WireType(true), "rt::WireResult<i32, u8>");
  EXPECT_TRUE(v.IsConverted());
  EXPECT_EQ(FormText(v), "Result<i32, core::num::ParseIntError (std wire code)>");
  emit::ReturnForm r = emit::RetForm(v);
  EXPECT_EQ(r.shim_to_wire("x"),
            "match x { Ok(x) => rt::WireResult::ok(x), Err(e) => rt::WireResult::err(rt::to_wire_parse_int_error(&e)) }");
  EXPECT_EQ(r.facade_from_wire("w"), "w.into_result().map(|x| x).map_err(|e| rt::from_wire_parse_int_error(e))");
}

TEST(StdWireTest, AnArgumentCrossesAsItsCodeAndIsRebuiltByTheLibrarysStd) {
  StdNamer namer;
  AbiValue v;
  std::string why;
  ASSERT_TRUE(Classify(PathType("FpCategory", 81), false, namer, &v, &why)) << why;
  emit::ArgumentForm f = emit::ArgForm("c", v);
  EXPECT_EQ(f.ShimParams("c"), "c: u8");
  EXPECT_EQ(f.FacadeArgs(), "rt::to_wire_fp_category(&c)");
  EXPECT_EQ(f.shim_value, "rt::from_wire_fp_category(c)");
}

TEST(StdWireTest, OtherStdTypesAndTheCratesOwnDoNotCrossThisWay) {
  StdNamer namer;
  AbiValue v;
  std::string why;
  EXPECT_FALSE(Classify(PathType("Utf8Error", 82), true, namer, &v, &why));
  EXPECT_EQ(why, "Utf8Error does not cross yet");
  EXPECT_FALSE(Classify(PathType("ParseIntError", 83), true, namer, &v, &why));
}

}  // namespace
}  // namespace rdylib::plan
