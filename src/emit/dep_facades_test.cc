// Dependency facades: which dependencies the fixture deps_lib reaches, how
// its plan names regex's types, and golden files of what is generated for
// both (compiled and run by tests/e2e/deps_roundtrip.sh).
#include "emit/dep_facades.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>

#include "emit/facade_writer.h"
#include "emit/runtime_files.h"
#include "emit/rustfmt.h"
#include "emit/shim_writer.h"
#include "plan/plan_deps.h"
#include "probe/probe.h"
#include "read/reader.h"
#include "test_support.h"
#include "util/files.h"

namespace rdylib::emit {
namespace {

namespace fs = std::filesystem;

// One crate analysed with stable: the model, its API and its layouts.
struct Analysed {
  model::Crate crate;
  api::PublicApi api;
  probe::Layouts layouts;
};

const Analysed& Analyse(const fs::path& dir, const std::string& name,
                        const std::string& toolchain = "stable") {
  static std::map<std::string, std::unique_ptr<Analysed>> done;
  auto& slot = done[name + " " + toolchain];
  if (slot) return *slot;
  Diagnostics diags;
  std::optional<toolchain::Toolchain> tc = toolchain::Resolve(toolchain, &diags);
  extract::ExtractOptions options;
  options.crate_dir = dir;
  options.work_dir = testing::TestWorkDir() / "dep_facades" / (name + testing::ToolchainTestName(toolchain));
  options.target_dir = testing::TestWorkDir() / "target";
  std::optional<extract::ExtractResult> ex = extract::Extract(options, *tc, &diags);
  if (!ex) throw std::runtime_error(diags.ToString());
  std::optional<model::Crate> crate = read::ReadCrateFile(ex->json_path, &diags);
  slot = std::make_unique<Analysed>();
  slot->crate = std::move(*crate);
  slot->api = api::BuildPublicApi(slot->crate);
  std::optional<probe::Layouts> layouts =
      probe::Probe(options, ex->package, *tc, slot->crate, slot->api, &diags);
  if (!layouts) throw std::runtime_error(diags.ToString());
  slot->layouts = std::move(*layouts);
  return *slot;
}

const Analysed& Regex() { return Analyse("/usr/share/cargo/registry/regex-1.7.1", "regex"); }
const Analysed& DepsLib() { return Analyse(testing::FixtureDir("deps_lib"), "deps_lib"); }

// regex's plan, hosted in deps_lib's library.
const plan::Plan& RegexPlan() {
  static const plan::Plan plan = [] {
    plan::Plan p = plan::MakePlan(Regex().crate, Regex().api, Regex().layouts);
    plan::HostIn(&p, "deps_lib");
    return p;
  }();
  return plan;
}

const Analysed& NumTraits() { return Analyse("/usr/share/cargo/registry/num-traits-0.2.15", "num_traits"); }

// num-traits' plan, hosted in deps_lib's library.
const plan::Plan& NumTraitsPlan() {
  static const plan::Plan plan = [] {
    plan::Plan p = plan::MakePlan(NumTraits().crate, NumTraits().api, NumTraits().layouts);
    plan::HostIn(&p, "deps_lib");
    return p;
  }();
  return plan;
}

std::vector<plan::ForeignType> Foreign() {
  std::vector<plan::ForeignType> out;
  plan::AddForeignTypes(DepsLib().crate, NumTraits().crate, NumTraits().api, NumTraitsPlan(), &out);
  plan::AddForeignTypes(DepsLib().crate, Regex().crate, Regex().api, RegexPlan(), &out);
  return out;
}

const plan::Plan& DepsLibPlan() {
  static const std::vector<plan::ForeignType> foreign = Foreign();
  static const plan::Plan plan = [] {
    plan::Plan p = plan::MakePlan(DepsLib().crate, DepsLib().api, DepsLib().layouts, foreign);
    for (plan::DepLink& d : p.deps) d.package = d.crate == "num_traits" ? "num-traits" : d.crate;
    return p;
  }();
  return plan;
}

const plan::ForeignType* Find(const std::vector<plan::ForeignType>& all, const std::string& path) {
  auto it = std::find_if(all.begin(), all.end(), [&](const plan::ForeignType& f) { return f.path == path; });
  return it == all.end() ? nullptr : &*it;
}

const plan::ItemStatus* Status(const plan::Plan& plan, const std::string& path) {
  for (const plan::ItemStatus& s : plan.statuses) {
    if (s.path == path) return &s;
  }
  return nullptr;
}

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

TEST(DepFacadesTest, TheFixtureReachesRegexAndNumTraitsThroughItsTraits) {
  // num-traits only through traits: Quantity's supertrait, Tally's bound.
  EXPECT_EQ(plan::ReachedDependencies(DepsLib().crate, DepsLib().api),
            (std::vector<std::string>{"num_traits", "regex"}));
  // regex's API reaches regex_syntax (through regex::internal).
  EXPECT_EQ(plan::ReachedDependencies(Regex().crate, Regex().api),
            (std::vector<std::string>{"regex_syntax"}));
}

TEST(DepFacadesTest, RegexTypesAreNamedThroughItsFacadeAndShim) {
  std::vector<plan::ForeignType> foreign = Foreign();
  const plan::ForeignType* error = Find(foreign, "regex::Error");
  ASSERT_NE(error, nullptr);
  EXPECT_TRUE(error->supported);
  EXPECT_TRUE(error->is_enum);
  EXPECT_EQ(error->facade_name, "::regex::Error");
  EXPECT_EQ(error->shim_name, "rdylib_dep_regex::target_crate::Error");
  EXPECT_EQ(error->wire_name, "dep_regex__" + error->dep_wire_name);
  const plan::ForeignType* re = Find(foreign, "regex::Regex");
  ASSERT_NE(re, nullptr);
  EXPECT_TRUE(re->supported);
  EXPECT_FALSE(re->is_enum);
  EXPECT_GT(re->size, 0u);
  const plan::ForeignType* replacer = Find(foreign, "regex::ReplacerRef");
  ASSERT_NE(replacer, nullptr);
  EXPECT_FALSE(replacer->supported);
  EXPECT_NE(replacer->reason.find("regex::ReplacerRef (of the dependency regex 1.7.1) does not cross"),
            std::string::npos)
      << replacer->reason;
}

// rustdoc 1.85 (format 37) lists regex's types in the library's paths table
// by their defining paths but hardly any in regex's own: they are found
// through the files they are defined in.
TEST(DepFacadesTest, RegexTypesAreFoundWithRustc185Too) {
  const Analysed& regex = Analyse("/usr/share/cargo/registry/regex-1.7.1", "regex", "/usr/bin/rustc");
  const Analysed& lib = Analyse(testing::FixtureDir("deps_lib"), "deps_lib", "/usr/bin/rustc");
  plan::Plan regex_plan = plan::MakePlan(regex.crate, regex.api, regex.layouts);
  std::vector<plan::ForeignType> foreign;
  plan::AddForeignTypes(lib.crate, regex.crate, regex.api, regex_plan, &foreign);
  for (const char* path : {"regex::Error", "regex::Regex", "regex::bytes::Regex"}) {
    const plan::ForeignType* f = Find(foreign, path);
    ASSERT_NE(f, nullptr) << path;
    EXPECT_TRUE(f->supported) << path;
  }
}

TEST(DepFacadesTest, AHostedPlansSymbolsCarryItsNameAndVersion) {
  const plan::Plan& p = RegexPlan();
  EXPECT_EQ(p.SymbolPrefix(), "rdylib_v1_regex_1_7_1");
  EXPECT_EQ(p.host_crate, "deps_lib");
  ASSERT_FALSE(p.functions.empty());
  for (const plan::FunctionPlan& f : p.functions) {
    EXPECT_EQ(f.symbol.rfind("rdylib_v1_regex_1_7_1__", 0), 0u) << f.symbol;
  }
  for (const plan::TypePlan& t : p.types) {
    EXPECT_EQ(p.TraitSymbol(t, "clone").rfind("rdylib_v1_regex_1_7_1__", 0), 0u);
  }
}

TEST(DepFacadesTest, ItemsNamingRegexCrossOrSayWhyNot) {
  const plan::Plan& p = DepsLibPlan();
  for (const char* path : {"deps_lib::Finder::find", "deps_lib::Finder::count", "deps_lib::rule_from",
                           "deps_lib::Rule::re", "deps_lib::compile", "deps_lib::CompileError::into_inner"}) {
    const plan::ItemStatus* s = Status(p, path);
    ASSERT_NE(s, nullptr) << path;
    EXPECT_NE(s->status, "unsupported") << path << ": " << s->reason;
  }
  const plan::ItemStatus* generic = Status(p, "deps_lib::replacer_len");
  ASSERT_NE(generic, nullptr);
  EXPECT_EQ(generic->status, "unsupported");
  EXPECT_NE(generic->reason.find("regex::ReplacerRef (of the dependency regex 1.7.1)"), std::string::npos);
  ASSERT_EQ(p.deps.size(), 2u);
  EXPECT_EQ(p.deps[0].crate, "num_traits");
  EXPECT_EQ(p.deps[1].crate, "regex");
  // regex's shapes are checked at load by deps_lib's facade too.
  EXPECT_TRUE(std::any_of(p.checks.begin(), p.checks.end(),
                          [](const plan::ShapeCheck& c) { return c.path == "regex::Error"; }));
}

TEST(DepFacadesTest, NumTraitsTraitsAreNamedThroughItsFacadeAndShim) {
  std::vector<plan::ForeignType> foreign = Foreign();
  const plan::ForeignType* prim = Find(foreign, "num_traits::PrimInt");
  ASSERT_NE(prim, nullptr);
  EXPECT_TRUE(prim->is_trait);
  EXPECT_TRUE(prim->supported) << prim->reason;
  EXPECT_EQ(prim->facade_name, "::num_traits::PrimInt");
  EXPECT_EQ(prim->shim_name, "rdylib_dep_num_traits::target_crate::PrimInt");
  EXPECT_EQ(prim->shape_text.rfind("trait pub trait PrimInt: ", 0), 0u) << prim->shape_text;
  // num-traits' own impls of it that cross, for the primitive integers.
  for (const char* self : {"i64", "u32", "u8"}) {
    EXPECT_TRUE(std::binary_search(prim->impl_self_types.begin(), prim->impl_self_types.end(), self)) << self;
  }
  const plan::Plan& p = DepsLibPlan();
  auto trait = std::find_if(p.traits.begin(), p.traits.end(),
                            [](const plan::TraitPlan& t) { return t.path == "deps_lib::Quantity"; });
  ASSERT_NE(trait, p.traits.end());
  EXPECT_EQ(trait->header, "pub trait Quantity: ::num_traits::PrimInt");
  const plan::ItemStatus* impl = Status(p, "<u32 as deps_lib::Quantity>");
  ASSERT_NE(impl, nullptr);
  EXPECT_NE(impl->status, "unsupported") << impl->reason;
  const plan::ItemStatus* tally = Status(p, "deps_lib::Tally::Count");
  ASSERT_NE(tally, nullptr);
  EXPECT_EQ(tally->status, "exported");
  // The facade checks num-traits' trait at load too.
  EXPECT_TRUE(std::any_of(p.checks.begin(), p.checks.end(),
                          [](const plan::ShapeCheck& c) { return c.path == "num_traits::PrimInt"; }));
}

// num-traits' `impl<T, Rhs, Output> NumOps<Rhs, Output> for T where T: Add<..>
// + ..` has no items: written as it is, it stands for the NumOps impls that
// `impl Num for i32` needs; and Num's impls return ParseIntError as a code.
TEST(DepFacadesTest, NumTraitsMarkerImplsAndNumImplsCross) {
  const plan::Plan& p = NumTraitsPlan();
  const plan::ItemStatus* ops = Status(p, "<T as num_traits::NumOps<Rhs, Output>>");
  ASSERT_NE(ops, nullptr);
  EXPECT_EQ(ops->status, "exported");
  EXPECT_EQ(ops->reason, "a marker impl (no items): written in the facade as it is");
  for (const char* path : {"<i32 as num_traits::Num>", "<u64 as num_traits::PrimInt>", "<i8 as num_traits::Signed>"}) {
    const plan::ItemStatus* s = Status(p, path);
    ASSERT_NE(s, nullptr) << path;
    EXPECT_NE(s->status, "unsupported") << path << ": " << s->reason;
  }
  EXPECT_TRUE(std::any_of(p.empty_impls.begin(), p.empty_impls.end(), [](const auto& impl) {
    return impl.first.starts_with("impl<T, Rhs, Output> crate::NumOps<Rhs, Output> for T");
  }));
}

TEST(DepFacadesTest, AnImplWhoseDependencySupertraitImplDoesNotCrossSaysSo) {
  std::vector<plan::ForeignType> changed = Foreign();
  for (plan::ForeignType& f : changed) {
    if (f.path == "num_traits::PrimInt") std::erase(f.impl_self_types, "u32");
  }
  plan::Plan p = plan::MakePlan(DepsLib().crate, DepsLib().api, DepsLib().layouts, changed);
  const plan::ItemStatus* u32 = Status(p, "<u32 as deps_lib::Quantity>");
  ASSERT_NE(u32, nullptr);
  EXPECT_EQ(u32->status, "unsupported");
  EXPECT_EQ(u32->reason,
            "needs its supertrait num_traits::PrimInt, whose impl for this type does not cross in the dependency "
            "num_traits 0.2.15");
  const plan::ItemStatus* i64 = Status(p, "<i64 as deps_lib::Quantity>");
  ASSERT_NE(i64, nullptr);
  EXPECT_NE(i64->status, "unsupported") << i64->reason;
}

TEST(DepFacadesTest, ATraitWhoseDependencySupertraitDoesNotCrossSaysWhy) {
  std::vector<plan::ForeignType> changed = Foreign();
  for (plan::ForeignType& f : changed) {
    if (f.path != "num_traits::PrimInt") continue;
    f.supported = false;
    f.reason = "the trait num_traits::PrimInt (of the dependency num_traits 0.2.15) does not cross: a reason";
  }
  plan::Plan p = plan::MakePlan(DepsLib().crate, DepsLib().api, DepsLib().layouts, changed);
  const plan::ItemStatus* q = Status(p, "deps_lib::Quantity");
  ASSERT_NE(q, nullptr);
  EXPECT_EQ(q->status, "unsupported");
  EXPECT_EQ(q->reason,
            "its supertrait the trait num_traits::PrimInt (of the dependency num_traits 0.2.15) does not cross: "
            "a reason");
}

TEST(DepFacadesTest, StdErrorTypesCrossAsCodes) {
  const plan::Plan& p = DepsLibPlan();
  for (const char* path : {"deps_lib::parse_count", "deps_lib::parse_ratio", "deps_lib::parse_flag",
                           "deps_lib::narrow", "deps_lib::category", "deps_lib::describe",
                           "deps_lib::is_subnormal"}) {
    const plan::ItemStatus* s = Status(p, path);
    ASSERT_NE(s, nullptr) << path;
    EXPECT_EQ(s->status, "converted") << path << ": " << s->reason;
  }
}

TEST(DepFacadesTest, ADependencysShapeIsInTheSymbolsThatUseIt) {
  std::vector<plan::ForeignType> changed = Foreign();
  for (plan::ForeignType& f : changed) {
    if (f.path == "regex::Regex") f.shape_hash = "00000000";
  }
  plan::Plan p = plan::MakePlan(DepsLib().crate, DepsLib().api, DepsLib().layouts, changed);
  auto symbol = [](const plan::Plan& plan, const std::string& path) {
    for (const plan::FunctionPlan& f : plan.functions) {
      if (f.path == path) return f.symbol;
    }
    return std::string();
  };
  EXPECT_NE(symbol(p, "deps_lib::Finder::count"), symbol(DepsLibPlan(), "deps_lib::Finder::count"));
  EXPECT_FALSE(symbol(p, "deps_lib::Finder::count").empty());
  // A function that names no regex type keeps its symbol.
  EXPECT_EQ(symbol(p, "deps_lib::Finder::new"), symbol(DepsLibPlan(), "deps_lib::Finder::new"));
}

// libc's `DIR` has two ids in socket2's rustdoc: re-exported once.
TEST(DepFacadesTest, AnEnumWithTwoIdsIsReexportedOnce) {
  plan::Plan p;
  plan::ForeignType f;
  f.crate = "libc";
  f.path = "libc::DIR";
  f.supported = f.is_enum = true;
  f.dep_wire_name = "DIR";
  f.wire_name = "dep_libc__DIR";
  p.foreign_types = {f, f};
  p.foreign_types[1].id = 7;
  for (bool facade : {false, true}) {
    Printer printer;
    PrintForeignEnums(printer, p, facade);
    std::string out = printer.str();
    EXPECT_EQ(out.find("pub use"), out.rfind("pub use")) << out;
    EXPECT_NE(out.find(facade ? "::libc::rdylib_enums::" : "rdylib_dep_libc::rdylib_enums::"),
              std::string::npos)
        << out;
  }
}

TEST(DepFacadesGoldenTest, DepsLibShimAndFacade) {
  testing::CheckGolden("deps_lib_shim.rs", Formatted("deps_shim", WriteShimLib(DepsLibPlan()), ShimRuntime()));
  testing::CheckGolden("deps_lib_facade.rs",
                       Formatted("deps_facade", WriteFacadeLib(DepsLibPlan(), "libdeps_lib.so"), FacadeRuntime()));
}

TEST(DepFacadesGoldenTest, Manifests) {
  extract::ResolvedPackage regex;
  regex.name = "regex";
  regex.lib_name = "regex";
  regex.version = "1.7.1";
  regex.from_registry = true;
  regex.features = {"default", "std"};
  extract::ResolvedPackage num_traits;
  num_traits.name = "num-traits";
  num_traits.lib_name = "num_traits";
  num_traits.version = "0.2.15";
  num_traits.from_registry = true;
  num_traits.features = {"std"};
  std::string all = "# deps_lib's shim\n" +
                    WriteShimManifest(DepsLibPlan(), "deps_lib", "deps_lib", "/src/deps_lib", "") +
                    "\n# deps_lib's facade\n" + WriteFacadeManifest(DepsLibPlan(), "deps_lib", "deps_lib") +
                    "\n# regex's shim\n" + WriteDepShimManifest(RegexPlan(), regex) +
                    "\n# regex's facade\n" + WriteFacadeManifest(RegexPlan(), "regex", "regex") +
                    "\n# num-traits' shim\n" + WriteDepShimManifest(NumTraitsPlan(), num_traits) +
                    "\n# num-traits' facade\n" + WriteFacadeManifest(NumTraitsPlan(), "num-traits", "num_traits");
  testing::CheckGolden("deps_manifests.toml", all);
}

}  // namespace
}  // namespace rdylib::emit
