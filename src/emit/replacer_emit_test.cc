// Plan checks and golden tests of a crate's own trait as a generic bound, on
// tests/fixtures/replacer_lib (compiled and run both ways by
// tests/e2e/replacer_roundtrip.sh): the trait's vtable serves erased
// parameters, impls for std containers and the blanket impl over closures.
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

const plan::Plan& ReplacerPlan() {
  static const plan::Plan plan = [] {
    Diagnostics diags;
    std::optional<toolchain::Toolchain> tc = toolchain::Resolve("stable", &diags);
    extract::ExtractOptions options;
    options.crate_dir = testing::FixtureDir("replacer_lib");
    options.work_dir = testing::TestWorkDir() / "replacer_lib";
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

const plan::ItemStatus* Status(const std::string& path) {
  for (const plan::ItemStatus& s : ReplacerPlan().statuses) {
    if (s.path == path) return &s;
  }
  return nullptr;
}

const plan::TraitPlan* Trait(const std::string& path) {
  for (const plan::TraitPlan& t : ReplacerPlan().traits) {
    if (t.path == path) return &t;
  }
  return nullptr;
}

TEST(ReplacerPlanTest, AnUndeclaredProvidedMethodIsLeftToTheLibrarysDefault) {
  const plan::TraitPlan* fill = Trait("replacer_lib::Fill");
  ASSERT_NE(fill, nullptr);
  ASSERT_GE(fill->vtable, 0) << fill->vtable_reason;
  const plan::VtablePlan& vt = ReplacerPlan().vtables[fill->vtable];
  EXPECT_FALSE(vt.dyn_compatible);
  EXPECT_EQ(vt.library_defaults, (std::vector<std::string>{"replacer_lib::Fill::by_ref"}));
  std::vector<std::string> names;
  for (const plan::VtableEntry& e : vt.entries) names.push_back(e.name);
  EXPECT_EQ(names, (std::vector<std::string>{"fill", "literal"}));
  ASSERT_NE(Status("replacer_lib::Fill::by_ref"), nullptr);
  EXPECT_EQ(Status("replacer_lib::Fill::by_ref")->status, "unsupported");
  EXPECT_EQ(Status("replacer_lib::Fill::by_ref")->reason,
            "its return type names a type that does not cross; not declared in the facade");
  const plan::TraitPlan* bytes = Trait("replacer_lib::bytes::Fill");
  ASSERT_NE(bytes, nullptr);
  ASSERT_GE(bytes->vtable, 0) << bytes->vtable_reason;
  EXPECT_TRUE(ReplacerPlan().vtables[bytes->vtable].dyn_compatible);
}

TEST(ReplacerPlanTest, BoundsOnTheTraitAreErasedThroughItsVtable) {
  for (const char* m : {"replacer_lib::Words::replace_all", "replacer_lib::Words::replacen",
                        "replacer_lib::Words::replace_twice", "replacer_lib::Words::first",
                        "replacer_lib::bytes::replace_all"}) {
    ASSERT_NE(Status(m), nullptr) << m;
    EXPECT_EQ(Status(m)->status, "erased") << m << ": " << Status(m)->reason;
    EXPECT_NE(Status(m)->reason.find("Fill vtable"), std::string::npos) << Status(m)->reason;
  }
}

TEST(ReplacerPlanTest, ImplsForStdContainersAndClosuresCross) {
  for (const char* impl :
       {"<&'a str as replacer_lib::Fill>", "<&'a String as replacer_lib::Fill>", "<String as replacer_lib::Fill>",
        "<alloc::borrow::Cow<'a, str> as replacer_lib::Fill>", "<&'a alloc::borrow::Cow<'a, str> as replacer_lib::Fill>",
        "<F as replacer_lib::Fill>", "<replacer_lib::Verbatim<'t> as replacer_lib::Fill>",
        "<Vec<u8> as replacer_lib::bytes::Fill>", "<&'a Vec<u8> as replacer_lib::bytes::Fill>",
        "<alloc::borrow::Cow<'a, [u8]> as replacer_lib::bytes::Fill>", "<F as replacer_lib::bytes::Fill>",
        "<&'a str as replacer_lib::Shrink>", "<alloc::borrow::Cow<'a, str> as replacer_lib::Shrink>"}) {
    ASSERT_NE(Status(impl), nullptr) << impl;
    EXPECT_EQ(Status(impl)->status, "converted") << impl << ": " << Status(impl)->reason;
  }
  // A Cow borrowed from a self the library rebuilt comes back owned.
  for (const plan::FunctionPlan& f : ReplacerPlan().functions) {
    if (f.path == "<String as replacer_lib::Fill>::literal") {
      ASSERT_EQ(f.ret.kind, plan::AbiValue::Kind::kOption);
      EXPECT_TRUE(f.ret.children[0].copy_borrowed);
    }
  }
  ASSERT_NE(Status("<replacer_lib::FillRef<'a, R> as replacer_lib::Fill>"), nullptr);
  EXPECT_EQ(Status("<replacer_lib::FillRef<'a, R> as replacer_lib::Fill>")->reason,
            "generic impl, not instantiated: only blanket impls (impl<T: Bound> Trait for T) over a closed set are "
            "instantiated");
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

TEST(ReplacerGoldenTest, Facade) {
  testing::CheckGolden("replacer_lib_facade.rs", Formatted("replacer_facade",
                                                           WriteFacadeLib(ReplacerPlan(), "libreplacer_lib.so"),
                                                           FacadeRuntime()));
}

TEST(ReplacerGoldenTest, Shim) {
  testing::CheckGolden("replacer_lib_shim.rs",
                       Formatted("replacer_shim", WriteShimLib(ReplacerPlan()), ShimRuntime()));
}

}  // namespace
}  // namespace rdylib::emit
