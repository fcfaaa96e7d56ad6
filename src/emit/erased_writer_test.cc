// Golden tests of the erased parameters' tables, proxies and closures, both
// sides, and of their boundary form. The generated code is compiled and run
// by tests/e2e/closures_roundtrip.sh with both toolchains.
#include "emit/erased_writer.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include "emit/boundary_form.h"
#include "emit/rustfmt.h"
#include "util/files.h"
#include "test_support.h"

namespace rdylib::emit {
namespace {

using plan::AbiValue;
using plan::ErasedMode;
using plan::ErasedParam;
using plan::ErasedTrait;

AbiValue Scalar(const std::string& s) {
  AbiValue v;
  v.kind = AbiValue::Kind::kScalar;
  v.scalar = s;
  return v;
}

AbiValue Of(AbiValue::Kind k) {
  AbiValue v;
  v.kind = k;
  return v;
}

// One function with each kind of erased parameter, and one returning a closure.
plan::Plan SamplePlan() {
  plan::Plan plan;
  plan.crate_name = "demo";
  plan::FunctionPlan f;
  f.path = "demo::run";
  ErasedParam closure;
  closure.id = "demo__run__F";
  closure.name = "F";
  closure.traits = {ErasedTrait::kFnMut, ErasedTrait::kSend, ErasedTrait::kStatic};
  closure.fn_args = {Of(AbiValue::Kind::kStr), Scalar("u32")};
  closure.fn_ret = Of(AbiValue::Kind::kString);
  closure.fn_facade = closure.fn_shim = "FnMut(&str, u32) -> String";
  ErasedParam text;
  text.id = "demo__run__S";
  text.name = "S";
  text.mode = ErasedMode::kRef;
  text.traits = {ErasedTrait::kAsRefStr, ErasedTrait::kDisplay};
  ErasedParam items;
  items.id = "demo__run__I";
  items.name = "I";
  items.traits = {ErasedTrait::kIntoIterator};
  items.item_param = 3;
  ErasedParam item;
  item.id = "demo__run__T";
  item.name = "T";
  item.traits = {ErasedTrait::kPartialEq, ErasedTrait::kPartialOrd, ErasedTrait::kIntoString};
  f.erased = {closure, text, items, item};
  plan.functions.push_back(f);
  plan::FunctionPlan g;
  g.path = "demo::make";
  ErasedParam ret;
  ret.id = "demo__make__ret";
  ret.name = "ret";
  ret.mode = ErasedMode::kReturnedBoxed;
  ret.traits = {ErasedTrait::kFn, ErasedTrait::kSend};
  ret.fn_args = {Of(AbiValue::Kind::kStr)};
  ret.fn_ret = Scalar("u64");
  ret.fn_facade = ret.fn_shim = "Fn(&str) -> u64";
  g.erased = {ret};
  plan.functions.push_back(g);
  return plan;
}

// The module as it lands in the crate: formatted by rustfmt, as the writers
// format every generated file.
std::string Formatted(const std::string& code) {
  std::filesystem::path file = std::filesystem::temp_directory_path() /
                               ("rdylib-erased-" + std::to_string(getpid()) + ".rs");
  WriteFile(file, code);
  Diagnostics diags;
  RustFmt(file, &diags);
  std::string out = ReadFile(file).value_or("");
  std::filesystem::remove(file);
  return out;
}

TEST(ErasedWriterTest, ShimGolden) {
  testing::CheckGolden("erased_module_shim.rs", Formatted(WriteErasedModule(SamplePlan(), false)));
}

TEST(ErasedWriterTest, FacadeGolden) {
  testing::CheckGolden("erased_module_facade.rs", Formatted(WriteErasedModule(SamplePlan(), true)));
}

TEST(ErasedWriterTest, NothingErasedWritesNothing) {
  plan::Plan plan;
  plan.functions.emplace_back();
  EXPECT_EQ(WriteErasedModule(plan, true), "");
}

TEST(ErasedWriterTest, ArgumentFormIsDataAndTable) {
  AbiValue v;
  v.kind = AbiValue::Kind::kErased;
  v.wire_name = "demo__run__F";
  v.erased_mode = "owned";
  ArgumentForm f = ArgForm("f", v);
  EXPECT_EQ(f.ShimParams("f"), "f_data: *mut std::ffi::c_void, f_table: *const rdylib_erased::Tabledemo__run__F");
  EXPECT_EQ(f.FacadeArgs(), "f.0, f.1");
  EXPECT_EQ(f.facade_prepare, "let f = crate::rdylib_erased::into_demo__run__F(f);");
  EXPECT_EQ(f.shim_value, "rdylib_erased::from_demo__run__F(f_data, f_table)");
  v.erased_mode = "ref_mut";
  EXPECT_EQ(ArgForm("f", v).shim_value, "&mut rdylib_erased::from_demo__run__F(f_data, f_table)");
  v.erased_mode = "boxed";
  EXPECT_EQ(ArgForm("f", v).shim_value, "Box::new(rdylib_erased::from_demo__run__F(f_data, f_table))");
}

TEST(ErasedWriterTest, ReturnedClosureForm) {
  AbiValue v;
  v.kind = AbiValue::Kind::kErased;
  v.wire_name = "demo__make__ret";
  v.erased_mode = "returned_boxed";
  ReturnForm r = RetForm(v);
  EXPECT_EQ(r.shim_to_wire("x"), "rdylib_erased::into_demo__make__ret(x)");
  EXPECT_EQ(r.facade_from_wire("w"), "Box::new(crate::rdylib_erased::from_demo__make__ret(w))");
  EXPECT_EQ(r.facade_wire,
            "rt::WireTuple2<*mut core::ffi::c_void, *const crate::rdylib_erased::Tabledemo__make__ret>");
}

}  // namespace
}  // namespace rdylib::emit
