// Golden tests of the generated shim and facade for the ABI fixture and the
// example engine, and plan checks. The generated crates are also compiled
// and run by the end-to-end tests (tests/e2e/fixture_roundtrip.sh and
// engine_roundtrip.sh) with both toolchains.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <vector>

#include "emit/facade_writer.h"
#include "emit/report_writer.h"
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

// The plan of a crate under the source tree, built with stable.
plan::Plan PlanOf(const std::string& dir) {
  Diagnostics diags;
  std::optional<toolchain::Toolchain> tc = toolchain::Resolve("stable", &diags);
  extract::ExtractOptions options;
  options.crate_dir = fs::path(RDYLIB_SOURCE_DIR) / dir;
  options.work_dir = testing::TestWorkDir() / dir;
  options.target_dir = testing::TestWorkDir() / "target";
  std::optional<extract::ExtractResult> ex = extract::Extract(options, *tc, &diags);
  if (!ex) throw std::runtime_error(diags.ToString());
  std::optional<model::Crate> crate = read::ReadCrateFile(ex->json_path, &diags);
  // The plan keeps no pointers into these; they live as long as the test.
  static std::vector<std::unique_ptr<model::Crate>> crates;
  static std::vector<std::unique_ptr<api::PublicApi>> apis;
  crates.push_back(std::make_unique<model::Crate>(std::move(*crate)));
  apis.push_back(std::make_unique<api::PublicApi>(api::BuildPublicApi(*crates.back())));
  std::optional<probe::Layouts> layouts =
      probe::Probe(options, ex->package, *tc, *crates.back(), *apis.back(), &diags);
  if (!layouts) throw std::runtime_error(diags.ToString());
  return plan::MakePlan(*crates.back(), *apis.back(), *layouts);
}

const plan::Plan& EnginePlan() {
  static const plan::Plan plan = PlanOf("examples/engine");
  return plan;
}

const plan::Plan& FixturePlan() {
  static const plan::Plan plan = PlanOf("tests/fixtures/abi_fixture");
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

TEST(EmitGoldenTest, FixtureShim) {
  testing::CheckGolden("abi_fixture_shim.rs", Formatted("fixture_shim", WriteShimLib(FixturePlan()), ShimRuntime()));
}

TEST(EmitGoldenTest, FixtureFacade) {
  testing::CheckGolden("abi_fixture_facade.rs",
              Formatted("fixture_facade", WriteFacadeLib(FixturePlan(), "libabi_fixture.so"), FacadeRuntime()));
}

TEST(PlanTest, FixtureStatusesNameHowEachItemCrosses) {
  const plan::Plan& plan = FixturePlan();
  auto status = [&](const std::string& path) -> std::string {
    for (const plan::ItemStatus& s : plan.statuses) {
      if (s.path == path) return s.status + ": " + s.reason;
    }
    return "missing";
  };
  EXPECT_EQ(status("abi_fixture::PRIMES"), "exported: a Copy value: the library's bytes, copied");
  EXPECT_EQ(status("abi_fixture::DROPPED_ACCOUNTS"),
            "converted: the library's own object: the facade's static derefs to it (use *NAME for the value)");
  EXPECT_EQ(status("abi_fixture::BIG"), "exported: the library's value, measured as bytes");
  EXPECT_EQ(status("abi_fixture::Shape::scale"),
            "converted: self crosses as the enum's wire form and is rebuilt on the other side; values are "
            "converted at the boundary");
  EXPECT_EQ(status("<abi_fixture::Name as core::convert::AsRef<[u8]>>"), "exported: ");
  EXPECT_EQ(status("<abi_fixture::Percent as core::convert::TryFrom<u32>>"),
            "converted: values are converted at the boundary");
  EXPECT_EQ(status("abi_fixture::Sample::pair"),
            "exported: a tuple: the facade's compiler must lay it out as the library's did (checked "
            "when the facade compiles)");
  EXPECT_EQ(status("abi_fixture::geometry::Color::Blue"), "exported: as abi_fixture::Color::Blue");
  // Comparisons with another type: method by method, lt as the library wrote it.
  EXPECT_EQ(status("<abi_fixture::geometry::Feet as core::cmp::PartialEq<abi_fixture::Meters>>"),
            "exported: ");
  EXPECT_EQ(status("<abi_fixture::geometry::Feet as core::cmp::PartialOrd<abi_fixture::Meters>>"),
            "converted: values are converted at the boundary");
  EXPECT_EQ(status("abi_fixture::geometry::compare_floats"), "converted: values are converted at the boundary");
  EXPECT_EQ(status("<u32 as core::cmp::PartialEq<abi_fixture::geometry::Feet>>"),
            "unsupported: trait impls with generic arguments are not forwarded yet");
  // std's generic types (docs/ABI.md, "std generic types").
  EXPECT_EQ(status("abi_fixture::collections::word_counts"),
            "converted: std's collections are rebuilt on the other side (O(n); a HashMap's or HashSet's iteration "
            "order is the receiver's, and a & parameter lends the library a copy); values are converted at the "
            "boundary");
  EXPECT_EQ(status("abi_fixture::collections::bump"),
            "unsupported: parameter counts: &mut HashMap does not cross yet: the library would change a rebuilt "
            "copy, and writing it back exactly is not done");
  EXPECT_EQ(status("abi_fixture::collections::wide_arc"),
            "unsupported: Arc of a type aligned to 16 does not cross yet (the measured fact Arc<u64> covers values "
            "aligned to 8 at most)");
  EXPECT_EQ(status("abi_fixture::collections::shared_tally"),
            "exported: an Rc or Arc crosses as its one allocation (one count on both sides; needs one allocator)");
  EXPECT_EQ(status("<abi_fixture::ParseError as core::error::Error>"),
            "converted: source() is the library's source chain, copied as text");
  // `largest<T: PartialOrd + Copy>(values: &[T]) -> T`: a slice of T and a
  // returned T, which erasure would change (docs/ABI.md, "Erasure"); std
  // bounds only, so no closed set to instantiate either ("Closed sets"):
  // the facade copies the library's body, for the driver to check.
  EXPECT_EQ(status("abi_fixture::largest"),
            "exported: generic, not erased: parameter values: T inside this type would change its layout (a "
            "container of the consumer's type), which erasure cannot keep; not instantiated: T has only std bounds "
            "(core::cmp::PartialOrd + core::marker::Copy): its set of types is open; the library's body is copied "
            "if the facade compiles it to the same MIR");
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
  // A library trait is declared by the facade; the library's impl forwards.
  EXPECT_EQ(status("engine::System")->status, "exported");
  ASSERT_NE(status("<engine::Drift as engine::System>"), nullptr);
  EXPECT_NE(status("<engine::Drift as engine::System>")->status, "unsupported");
  EXPECT_EQ(status("engine::World::describe")->status, "converted");
  EXPECT_EQ(status("engine::Vec3::length")->status, "exported");
  // The shortest path is canonical; the defining module re-exports it.
  EXPECT_EQ(status("engine::math::Vec3")->reason, "re-export of engine::Vec3");
  for (const plan::ItemStatus& s : plan.statuses) {
    if (s.status == "unsupported") EXPECT_FALSE(s.reason.empty()) << s.path;
  }
}

// Shapes from real crates whose facades once failed to compile; the facade
// is compiled with both toolchains by tests/e2e/edge_types.sh.
TEST(PlanTest, EdgeTypesCrossOrAreReported) {
  static const plan::Plan plan = PlanOf("tests/fixtures/edge_types");
  auto type = [&](const std::string& path) -> const plan::TypePlan* {
    for (const plan::TypePlan& t : plan.types) {
      if (t.path == path) return &t;
    }
    return nullptr;
  };
  auto status = [&](const std::string& path) -> std::string {
    for (const plan::ItemStatus& s : plan.statuses) {
      if (s.path == path) return s.status + ": " + s.reason;
    }
    return "missing";
  };
  using Variants = std::vector<std::pair<std::string, std::string>>;
  // Zero-sized: no tag bytes, so the discriminant as written (or none).
  ASSERT_NE(type("edge_types::Only"), nullptr);
  EXPECT_EQ(type("edge_types::Only")->size, 0u);
  EXPECT_EQ(type("edge_types::Only")->variants, (Variants{{"One", ""}}));
  ASSERT_NE(type("edge_types::Seven"), nullptr);
  EXPECT_EQ(type("edge_types::Seven")->variants, (Variants{{"Seven", "7"}}));
  ASSERT_NE(type("edge_types::Tagged"), nullptr);
  EXPECT_EQ(type("edge_types::Tagged")->size, 1u);
  EXPECT_EQ(type("edge_types::Tagged")->variants, (Variants{{"Nine", "9"}}));
  std::string facade = WriteFacadeLib(plan, "libedge_types.so");
  EXPECT_EQ(facade.find("#[repr(u0)]"), std::string::npos);
  EXPECT_NE(facade.find("#[repr(u8)]"), std::string::npos);  // Tagged
  // A match on `&Never` needs an arm; on `*v` it needs none.
  size_t view = facade.find("fn view_wire_Never(v: &crate::Never)");
  ASSERT_NE(view, std::string::npos);
  EXPECT_EQ(facade.substr(facade.find("match", view), 9), "match *v ");

  EXPECT_EQ(status("edge_types::Never"),
            "converted: an enum without variants: the facade has its own; no value of it exists");
  EXPECT_EQ(status("edge_types::Never::absurd"),
            "unsupported: an enum without variants has no value to call this method on");
  EXPECT_EQ(status("edge_types::fallible"), "converted: values are converted at the boundary");
  const std::string unsized =
      "unsupported: unsized type: only reachable behind a pointer, which does not cross yet";
  for (const char* name : {"UninitSlice", "Label", "Bytes", "Callback", "Framed"}) {
    EXPECT_EQ(status(std::string("edge_types::") + name), unsized) << name;
  }
  EXPECT_TRUE(status("edge_types::UninitSlice::len").starts_with("unsupported: "));
  EXPECT_TRUE(status("edge_types::Label::text").starts_with("unsupported: "));
  // std items re-exported: as written, or through a module's own `extern
  // crate std` by their public std path; a glob names the std module.
  EXPECT_EQ(status("edge_types::EdgeDeref"), "exported: re-export of std's core::ops::Deref");
  EXPECT_EQ(status("edge_types::std_names::ONCE_INIT"), "exported: re-export of std's std::sync::ONCE_INIT");
  EXPECT_EQ(status("edge_types::std_names::*"), "exported: re-export of std's std::collections::hash_map::*");
  using Reexports = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(plan.std_reexports, (Reexports{{"edge_types::EdgeDeref", "core::ops::Deref"},
                                           {"edge_types::std_names::*", "std::collections::hash_map"},
                                           {"edge_types::std_names::ONCE_INIT", "std::sync::ONCE_INIT"}}));
}

// A hidden variant is API: its enum is declared in full, and the report
// marks the hidden item.
TEST(PlanTest, HiddenItemsCrossAndAreMarked) {
  const plan::ItemStatus* unknown = nullptr;
  const plan::ItemStatus* minor = nullptr;
  for (const plan::ItemStatus& s : FixturePlan().statuses) {
    if (s.path == "abi_fixture::Fault::__Unknown") unknown = &s;
    if (s.path == "abi_fixture::Fault::Minor") minor = &s;
  }
  ASSERT_NE(unknown, nullptr);
  ASSERT_NE(minor, nullptr);
  EXPECT_NE(unknown->status, "unsupported") << unknown->reason;
  EXPECT_TRUE(unknown->hidden);
  EXPECT_FALSE(minor->hidden);
  std::string report = WriteReportMarkdown(FixturePlan());
  EXPECT_NE(report.find("variant `abi_fixture::Fault::__Unknown` (#[doc(hidden)]) |"),
            std::string::npos);
  EXPECT_NE(report.find("variant `abi_fixture::Fault::Minor` |"), std::string::npos);
  std::string json = WriteReportJson(FixturePlan());
  size_t at = json.find("\"path\": \"abi_fixture::Fault::__Unknown\"");
  ASSERT_NE(at, std::string::npos);
  EXPECT_NE(json.substr(at, json.find('\n', at) - at).find("\"hidden\": true"),
            std::string::npos);
}

// The report counts each kind of item and the trait items together, in
// Markdown and JSON, from the same statuses.
TEST(ReportTest, CountsEachKindAndTheTraitItems) {
  plan::Plan plan;
  plan.statuses = {{"trait", "c::T", "exported", "", false},
                   {"trait_method", "c::T::f", "unsupported", "why", false},
                   {"impl", "<c::S as c::T>", "converted", "", false},
                   {"function", "c::g", "erased", "", false}};
  std::string report = WriteReportMarkdown(plan);
  EXPECT_NE(report.find("| function | 1 | 1 | 100.0% |\n"), std::string::npos) << report;
  EXPECT_NE(report.find("| trait_method | 1 | 0 | 0.0% |\n"), std::string::npos) << report;
  EXPECT_NE(report.find("| trait items (traits, their members, trait impls) | 3 | 2 | 66.7% |\n"),
            std::string::npos)
      << report;
  std::string json = WriteReportJson(plan);
  EXPECT_NE(json.find("{\"kind\": \"trait items (traits, their members, trait impls)\", \"items\": 3, "
                      "\"cross\": 2}"),
            std::string::npos)
      << json;
}

// Reference fields are declared as references; &str and &[T] rely on the
// measured fat-pointer facts, checked at load.
TEST(PlanTest, ReferenceFieldsCrossWithTheirFacts) {
  const plan::TypePlan* view = nullptr;
  for (const plan::TypePlan& t : FixturePlan().types) {
    if (t.path == "abi_fixture::View") view = &t;
  }
  ASSERT_NE(view, nullptr);
  std::vector<std::pair<std::string, std::string>> fields;
  for (const plan::FieldPlan& f : view->fields) fields.emplace_back(f.name, f.facade_type);
  EXPECT_EQ(fields, (std::vector<std::pair<std::string, std::string>>{
                        {"name", "&'a str"}, {"nums", "&'a [u32]"}, {"p", "&'a crate::Point"}}));
  const auto& facts = FixturePlan().std_facts;
  auto relies = [&](const std::string& fact, const std::string& item) {
    return std::find(facts.begin(), facts.end(), std::make_pair(fact, item)) != facts.end();
  };
  EXPECT_TRUE(relies("&str", "abi_fixture::View::name"));
  EXPECT_TRUE(relies("&[u64]", "abi_fixture::View::nums"));
  EXPECT_TRUE(relies("&str", "abi_fixture::Literal::0"));
  for (const auto& [fact, item] : facts) EXPECT_NE(item, "abi_fixture::View::p") << fact;
  // Fields naming the lifetime: no marker, so the consumer builds it.
  std::string facade = WriteFacadeLib(FixturePlan(), "libabi_fixture.so");
  EXPECT_NE(facade.find("pub struct Literal<'t>(pub &'t str);"), std::string::npos);
}

TEST(PlanTest, SymbolsCarryAbiVersionAndSignatureHash) {
  for (const plan::FunctionPlan& f : EnginePlan().functions) {
    EXPECT_TRUE(f.symbol.starts_with(fmt::format("rdylib_v{}_engine__", plan::kAbiVersion))) << f.symbol;
    EXPECT_EQ(f.symbol.size() - f.symbol.rfind('_') - 1, 8u) << f.symbol;  // the hash
  }
}

}  // namespace
}  // namespace rdylib::emit
