// Golden tests of the generated shim and facade for the example engine, and
// plan checks. The generated crates are also compiled and run by the
// end-to-end test (tests/e2e/engine_roundtrip.sh) with both toolchains.
#include <gtest/gtest.h>

#include <cstdlib>

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

const plan::Plan& EnginePlan() {
  static const plan::Plan plan = [] {
    Diagnostics diags;
    std::optional<toolchain::Toolchain> tc = toolchain::Resolve("stable", &diags);
    extract::ExtractOptions options;
    options.crate_dir = fs::path(RDYLIB_SOURCE_DIR) / "examples/engine";
    options.work_dir = testing::TestWorkDir();
    options.target_dir = testing::TestWorkDir() / "target";
    std::optional<extract::ExtractResult> ex = extract::Extract(options, *tc, &diags);
    if (!ex) throw std::runtime_error(diags.ToString());
    std::optional<model::Crate> crate = read::ReadCrateFile(ex->json_path, &diags);
    static api::PublicApi api = api::BuildPublicApi(*crate);
    static model::Crate kept = std::move(*crate);
    std::optional<probe::Layouts> layouts =
        probe::Probe(options, ex->package, *tc, kept, api, &diags);
    if (!layouts) throw std::runtime_error(diags.ToString());
    return plan::MakePlan(kept, api, *layouts);
  }();
  return plan;
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

TEST(EmitGoldenTest, EngineShim) {
  testing::CheckGolden("engine_shim.rs", Formatted("shim", WriteShimLib(EnginePlan()), ShimRuntime()));
}

TEST(EmitGoldenTest, EngineFacade) {
  testing::CheckGolden("engine_facade.rs",
              Formatted("facade", WriteFacadeLib(EnginePlan(), "libengine.so"), FacadeRuntime()));
}

TEST(EmitTest, OutputIsDeterministic) {
  EXPECT_EQ(WriteShimLib(EnginePlan()), WriteShimLib(EnginePlan()));
  EXPECT_EQ(WriteFacadeLib(EnginePlan(), "x.so"), WriteFacadeLib(EnginePlan(), "x.so"));
}

TEST(PlanTest, PinsTypesAtMeasuredOffsets) {
  const plan::Plan& plan = EnginePlan();
  auto t = std::find_if(plan.types.begin(), plan.types.end(),
                        [](const plan::TypePlan& t) { return t.path == "engine::Transform"; });
  ASSERT_NE(t, plan.types.end());
  EXPECT_EQ(t->size, 16u);
  ASSERT_EQ(t->fields.size(), 2u);
  EXPECT_EQ(t->fields[0].name, "position");
  EXPECT_EQ(t->fields[0].facade_type, "crate::Vec3");
  EXPECT_EQ(t->fields[1].offset, 12u);
  EXPECT_TRUE(t->is_copy);
  EXPECT_TRUE(t->all_fields_cross);
}

TEST(PlanTest, EveryItemHasAStatusAndUnsupportedOnesAReason) {
  const plan::Plan& plan = EnginePlan();
  auto status = [&](const std::string& path) -> const plan::ItemStatus* {
    for (const plan::ItemStatus& s : plan.statuses) {
      if (s.path == path) return &s;
    }
    return nullptr;
  };
  ASSERT_NE(status("engine::World::spawn"), nullptr);
  EXPECT_EQ(status("engine::World::spawn")->status, "converted");  // Result<_, EngineError>
  ASSERT_NE(status("engine::System"), nullptr);
  EXPECT_EQ(status("engine::System")->status, "unsupported");
  EXPECT_EQ(status("engine::System")->reason, "traits do not cross yet");
  EXPECT_EQ(status("engine::World::describe")->status, "converted");
  EXPECT_EQ(status("engine::Vec3::length")->status, "exported");
  // The shortest path is canonical; the defining module re-exports it.
  EXPECT_EQ(status("engine::math::Vec3")->reason, "re-export of engine::Vec3");
  for (const plan::ItemStatus& s : plan.statuses) {
    if (s.status == "unsupported") EXPECT_FALSE(s.reason.empty()) << s.path;
  }
}

TEST(PlanTest, SymbolsCarryAbiVersionAndSignatureHash) {
  for (const plan::FunctionPlan& f : EnginePlan().functions) {
    EXPECT_TRUE(f.symbol.starts_with("rdylib_v0_engine__")) << f.symbol;
    EXPECT_EQ(f.symbol.size() - f.symbol.rfind('_') - 1, 8u) << f.symbol;  // the hash
  }
}

}  // namespace
}  // namespace rdylib::emit
