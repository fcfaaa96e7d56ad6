// Tests of the boundary forms: every view of a form comes from its one
// definition, so the shim's parameters, the facade's types and arguments
// always agree in number and order.
#include "emit/boundary_form.h"

#include <gtest/gtest.h>

namespace rdylib::emit {
namespace {

using plan::AbiValue;
using Kind = AbiValue::Kind;

AbiValue Of(Kind kind, std::vector<AbiValue> children = {}) {
  AbiValue v;
  v.kind = kind;
  v.children = std::move(children);
  return v;
}

AbiValue Scalar(const std::string& s) {
  AbiValue v = Of(Kind::kScalar);
  v.scalar = s;
  return v;
}

AbiValue Point() {
  AbiValue v = Of(Kind::kValue);
  v.shim_type = "target_crate::Point";
  v.facade_type = "crate::Point";
  return v;
}

TEST(BoundaryFormTest, TupleArgumentsCrossAsWireTuplesOfTheirParts) {
  ArgumentForm f = ArgForm("pair", Of(Kind::kTuple, {Scalar("u8"), Of(Kind::kChar)}));
  EXPECT_EQ(f.ShimParams("pair"), "pair: rt::WireTuple2<u8, u32>");
  EXPECT_EQ(f.FacadeTypes(), "rt::WireTuple2<u8, u32>");
  EXPECT_EQ(f.shim_value, "{ let rt::WireTuple2(t0, t1) = pair; (t0, char::from_u32_unchecked(t1)) }");
  EXPECT_EQ(f.facade_prepare, "let (pair_0, pair_1) = pair;\nlet pair = rt::WireTuple2(pair_0, pair_1 as u32);");
}

TEST(BoundaryFormTest, AStringPartOfAnArgumentIsLentAndKeptAliveByTheFacade) {
  ArgumentForm f = ArgForm("r", Of(Kind::kResult, {Scalar("u32"), Of(Kind::kString)}));
  EXPECT_EQ(f.FacadeTypes(), "rt::WireResult<u32, rt::WireStr>");
  EXPECT_EQ(f.facade_prepare,
            "let mut r_kept: Vec<String> = Vec::new();\n"
            "let r = match r { Ok(x) => rt::WireResult::ok(x), Err(e) => rt::WireResult::err({ let s = e; "
            "let w = rt::WireStr::from_str(&s); r_kept.push(s); w }) };");
  EXPECT_EQ(f.shim_value, "r.into_result().map(|x| x).map_err(|e| e.as_str().to_string())");
}

TEST(BoundaryFormTest, OwnedArgumentsCrossAsTheirParts) {
  ArgumentForm s = ArgForm("text", Of(Kind::kString));
  EXPECT_EQ(s.ShimParams("text"), "text_ptr: *mut u8, text_len: usize, text_cap: usize, text_owned: u8");
  EXPECT_EQ(s.FacadeTypes(), "*mut u8, usize, usize, u8");
  EXPECT_EQ(s.shim_value, "rt::string_arg(text_ptr, text_len, text_cap, text_owned)");
  EXPECT_EQ(s.facade_prepare, "let text = rt::StringArg::new(text);");
  EXPECT_EQ(s.FacadeArgs(), "text.ptr, text.len, text.cap, text.owned");
  ArgumentForm v = ArgForm("v", Of(Kind::kVec, {Point()}));
  EXPECT_EQ(v.ShimParams("v"), "v_ptr: *mut target_crate::Point, v_len: usize, v_cap: usize, v_owned: u8");
  EXPECT_EQ(v.FacadeTypes(), "*mut crate::Point, usize, usize, u8");
  EXPECT_EQ(v.FacadeArgs(), "v.ptr as *mut crate::Point, v.len, v.cap, v.owned");
}

TEST(BoundaryFormTest, BorrowedAndWideValuesCrossAsPointers) {
  ArgumentForm s = ArgForm("text", Of(Kind::kStr));
  EXPECT_EQ(s.ShimParams("text"), "text_ptr: *const u8, text_len: usize");
  EXPECT_EQ(s.FacadeTypes(), "*const u8, usize");
  EXPECT_EQ(s.FacadeArgs(), "text.as_ptr(), text.len()");
  ArgumentForm w = ArgForm("b", Scalar("u128"));
  EXPECT_EQ(w.ShimParams("b"), "b: *const u128");
  EXPECT_EQ(w.FacadeArgs(), "&b");
  EXPECT_EQ(w.shim_value, "*b");
  ArgumentForm p = ArgForm("p", Point());
  EXPECT_EQ(p.ShimParams("p"), "p: *mut target_crate::Point");
  EXPECT_EQ(p.FacadeTypes(), "*mut crate::Point");
  EXPECT_EQ(p.facade_prepare, "let mut p = std::mem::ManuallyDrop::new(p);");
}

TEST(BoundaryFormTest, ReturnsConvertOnEachSide) {
  ReturnForm r = RetForm(Of(Kind::kOption, {Of(Kind::kString)}));
  EXPECT_EQ(r.shim_wire, "rt::WireOption<rt::WireString>");
  EXPECT_EQ(r.shim_to_wire("v"),
            "match v { Some(x) => rt::WireOption::some(rt::WireString::from_string(x)), None => "
            "rt::WireOption::none() }");
  EXPECT_EQ(r.facade_from_wire("w"), "w.into_option().map(|x| rt::take_string(x, api().free_string))");
  ReturnForm t = RetForm(Of(Kind::kTuple, {Of(Kind::kChar), Scalar("u8")}));
  EXPECT_EQ(t.shim_to_wire("v"), "{ let (t0, t1) = v; rt::WireTuple2(t0 as u32, t1) }");
  EXPECT_EQ(t.facade_from_wire("w"), "{ let rt::WireTuple2(t0, t1) = w; (char::from_u32_unchecked(t0), t1) }");
}


TEST(BoundaryFormTest, AStaticTraitObjectIsInternedOnBothSides) {
  AbiValue v = Of(Kind::kDynRef);
  v.wire_name = "Gauge";
  v.static_borrow = true;
  ArgumentForm f = ArgForm("g", v);
  EXPECT_EQ(f.ShimParams("g"), "g: *mut std::ffi::c_void, g_vt: *const rdylib_vt::VtGauge");
  EXPECT_EQ(f.facade_prepare, "let g = crate::rdylib_vt::lend_static_Gauge(g);");
  EXPECT_EQ(f.shim_value,
            "rt::intern_static([g as usize, g_vt as usize], || rdylib_vt::ProxyGauge::new(g, g_vt, false))");
}

}  // namespace
}  // namespace rdylib::emit

namespace rdylib::emit {
namespace {

AbiValue DynShape() {
  AbiValue d;
  d.kind = AbiValue::Kind::kDynBox;
  d.wire_name = "Shape";
  d.shim_type = "dyn target_crate::Shape";
  d.facade_type = "dyn crate::Shape";
  return d;
}

TEST(BoundaryFormTest, AMutableSliceOfTraitObjectsIsMovedInAndHandedBack) {
  AbiValue v;
  v.kind = AbiValue::Kind::kSlice;
  v.is_mutable = true;
  v.children = {DynShape()};
  ArgumentForm f = ArgForm("s", v);
  EXPECT_EQ(f.ShimParams("s"),
            "s_dst: *mut u8, s_len: usize, s_take: unsafe extern \"C\" fn(*mut u8, usize) -> "
            "rt::WireTuple2<*mut std::ffi::c_void, *const rdylib_vt::VtShape>, s_put: unsafe extern \"C\" fn(*mut "
            "u8, usize, *mut std::ffi::c_void)");
  EXPECT_EQ(f.FacadeArgs(), "s_dst, s_len, s_take, s_put");
  EXPECT_EQ(f.facade_prepare,
            "unsafe extern \"C\" fn s_take(dst: *mut u8, i: usize) -> rt::WireTuple2<*mut core::ffi::c_void, *const "
            "crate::rdylib_vt::VtShape> {\n"
            "// Moved out: the shim writes a box back into this slot before it returns.\n"
            "let b = core::ptr::read((dst as *mut alloc::boxed::Box<dyn crate::Shape>).add(i));\n"
            "match crate::rdylib_vt::LibShape::unslot(b, \"dyn crate::Shape\") {\n"
            "Ok(h) => rt::WireTuple2(h, core::ptr::null()),\n"
            "Err(b) => {\n"
            "let (d, v) = crate::rdylib_vt::give_Shape(b);\n"
            "rt::WireTuple2(d, v)\n"
            "}\n"
            "}\n"
            "}\n"
            "unsafe extern \"C\" fn s_put(dst: *mut u8, i: usize, h: *mut core::ffi::c_void) {\n"
            "let b = crate::rdylib_vt::LibShape::slot(h, \"dyn crate::Shape\") as alloc::boxed::Box<dyn crate::Shape>;\n"
            "core::ptr::write((dst as *mut alloc::boxed::Box<dyn crate::Shape>).add(i), b);\n"
            "}\n"
            "let s_len = s.len();\n"
            "let s_dst = s.as_mut_ptr() as *mut u8;");
  EXPECT_EQ(f.shim_value,
            "&mut rt::DynSlots::new(\n"
            "s_dst,\ns_len,\nfalse,\ns_take,\n"
            "|x: rt::WireTuple2<*mut std::ffi::c_void, *const rdylib_vt::VtShape>| if x.1.is_null() {\n"
            "// The handle of a box this slot type handed back: the library's own.\n"
            "*Box::from_raw(x.0 as *mut Box<dyn target_crate::Shape>)\n"
            "} else {\n"
            "Box::new(rdylib_vt::ProxyShape::new(x.0, x.1, true)) as Box<dyn target_crate::Shape>\n"
            "},\n"
            "s_put,\n"
            "|b: Box<dyn target_crate::Shape>| rdylib_vt::handle_Shape(b),\n"
            ").value[..]");
}

TEST(BoundaryFormTest, AMutableVecOfTraitObjectsIsPoppedAndPushed) {
  AbiValue v;
  v.kind = AbiValue::Kind::kVec;
  v.is_mutable = true;
  v.children = {DynShape()};
  ArgumentForm f = ArgForm("s", v);
  EXPECT_EQ(f.FacadeArgs(), "s_dst, s_len, s_take, s_put");
  EXPECT_NE(f.facade_prepare.find("unsafe extern \"C\" fn s_take(dst: *mut u8, _i: usize)"), std::string::npos);
  EXPECT_NE(f.facade_prepare.find("let b = match (*(dst as *mut Vec<alloc::boxed::Box<dyn crate::Shape>>)).pop() {\n"
                                  "    Some(b) => b,\n    None => std::process::abort(),\n};\n"),
            std::string::npos);
  EXPECT_NE(f.facade_prepare.find("(*(dst as *mut Vec<alloc::boxed::Box<dyn crate::Shape>>)).push(b);"),
            std::string::npos);
  EXPECT_NE(f.facade_prepare.find("let s_dst = &mut *s as *mut Vec<alloc::boxed::Box<dyn crate::Shape>> as *mut u8;"),
            std::string::npos);
  EXPECT_NE(f.shim_value.find("s_dst,\ns_len,\ntrue,\n"), std::string::npos);
  EXPECT_EQ(f.shim_value.substr(f.shim_value.size() - 7), ").value");
}

}  // namespace
}  // namespace rdylib::emit
