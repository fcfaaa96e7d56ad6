// The rdylib subcommands, each a list of pipeline stages.
#include "driver/commands.h"

#include <fmt/format.h>

#include <chrono>
#include <functional>
#include <cstdio>
#include <cstdlib>

#include "api/api_writer.h"
#include "driver/analysis.h"
#include "driver/copied_defaults.h"
#include "driver/dependencies.h"
#include "api/public_api.h"
#include "extract/extract.h"
#include "build/build.h"
#include "conformance/conformance.h"
#include "emit/report_writer.h"
#include "plan/plan.h"
#include "probe/probe.h"
#include "read/reader.h"
#include "toolchain/toolchain.h"

namespace rdylib::driver {
namespace fs = std::filesystem;
namespace {

// Prints the stage's diagnostics; true when the stage may go on.
bool ReportStage(const Diagnostics& diags) {
  if (!diags.empty()) std::fputs(diags.ToString().c_str(), stderr);
  return !diags.HasErrors();
}

void Finalize(CommonOptions* c) {
  if (c->work_dir.empty()) c->work_dir = DefaultWorkDir();
  if (c->target_dir.empty()) c->target_dir = c->work_dir / "target";
  std::error_code ec;
  fs::create_directories(c->work_dir, ec);
  c->work_dir = fs::absolute(c->work_dir, ec);
  c->target_dir = fs::absolute(c->target_dir, ec);
}

extract::ExtractOptions MakeExtractOptions(const CommonOptions& common, const fs::path& crate_dir,
                                           const std::vector<std::string>& features,
                                           bool all_features, bool no_default_features) {
  extract::ExtractOptions ex;
  ex.crate_dir = crate_dir;
  ex.features = features;
  ex.all_features = all_features;
  ex.no_default_features = no_default_features;
  ex.work_dir = common.work_dir;
  ex.target_dir = common.target_dir;
  ex.registry = common.registry;
  return ex;
}

// The common options with defaults filled in, and what to build of the
// crate, for the commands that work on a crate.
template <typename Options>
std::pair<CommonOptions, extract::ExtractOptions> Prepare(const Options& options) {
  CommonOptions common = options.common;
  Finalize(&common);
  return {common, MakeExtractOptions(common, options.crate_dir, options.features,
                                     options.all_features, options.no_default_features)};
}

}  // namespace

std::optional<Analysis> Analyze(const std::string& toolchain_spec,
                                const extract::ExtractOptions& ex, Diagnostics* diags,
                                const std::function<void(const char*)>& lap) {
  std::optional<toolchain::Toolchain> tc = toolchain::Resolve(toolchain_spec, diags);
  if (!ReportStage(*diags)) return std::nullopt;
  lap("toolchain");
  std::optional<extract::ExtractResult> extracted = extract::Extract(ex, *tc, diags);
  if (!ReportStage(*diags)) return std::nullopt;
  lap("extract");
  std::optional<model::Crate> crate = read::ReadCrateFile(extracted->json_path, diags);
  if (!ReportStage(*diags)) return std::nullopt;
  lap("read");
  api::PublicApi api = api::BuildPublicApi(*crate);
  lap("public api");
  std::optional<probe::Layouts> layouts =
      probe::Probe(ex, extracted->package, *tc, *crate, api, diags);
  if (!ReportStage(*diags)) return std::nullopt;
  lap("probe");
  return Analysis{std::move(*tc), std::move(*extracted), std::move(*crate), std::move(api),
                  std::move(*layouts)};
}

fs::path DefaultWorkDir() {
  if (const char* w = std::getenv("RDYLIB_WORK"); w && *w) return w;
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) {
    return fs::path(x) / "rdylib";
  }
  const char* home = std::getenv("HOME");
  return fs::path(home ? home : "/tmp") / ".cache/rdylib";
}

int RunToolchains(const ToolchainsOptions& options) {
  CommonOptions common = options.common;
  Finalize(&common);
  Diagnostics diags;
  std::vector<toolchain::Toolchain> found = toolchain::Discover(&diags);
  if (!ReportStage(diags)) return kExitBadInput;
  if (found.empty()) {
    std::fputs("error: no Rust toolchain found\n  hint: run scripts/bootstrap.sh\n",
               stderr);
    return kExitBadInput;
  }
  std::fputs(fmt::format("{:<16} {:<16} {:<5} {}\n", "NAME", "VERSION", "JSON", "RUSTC")
                 .c_str(),
             stdout);
  for (const toolchain::Toolchain& tc : found) {
    Diagnostics probe_diags;
    std::optional<int> v =
        toolchain::ProbeJsonFormatVersion(tc, common.work_dir, &probe_diags);
    std::string json = v ? std::to_string(*v) : "-";
    bool supported = false;
    for (int s : read::SupportedFormatVersions()) supported |= v && s == *v;
    if (v && !supported) json += "?";
    std::fputs(fmt::format("{:<16} {:<16} {:<5} {}\n", tc.name, tc.version, json,
                           tc.rustc.string())
                   .c_str(),
               stdout);
    if (!probe_diags.empty()) std::fputs(probe_diags.ToString().c_str(), stderr);
  }
  std::fputs(fmt::format("JSON format versions rdylib reads: {}; '?' marks one it "
                         "does not.\n",
                         fmt::join(read::SupportedFormatVersions(), ", "))
                 .c_str(),
             stdout);
  return kExitOk;
}

int RunApi(const ApiOptions& options) {
  CommonOptions common = options.common;
  Finalize(&common);
  Diagnostics diags;

  fs::path json_path = options.from_json;
  if (json_path.empty()) {
    // Stage: toolchain.
    std::optional<toolchain::Toolchain> tc = toolchain::Resolve(common.toolchain, &diags);
    if (!ReportStage(diags)) return kExitBadInput;
    // Stage: extract.
    extract::ExtractOptions ex =
        MakeExtractOptions(common, options.crate_dir, options.features, options.all_features,
                           options.no_default_features);
    std::optional<extract::ExtractResult> extracted = extract::Extract(ex, *tc, &diags);
    if (!ReportStage(diags)) return kExitBadInput;
    json_path = extracted->json_path;
    if (!options.save_json.empty()) {
      std::error_code ec;
      fs::copy_file(json_path, options.save_json, fs::copy_options::overwrite_existing, ec);
      if (ec) {
        diags.Error(options.save_json.string(), "cannot write: " + ec.message());
        ReportStage(diags);
        return kExitBadInput;
      }
    }
  }
  // Stage: read.
  std::optional<model::Crate> crate = read::ReadCrateFile(json_path, &diags);
  if (!ReportStage(diags)) return kExitBadInput;
  // Stage: public API.
  api::PublicApi api = api::BuildPublicApi(*crate);
  std::string out = options.json ? api::WriteJson(api) : api::WriteText(api);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

int RunProbe(const ProbeOptions& options) {
  auto [common, ex] = Prepare(options);
  Diagnostics diags;
  std::optional<Analysis> analysis = Analyze(common.toolchain, ex, &diags);
  if (!analysis) return kExitBadInput;
  const probe::Layouts* layouts = &analysis->layouts;
  std::string out = probe::WriteLayoutsText(*layouts);
  std::fwrite(out.data(), 1, out.size(), stdout);
  if (options.compare_with.empty()) return kExitOk;

  Diagnostics other_diags;
  std::optional<Analysis> other_analysis = Analyze(options.compare_with, ex, &other_diags);
  if (!other_analysis) return kExitBadInput;
  const probe::Layouts* other = &other_analysis->layouts;
  Diagnostics compare;
  bool same = probe::CompareStdFacts(*layouts, "rustc " + layouts->rustc_version, *other,
                                     "rustc " + other->rustc_version, &compare);
  ReportStage(compare);
  std::fputs(fmt::format("std layout facts {} between rustc {} and rustc {}\n",
                         same ? "agree" : "DIFFER", layouts->rustc_version, other->rustc_version)
                 .c_str(),
             stdout);
  return same ? kExitOk : kExitFailed;
}

int RunBuild(const BuildOptions& options) {
  auto [common, ex] = Prepare(options);
  Diagnostics diags;
  std::vector<std::pair<std::string, double>> times;
  auto start = std::chrono::steady_clock::now();
  auto lap = [&](const char* stage) {
    auto now = std::chrono::steady_clock::now();
    times.emplace_back(stage, std::chrono::duration<double>(now - start).count());
    start = now;
  };
  std::optional<Analysis> a = Analyze(common.toolchain, ex, &diags, lap);
  if (!a) return kExitBadInput;
  std::vector<PlannedDependency> deps;
  plan::Plan plan = PlanWithDependencies(*a, ex, common.toolchain, &diags, &deps);
  CheckCopiedDefaults(*a, ex, &plan, &deps, &diags);
  lap("plan");
  WriteDependencies(deps, "lib" + a->extracted.package.lib_name + ".so", options.out_dir, &diags);
  std::optional<build::BuildResult> built =
      build::Build(plan, ex, a->extracted.package, a->tc, options.out_dir, &diags);
  if (!ReportStage(diags)) return kExitBadInput;
  lap("emit + build");
  int exported = 0, converted = 0, erased = 0, instantiated = 0, unsupported = 0;
  for (const plan::ItemStatus& st : plan.statuses) {
    (st.status == "exported"       ? exported
     : st.status == "converted"    ? converted
     : st.status == "erased"       ? erased
     : st.status == "instantiated" ? instantiated
                                   : unsupported)++;
  }
  int total = exported + converted + erased + instantiated + unsupported;
  std::fputs(fmt::format("built {} with {}: {}\n", plan.crate_name, a->tc.Label(),
                         built->dist.string()).c_str(), stdout);
  if (built->own_allocator) {
    std::fputs("  note: the library declares its own #[global_allocator]: owned buffers are copied at\n"
               "  the boundary, and public String/Vec fields make the facade refuse to load\n",
               stdout);
  }
  for (const PlannedDependency& d : deps) {
    std::fputs(fmt::format("  dependency facade: {} {} in {}\n", d.plan.crate_name, d.plan.crate_version,
                           (built->dist.parent_path() / d.plan.crate_name).string()).c_str(), stdout);
  }
  for (const auto& [stage, secs] : times) {
    std::fputs(fmt::format("  {:<13} {:8.3} s\n", stage, secs).c_str(), stdout);
  }
  std::fputs(fmt::format("  {} items: {} exported, {} converted, {}{}{} unsupported ({:.1f}% usable); "
                         "see {}/report.md\n",
                         total, exported, converted, erased ? fmt::format("{} erased, ", erased) : "",
                         instantiated ? fmt::format("{} instantiated, ", instantiated) : "", unsupported,
                         total ? 100.0 * (exported + converted + erased + instantiated) / total : 0.0,
                         built->dist.string()).c_str(), stdout);
  return kExitOk;
}

int RunReport(const ReportOptions& options) {
  auto [common, ex] = Prepare(options);
  Diagnostics diags;
  std::optional<Analysis> a = Analyze(common.toolchain, ex, &diags);
  if (!a) return kExitBadInput;
  std::vector<PlannedDependency> deps;
  plan::Plan plan = PlanWithDependencies(*a, ex, common.toolchain, &diags, &deps);
  CheckCopiedDefaults(*a, ex, &plan, &deps, &diags);
  ReportStage(diags);
  std::string out = options.json ? emit::WriteReportJson(plan) : emit::WriteReportMarkdown(plan);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

int RunConformance(const ConformanceOptions& options) {
  auto [common, ex] = Prepare(options);
  Diagnostics diags;
  std::optional<toolchain::Toolchain> test_tc = toolchain::Resolve(options.test_toolchain, &diags);
  if (!ReportStage(diags)) return kExitBadInput;
  std::optional<Analysis> a = Analyze(options.lib_toolchain, ex, &diags);
  if (!a) return kExitBadInput;
  std::vector<std::string> targets = conformance::TestTargets(a->extracted.package);
  if (targets.empty()) {
    diags.Error(a->extracted.package.manifest.string(),
                fmt::format("{} has no integration tests (tests/*.rs) to run",
                            a->extracted.package.name),
                "conformance runs the crate's own integration tests against its facade");
    ReportStage(diags);
    return kExitBadInput;
  }
  std::vector<PlannedDependency> deps;
  plan::Plan plan = PlanWithDependencies(*a, ex, options.lib_toolchain, &diags, &deps);
  CheckCopiedDefaults(*a, ex, &plan, &deps, &diags);
  fs::path root = common.work_dir / "conformance" /
                  fmt::format("{}-{}-{}", plan.crate_name, a->tc.version, test_tc->version);
  WriteDependencies(deps, "lib" + a->extracted.package.lib_name + ".so", root / "dist", &diags);
  std::optional<build::BuildResult> built =
      build::Build(plan, ex, a->extracted.package, a->tc, root / "dist", &diags);
  if (!ReportStage(diags)) return kExitBadInput;
  std::vector<std::string> enabled = extract::EnabledFeatures(
      a->extracted.package, options.features, options.all_features, options.no_default_features);
  std::vector<conformance::DependencyFacade> dep_facades;
  for (const PlannedDependency& d : deps) {
    dep_facades.push_back({d.package.name, d.plan.crate_name, root / "dist" / d.plan.crate_name / "facade"});
  }
  fs::path manifest = conformance::WriteTestPackage(a->extracted.package, enabled,
                                                    built->dist / "facade", root / "tests",
                                                    common.registry, dep_facades);
  std::fputs(fmt::format("library: {} built by {}; tests built by {}\n", plan.crate_name,
                         a->tc.Label(), test_tc->Label()).c_str(), stdout);
  std::optional<conformance::TestOutcome> outcome = conformance::RunTests(
      manifest, targets, *test_tc, common.target_dir, options.valgrind, &diags);
  if (!ReportStage(diags)) return kExitFailed;
  for (const std::string& f : outcome->failures) {
    std::fputs(fmt::format("failed: {}\n", f).c_str(), stdout);
  }
  std::fputs(fmt::format("{} passed, {} failed\n", outcome->passed, outcome->failed).c_str(),
             stdout);
  return outcome->Ok() ? kExitOk : kExitFailed;
}

}  // namespace rdylib::driver
