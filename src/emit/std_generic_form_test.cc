// Tests of the boundary forms of std's collections and of Rc/Arc: both
// sides' texts come from one definition, through ArgForm and RetForm.
#include "emit/std_generic_form.h"

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
  v.type_id = 1;
  return v;
}

AbiValue Collection(const std::string& container, std::vector<AbiValue> children, bool lent = false) {
  AbiValue v = Of(Kind::kCollection, std::move(children));
  v.container = container;
  v.lent = lent;
  return v;
}

TEST(StdGenericFormTest, AnOwnedMapArgumentIsDrainedIntoAVecArgAndRebuilt) {
  ArgumentForm f = ArgForm("m", Collection("HashMap", {Of(Kind::kString), Scalar("u32")}));
  EXPECT_EQ(f.ShimParams("m"),
            "m_ptr: *mut rt::WireTuple2<rt::WireStr, u32>, m_len: usize, m_cap: usize, m_owned: u8");
  EXPECT_EQ(f.facade_prepare,
            "let mut m_kept: Vec<String> = Vec::new();\n"
            "let m = rt::VecArg::new(m.into_iter().map(|(k, v)| rt::WireTuple2({ let s = k; let w = "
            "rt::WireStr::from_str(&s); m_kept.push(s); w }, v)).collect::<Vec<_>>());");
  EXPECT_EQ(f.shim_value,
            "rt::vec_arg(m_ptr, m_len, m_cap, m_owned).into_iter().map(|rt::WireTuple2(k, v)| "
            "(k.as_str().to_string(), v)).collect::<std::collections::HashMap<_, _>>()");
  EXPECT_EQ(f.FacadeArgs(), "m.ptr, m.len, m.cap, m.owned");
}

TEST(StdGenericFormTest, ALentSetIsCopiedForTheCall) {
  ArgumentForm f = ArgForm("s", Collection("BTreeSet", {Of(Kind::kChar)}, true));
  EXPECT_EQ(f.ShimParams("s"), "s_ptr: *const u32, s_len: usize");
  EXPECT_EQ(f.facade_prepare, "let s = s.iter().map(|x| *x as u32).collect::<Vec<_>>();");
  EXPECT_EQ(f.shim_value,
            "&std::slice::from_raw_parts(s_ptr, s_len).iter().map(|x| char::from_u32_unchecked(*x))"
            ".collect::<std::collections::BTreeSet<_>>()");
}

TEST(StdGenericFormTest, AReturnedCollectionIsAVecOfItsElementsReturnForms) {
  ReturnForm r = RetForm(Collection("VecDeque", {Of(Kind::kString)}));
  EXPECT_EQ(r.facade_wire, "rt::WireVec<rt::WireString>");
  EXPECT_EQ(r.shim_to_wire("d"),
            "rt::WireVec::from_vec(d.into_iter().map(|x| rt::WireString::from_string(x)).collect::<Vec<_>>())");
  EXPECT_EQ(r.facade_from_wire("w"),
            "rt::take_vec(w, api().free_buffer).into_iter().map(|x| rt::take_string(x, api().free_string))"
            ".collect::<std::collections::VecDeque<_>>()");
}

TEST(StdGenericFormTest, AnArcChangesHandsAsItsOneAllocation) {
  AbiValue arc = Of(Kind::kShared, {Point()});
  arc.container = "Arc";
  ArgumentForm f = ArgForm("a", arc);
  EXPECT_EQ(f.ShimParams("a"), "a: *const target_crate::Point");
  EXPECT_EQ(f.FacadeArgs(), "alloc::sync::Arc::into_raw(a)");
  EXPECT_EQ(f.shim_value, "std::sync::Arc::from_raw(a)");
  AbiValue rc = Of(Kind::kShared, {Scalar("u64")});
  rc.container = "Rc";
  ReturnForm r = RetForm(rc);
  EXPECT_EQ(r.shim_wire, "*const u64");
  EXPECT_EQ(r.shim_to_wire("x"), "std::rc::Rc::into_raw(x)");
  EXPECT_EQ(r.facade_from_wire("x"), "alloc::rc::Rc::from_raw(x)");
}

TEST(StdGenericFormTest, ALockMovesItsValueAndItsPoison) {
  AbiValue lock = Of(Kind::kCellValue, {Point()});
  lock.container = "Mutex";
  ArgumentForm f = ArgForm("m", lock);
  EXPECT_EQ(f.ShimParams("m"), "m: *mut target_crate::Point, m_poisoned: u8");
  EXPECT_EQ(f.facade_prepare,
            "let (m_poisoned, m) = rt::mutex_parts(m);\nlet mut m = std::mem::ManuallyDrop::new(m);");
  EXPECT_EQ(f.shim_value, "rt::mutex_rebuilt(std::ptr::read(m), m_poisoned)");
  AbiValue cell = Of(Kind::kCellValue, {Of(Kind::kChar)});
  cell.container = "Cell";
  ReturnForm r = RetForm(cell);
  EXPECT_EQ(r.shim_to_wire("x"), "std::cell::Cell::into_inner(x) as u32");
  EXPECT_EQ(r.facade_from_wire("w"), "std::cell::Cell::new(char::from_u32_unchecked(w))");
  lock.container = "RwLock";
  ReturnForm l = RetForm(lock);
  EXPECT_EQ(l.facade_wire, "rt::WireTuple2<u8, crate::Point>");
  EXPECT_EQ(l.shim_to_wire("x"), "{ let (p, v) = rt::rwlock_parts(x); rt::WireTuple2(p, v) }");
  EXPECT_EQ(l.facade_from_wire("w"), "{ let rt::WireTuple2(p, v) = w; rt::rwlock_rebuilt(v, p) }");
}

}  // namespace
}  // namespace rdylib::emit
