// Plan checks and golden tests of closed sets, on tests/fixtures/closed_lib
// (compiled and run both ways by tests/e2e/closed_roundtrip.sh).
#include <gtest/gtest.h>

#include <algorithm>

#include "emit/facade_writer.h"
#include "emit/runtime_files.h"
#include "emit/rustfmt.h"
#include "emit/shim_writer.h"
#include "plan/plan.h"
#include "probe/probe.h"
#include "read/reader.h"
#include "test_support.h"
#include "util/files.h"

namespace rdylib::emit {
namespace {

namespace fs = std::filesystem;

const plan::Plan& ClosedPlan() {
  static const plan::Plan plan = [] {
    Diagnostics diags;
    std::optional<toolchain::Toolchain> tc = toolchain::Resolve("stable", &diags);
    extract::ExtractOptions options;
    options.crate_dir = testing::FixtureDir("closed_lib");
    options.work_dir = testing::TestWorkDir() / "closed_lib";
    options.target_dir = testing::TestWorkDir() / "target";
    std::optional<extract::ExtractResult> ex = extract::Extract(options, *tc, &diags);
    if (!ex) throw std::runtime_error(diags.ToString());
    static std::optional<model::Crate> crate = read::ReadCrateFile(ex->json_path, &diags);
    static api::PublicApi api = api::BuildPublicApi(*crate);
    std::optional<probe::Layouts> layouts = probe::Probe(options, ex->package, *tc, *crate, api, &diags);
    if (!layouts) throw std::runtime_error(diags.ToString());
    return plan::MakePlan(*crate, api, *layouts);
  }();
  return plan;
}

std::string StatusOf(const std::string& kind, const std::string& path) {
  for (const plan::ItemStatus& s : ClosedPlan().statuses) {
    if (s.kind == kind && s.path == path) return s.status + ": " + s.reason;
  }
  return "(none)";
}

TEST(ClosedSetsPlanTest, InstantiatedItemsNameTheirSet) {
  const std::string set =
      "instantiated: instantiated for i8, i32, u64, closed_lib::Meters (the closed set of T: closed_lib::Number)";
  EXPECT_EQ(StatusOf("function", "closed_lib::gcd"), set);
  EXPECT_EQ(StatusOf("function", "closed_lib::sum"), set);
  EXPECT_EQ(StatusOf("function", "closed_lib::largest"), set);
  EXPECT_EQ(StatusOf("function", "closed_lib::zero_of"), set);
  EXPECT_EQ(StatusOf("method", "closed_lib::Counter::spread"), set);
  EXPECT_EQ(StatusOf("impl", "<T as closed_lib::Halve>"), set);
}

TEST(ClosedSetsPlanTest, OpenSetsSayWhy) {
  // Neither erased nor instantiated: the facade copies the library's body
  // (the driver keeps it only if it compiles to the library's MIR).
  const std::string copied = "; the library's body is copied if the facade compiles it to the same MIR";
  EXPECT_EQ(StatusOf("function", "closed_lib::retag"),
            "exported: generic, not erased: returns T: erasure would return the proxy, not the consumer's own "
            "type; not instantiated: T: the set of types of closed_lib::Tagged is open: the library implements it "
            "for T (impl<T: core::marker::Copy> closed_lib::Tagged for T), which admits types it does not list" +
                copied);
  EXPECT_EQ(StatusOf("impl", "<T as closed_lib::Tagged>"),
            "unsupported: generic impl, not instantiated: T has only std bounds (core::marker::Copy): its set of "
            "types is open");
}

TEST(ClosedSetsPlanTest, SeveralClosedParametersAreInstantiatedPerCombination) {
  EXPECT_EQ(StatusOf("function", "closed_lib::convert"),
            "instantiated: instantiated for each of 16 combinations of i8, i32, u64, closed_lib::Meters (the closed "
            "set of A: closed_lib::Number) and i8, i32, u64, closed_lib::Meters (the closed set of B: "
            "closed_lib::Number)");
  EXPECT_EQ(StatusOf("function", "closed_lib::fit"),
            "instantiated: instantiated for each of 8 combinations of i8, i32, u64, closed_lib::Meters (the closed "
            "set of N: closed_lib::Number) and u8, u16 (the closed set of W: closed_lib::Width)");
  // A method of a pinned type: `self` is `this` in the hidden methods.
  EXPECT_EQ(StatusOf("method", "closed_lib::Counter::widen"),
            "instantiated: instantiated for each of 8 combinations of i8, i32, u64, closed_lib::Meters (the closed "
            "set of N: closed_lib::Number) and u8, u16 (the closed set of W: closed_lib::Width)");
  // One thunk per combination, in the impl of the last parameter's trait,
  // named for the earlier parameters' types.
  std::vector<std::string> thunks;
  for (const plan::FunctionPlan& f : ClosedPlan().functions) {
    if (f.path.starts_with("closed_lib::fit::<")) thunks.push_back(f.path + " " + f.name + " " + f.impl_header);
  }
  ASSERT_EQ(thunks.size(), 8u);
  EXPECT_EQ(thunks[0], "closed_lib::fit::<i8, u8> __rdylib_fit__i8 impl crate::Width for u8");
  EXPECT_EQ(thunks[7],
            "closed_lib::fit::<closed_lib::Meters, u16> __rdylib_fit__closed_lib__meters impl crate::Width for u16");
  auto fit = std::find_if(ClosedPlan().closed_sets.begin(), ClosedPlan().closed_sets.end(),
                          [](const plan::ClosedSetPlan& cs) { return cs.path == "closed_lib::fit"; });
  ASSERT_NE(fit, ClosedPlan().closed_sets.end());
  EXPECT_EQ(fit->trait_path, "closed_lib::Number");
  // The first trait's impls pass the call on to the second's hidden method.
  ASSERT_EQ(fit->impl_methods.size(), 4u);
  EXPECT_EQ(fit->impl_methods[0].impl_header, "impl crate::Number for i8");
  EXPECT_EQ(fit->impl_methods[0].method,
            "fn __rdylib_fit<W: crate::Width>(n: i8, _w: W) -> alloc::string::String {\n"
            "    <W as crate::Width>::__rdylib_fit__i8(n, _w)\n}\n");
  ASSERT_EQ(fit->more_hidden_methods.size(), 4u);
  auto widen = std::find_if(ClosedPlan().closed_sets.begin(), ClosedPlan().closed_sets.end(),
                            [](const plan::ClosedSetPlan& cs) { return cs.path == "closed_lib::Counter::widen"; });
  ASSERT_NE(widen, ClosedPlan().closed_sets.end());
  ASSERT_FALSE(widen->impl_methods.empty());
  EXPECT_EQ(widen->impl_methods[0].method,
            "fn __rdylib_counter__widen<W: crate::Width>(this: &mut crate::Counter, n: i8, _w: W) -> i8 {\n"
            "    <W as crate::Width>::__rdylib_counter__widen__i8(this, n, _w)\n}\n");
  EXPECT_EQ(fit->more_hidden_methods[0].first, "closed_lib::Width");
  EXPECT_NE(fit->more_hidden_methods[0].second.find(
                "fn __rdylib_fit__i8(n: i8, _w: Self) -> alloc::string::String where Self: Sized"),
            std::string::npos)
      << fit->more_hidden_methods[0].second;
}

// closed_lib/src/mixed.rs: a parameter whose bounds name none of the
// crate's traits, beside a closed one, is erased in each instance.
TEST(ClosedSetsPlanTest, AnErasedParameterBesideAClosedOneIsErasedInEachInstance) {
  const std::string set =
      "instantiated: instantiated for i8, i32, u64, closed_lib::Meters (the closed set of N: closed_lib::Number); ";
  const std::string erased =
      " erased in each instance, over a proxy that calls back (size_of, TypeId and type_name of these see the proxy)";
  EXPECT_EQ(StatusOf("function", "closed_lib::apply"), set + "F" + erased);
  EXPECT_EQ(StatusOf("function", "closed_lib::fold_with"), set + "F" + erased);
  EXPECT_EQ(StatusOf("function", "closed_lib::tagged"), set + "L" + erased);
  auto apply = std::find_if(ClosedPlan().closed_sets.begin(), ClosedPlan().closed_sets.end(),
                            [](const plan::ClosedSetPlan& cs) { return cs.path == "closed_lib::apply"; });
  ASSERT_NE(apply, ClosedPlan().closed_sets.end());
  // The load check's text names the erased parameter.
  EXPECT_EQ(apply->text, set.substr(std::string("instantiated: ").size()) + "F" + erased);
  ASSERT_EQ(apply->hidden_methods.size(), 1u);
  EXPECT_NE(apply->hidden_methods[0].find(
                "fn __rdylib_apply<F: core::ops::Fn(Self) -> Self>(n: Self, f: F) -> Self where Self: Sized"),
            std::string::npos)
      << apply->hidden_methods[0];
  // Each instance's thunk erases F with the chosen type put in its bound,
  // and leaves it to inference in the library's call.
  const plan::FunctionPlan* i8 = nullptr;
  for (const plan::FunctionPlan& f : ClosedPlan().functions) {
    if (f.path == "closed_lib::apply::<i8>") i8 = &f;
  }
  ASSERT_NE(i8, nullptr);
  EXPECT_EQ(i8->facade_signature, "fn __rdylib_apply<F: core::ops::Fn(i8) -> i8>(n: i8, f: F) -> i8");
  EXPECT_EQ(i8->shim_callee, "target_crate::apply::<i8, _>");
  ASSERT_EQ(i8->erased.size(), 1u);
  EXPECT_EQ(i8->erased[0].Text(), "owned Fn(i8) -> i8");
  EXPECT_EQ(i8->impl_header, "impl crate::Number for i8");
  // Erasure refuses the other parameter: not instantiated, with its reason
  // (the driver's compile of the copy then refuses it, see closed_roundtrip.sh).
  EXPECT_EQ(StatusOf("function", "closed_lib::pass_on"),
            "exported: generic, not erased: returns N: erasure would return the proxy, not the consumer's own "
            "type; not instantiated: for i8: generic, not erased: returns T: erasure would return the proxy, not "
            "the consumer's own type; the library's body is copied if the facade compiles it to the same MIR");
}

TEST(ClosedSetsPlanTest, ASealedTraitIsSealedByTheFacadesOwnMarker) {
  EXPECT_EQ(StatusOf("trait", "closed_lib::Width"), "exported: ");
  EXPECT_EQ(StatusOf("function", "closed_lib::width_of"),
            "instantiated: instantiated for u8, u16 (the closed set of T: closed_lib::Width)");
  EXPECT_EQ(ClosedPlan().sealing_traits, std::vector<std::string>{"private__Sealed"});
  auto width = std::find_if(ClosedPlan().traits.begin(), ClosedPlan().traits.end(),
                            [](const plan::TraitPlan& t) { return t.path == "closed_lib::Width"; });
  ASSERT_NE(width, ClosedPlan().traits.end());
  EXPECT_EQ(width->header, "pub trait Width: crate::rdylib_sealed::private__Sealed");
  EXPECT_EQ(width->vtable_reason, "it is sealed: consumer types cannot implement it");
}

TEST(ClosedSetsPlanTest, EachTypeHasItsOwnThunkInTheTraitsImpl) {
  std::vector<std::string> symbols;
  for (const plan::FunctionPlan& f : ClosedPlan().functions) {
    if (f.path.starts_with("closed_lib::gcd::<")) {
      symbols.push_back(f.symbol);
      EXPECT_TRUE(f.impl_header.starts_with("impl crate::Number for ")) << f.impl_header;
      EXPECT_EQ(f.name, "__rdylib_gcd");
    }
  }
  ASSERT_EQ(symbols.size(), 4u);
  EXPECT_TRUE(symbols[0].starts_with("rdylib_v1_closed_lib__gcd__i8_")) << symbols[0];
  // The set is part of the load checks: another set of impls is refused.
  auto check = std::find_if(ClosedPlan().checks.begin(), ClosedPlan().checks.end(),
                            [](const plan::ShapeCheck& c) { return c.path == "closed_lib::gcd"; });
  ASSERT_NE(check, ClosedPlan().checks.end());
  EXPECT_EQ(check->text,
            "closed set instantiated for i8, i32, u64, closed_lib::Meters (the closed set of T: closed_lib::Number)");
}

// Formats a generated lib.rs as the build stage does, in a scratch crate.
std::string Formatted(const std::string& name, const std::string& lib_rs, std::string_view rt) {
  fs::path dir = testing::TestWorkDir() / "golden" / name / "src";
  WriteFile(dir / "lib.rs", lib_rs);
  WriteFile(dir / "rdylib_rt.rs", rt);
  WriteFile(dir / "rdylib_wire.rs", WireRuntime());
  Diagnostics diags;
  RustFmt(dir / "lib.rs", &diags);
  EXPECT_FALSE(diags.HasErrors());
  return *ReadFile(dir / "lib.rs");
}

TEST(ClosedSetsGoldenTest, Facade) {
  testing::CheckGolden("closed_lib_facade.rs",
                       Formatted("closed_facade", WriteFacadeLib(ClosedPlan(), "libclosed_lib.so"), FacadeRuntime()));
}

TEST(ClosedSetsGoldenTest, Shim) {
  testing::CheckGolden("closed_lib_shim.rs", Formatted("closed_shim", WriteShimLib(ClosedPlan()), ShimRuntime()));
}

}  // namespace
}  // namespace rdylib::emit
