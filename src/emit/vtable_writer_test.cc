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

}  // namespace
}  // namespace rdylib::emit
