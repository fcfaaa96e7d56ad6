// Tests of the vtable writer: both sides' tables agree, proxies for
// provided methods leave that method to the library's default.
#include "emit/vtable_writer.h"

#include <gtest/gtest.h>

namespace rdylib::emit {
namespace {

plan::VtablePlan Shape() {
  plan::VtablePlan vt;
  vt.trait_path = "lib::Shape";
  vt.name = "Shape";
  vt.traits = {"lib::Named", "lib::Shape"};
  plan::VtableEntry name;
  name.trait_path = "lib::Named";
  name.name = "name";
  name.ret.kind = plan::AbiValue::Kind::kString;
  name.facade_signature = name.shim_signature = "fn name(&self) -> String";
  plan::VtableEntry area;
  area.trait_path = "lib::Shape";
  area.name = "area";
  area.ret.kind = plan::AbiValue::Kind::kScalar;
  area.ret.scalar = "f64";
  area.facade_signature = area.shim_signature = "fn area(&self) -> f64";
  plan::VtableEntry twice = area;
  twice.name = "twice";
  twice.provided = true;
  twice.facade_signature = twice.shim_signature = "fn twice(&self) -> f64";
  vt.entries = {name, area, twice};
  plan::AssignVtableLayout(&vt);
  return vt;
}

TEST(VtableWriterTest, BothSidesLayTheSameFieldsInOrder) {
  plan::VtablePlan vt = Shape();
  for (bool facade : {true, false}) {
    std::string s = VtableStruct(vt, facade);
    size_t drop = s.find(" drop:"), size = s.find(" size:"), align = s.find(" align:");
    size_t m0 = s.find(" m0_name:"), m1 = s.find(" m1_area:"), m2 = s.find(" m2_twice:");
    ASSERT_NE(m2, std::string::npos) << s;
    EXPECT_TRUE(drop < size && size < align && align < m0 && m0 < m1 && m1 < m2) << s;
    EXPECT_NE(s.find("#[repr(C)]"), std::string::npos);
    // A String return is handed back through `put`.
    EXPECT_NE(s.find("Put) -> *mut rt::WireParked"), std::string::npos) << s;
  }
}

TEST(VtableWriterTest, EveryFacadeEntryCatchesPanics) {
  std::string s = FacadeVtableItems(Shape());
  size_t entries = 0;
  for (size_t p = s.find("unsafe extern \"C\" fn m"); p != std::string::npos;
       p = s.find("unsafe extern \"C\" fn m", p + 1)) {
    ++entries;
  }
  EXPECT_EQ(entries, 3u);
  size_t guarded = 0;
  for (size_t p = s.find("rt::callback(||"); p != std::string::npos; p = s.find("rt::callback(||", p + 1)) ++guarded;
  EXPECT_EQ(guarded, 4u);  // three methods and drop
}

TEST(VtableWriterTest, TheDefaultProxyLeavesItsMethodToTheLibrary) {
  std::string s = ShimProxyItems(Shape());
  EXPECT_NE(s.find("pub(crate) struct ProxyShape {"), std::string::npos);
  size_t proxy = s.find("pub(crate) struct ProxyShape_twice {");
  ASSERT_NE(proxy, std::string::npos) << s;
  std::string rest = s.substr(proxy);
  // It implements both traits, with name and area forwarded but no twice.
  EXPECT_NE(rest.find("impl target_crate::Named for ProxyShape_twice"), std::string::npos);
  EXPECT_NE(rest.find("fn area(&self)"), std::string::npos);
  EXPECT_EQ(rest.find("fn twice(&self)"), std::string::npos);
  // Only the owning proxy drops the value, through the table.
  EXPECT_NE(s.find("if self.owned"), std::string::npos);
}

TEST(VtableWriterTest, AnInstanceImplementsItsArgumentsAndAssociatedTypes) {
  plan::VtablePlan vt = Shape();
  vt.instance = "lib::Shape<Item = u32>";
  vt.facade_args = vt.shim_args = "<Item = u32>";
  vt.facade_assoc = vt.shim_assoc = {"type Item = u32;"};
  plan::AssignVtableLayout(&vt);
  std::string shim = ShimProxyItems(vt);
  EXPECT_NE(shim.find("impl target_crate::Shape for ProxyShape {\n    type Item = u32;\n"), std::string::npos) << shim;
  EXPECT_NE(shim.find("impl target_crate::Named for ProxyShape {\n    fn name"), std::string::npos) << shim;
  // No proxy leaves a provided method to the library's default: an
  // instance's provided methods are the consumer type's.
  EXPECT_EQ(shim.find("ProxyShape_twice"), std::string::npos);
  std::string facade = FacadeVtableItems(vt);
  EXPECT_NE(facade.find("<D: ?Sized + crate::Shape<Item = u32>>"), std::string::npos) << facade;
  EXPECT_NE(facade.find("<D as crate::Shape>::area(this)"), std::string::npos) << facade;
  EXPECT_NE(facade.find("crate::Named::name(this)"), std::string::npos) << facade;
}

TEST(VtableWriterTest, ComparisonsAndHashAreEntriesAndEqIsAMarker) {
  plan::VtablePlan vt = Shape();
  vt.std_supertraits = {"PartialEq", "Eq", "PartialOrd", "Ord", "Hash"};
  plan::AssignVtableLayout(&vt);
  for (bool facade : {true, false}) {
    std::string s = VtableStruct(vt, facade);
    std::string v = facade ? "*mut core::ffi::c_void" : "*mut std::ffi::c_void";
    EXPECT_NE(s.find("std_eq: unsafe extern \"C\" fn(" + v + ", " + v + ", *const VtShape, *mut bool)"),
              std::string::npos)
        << s;
    EXPECT_NE(s.find("std_partial_cmp: unsafe extern \"C\" fn(" + v + ", " + v + ", *const VtShape, *mut i8)"),
              std::string::npos);
    EXPECT_NE(s.find("std_cmp: unsafe extern \"C\" fn(" + v + ", " + v + ", *const VtShape, *mut i8)"),
              std::string::npos);
    EXPECT_NE(s.find("std_hash: unsafe extern \"C\" fn(" + v + ", " + v + ", HashBack)"), std::string::npos);
    EXPECT_LT(s.find("std_eq:"), s.find("std_partial_cmp:"));
    EXPECT_LT(s.find("std_partial_cmp:"), s.find("std_cmp:"));
    EXPECT_EQ(s.find("Eq:"), std::string::npos);  // a marker: no field
    EXPECT_EQ(s.find("std_type_id"), std::string::npos);
  }
  std::string facade = FacadeVtableItems(vt);
  // Not 'static: no identity check; the other operand is read as a D.
  EXPECT_NE(facade.find("    _other_vt: *const VtShape,\n"), std::string::npos) << facade;
  EXPECT_EQ(facade.find("same_type_"), std::string::npos);
  EXPECT_NE(facade.find("let other = &**(other as *mut *mut D);\n"
                        "        ret.write(core::cmp::Ord::cmp(this, other) as i8);"),
            std::string::npos)
      << facade;
  EXPECT_NE(facade.find("core::hash::Hash::hash(this, &mut LibHasher { state, write });"), std::string::npos);
  EXPECT_NE(facade.find("std_cmp: std_cmp_Shape::<D>,\n"), std::string::npos);
  std::string shim = ShimProxyItems(vt);
  EXPECT_NE(shim.find("impl Eq for ProxyShape {}"), std::string::npos) << shim;
  EXPECT_NE(shim.find("impl Ord for ProxyShape {\n    fn cmp(&self, other: &Self) -> std::cmp::Ordering {\n"
                      "        let mut ret = 0i8;\n"
                      "        unsafe { rt::rethrow(((*self.vt).std_cmp)(self.data, other.data, other.vt, &mut ret)) }\n"
                      "        ret.cmp(&0)\n"),
            std::string::npos)
      << shim;
  EXPECT_NE(shim.find("(ret != 2).then(|| ret.cmp(&0))"), std::string::npos);
  EXPECT_NE(shim.find("((*self.vt).std_hash)(self.data, state, hash_back::<H>)"), std::string::npos);
  // The default body's proxy compares too.
  EXPECT_NE(shim.find("impl PartialEq for ProxyShape_twice {"), std::string::npos);
}

TEST(VtableWriterTest, TheIdentityEntryIsCheckedByEveryComparison) {
  plan::VtablePlan vt = Shape();
  vt.std_supertraits = {"PartialEq", "PartialOrd", "TypeId"};
  plan::AssignVtableLayout(&vt);
  EXPECT_NE(VtableStruct(vt, false).find("pub std_type_id: unsafe extern \"C\" fn(*mut std::ffi::c_void),"),
            std::string::npos);
  std::string facade = FacadeVtableItems(vt);
  EXPECT_NE(facade.find("(ret as *mut core::any::TypeId).write(core::any::TypeId::of::<D>());"), std::string::npos)
      << facade;
  EXPECT_NE(facade.find("if id.assume_init() != core::any::TypeId::of::<D>() {\n"
                        "        panic!(\n"
                        "            \"rdylib: the library compared a {} with a value of another type as lib::Shape\",\n"
                        "            core::any::type_name::<D>()\n"),
            std::string::npos)
      << facade;
  size_t checks = 0;
  for (size_t p = facade.find("same_type_Shape::<D>(other_vt);"); p != std::string::npos;
       p = facade.find("same_type_Shape::<D>(other_vt);", p + 1)) {
    ++checks;
  }
  EXPECT_EQ(checks, 2u);  // eq and partial_cmp
  // The shim never reads it: only the facade compares identities.
  std::string shim = ShimProxyItems(vt);
  EXPECT_EQ(shim.find("std_type_id)("), std::string::npos);
}

TEST(VtableWriterTest, TheDefaultProxyOfACloneTraitOwnsItsClones) {
  plan::VtablePlan vt = Shape();
  vt.std_supertraits = {"Clone"};
  plan::AssignVtableLayout(&vt);
  std::string shim = ShimProxyItems(vt);
  size_t proxy = shim.find("pub(crate) struct ProxyShape_twice {");
  ASSERT_NE(proxy, std::string::npos) << shim;
  std::string rest = shim.substr(proxy);
  EXPECT_NE(rest.find("    owned: bool,\n"), std::string::npos) << rest;
  EXPECT_NE(rest.find("ProxyShape_twice { data, vt, owned: false }"), std::string::npos) << rest;
  EXPECT_NE(rest.find("impl Drop for ProxyShape_twice {"), std::string::npos);
  EXPECT_NE(rest.find("ProxyShape_twice { data, vt: self.vt, owned: true }"), std::string::npos);
  // Without Clone, the default body's proxy owns nothing.
  std::string plain = ShimProxyItems(Shape());
  EXPECT_EQ(plain.substr(plain.find("pub(crate) struct ProxyShape_twice {")).find("owned"), std::string::npos);
}

}  // namespace
}  // namespace rdylib::emit
