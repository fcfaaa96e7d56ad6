// rdylib's command line: parses arguments and dispatches to a subcommand.
#include <CLI/CLI.hpp>

#include "driver/commands.h"

namespace {

void AddCommon(CLI::App* app, rdylib::driver::CommonOptions* c, bool with_toolchain) {
  if (with_toolchain) {
    app->add_option("--toolchain", c->toolchain,
                    "rustup toolchain name (stable, nightly, 1.85) or a rustc path "
                    "(/usr/bin/rustc)")
        ->capture_default_str();
  }
  app->add_option("--work-dir", c->work_dir,
                  "scratch directory (default $RDYLIB_WORK or ~/.cache/rdylib)");
  app->add_option("--target-dir", c->target_dir,
                  "cargo target directory, shared between runs (default WORK/target)");
  app->add_option("--registry", c->registry,
                  "cargo directory source that replaces crates.io")
      ->capture_default_str();
}

// The options that choose what to build of a crate.
void AddCrateOptions(CLI::App* app, std::vector<std::string>* features, bool* all_features,
                     bool* no_default_features) {
  app->add_option("--features", *features, "features to enable")->delimiter(',');
  app->add_flag("--all-features", *all_features, "enable every feature");
  app->add_flag("--no-default-features", *no_default_features,
                "do not enable the default feature");
}

}  // namespace

int main(int argc, char** argv) {
  using namespace rdylib::driver;
  CLI::App app{
      "rdylib: turns a Rust library crate into a shared library with a stable ABI "
      "and a facade crate usable from any rustc"};
  app.require_subcommand(1);

  ToolchainsOptions toolchains;
  CLI::App* tc_cmd = app.add_subcommand(
      "toolchains", "list the Rust toolchains found, with the rustdoc JSON format each writes");
  AddCommon(tc_cmd, &toolchains.common, false);

  ApiOptions api;
  CLI::App* api_cmd = app.add_subcommand(
      "api", "print the crate's public API, one fully qualified item per line");
  api_cmd->add_option("crate_dir", api.crate_dir, "directory of the library crate")
      ->check(CLI::ExistingDirectory);
  AddCommon(api_cmd, &api.common, true);
  AddCrateOptions(api_cmd, &api.features, &api.all_features, &api.no_default_features);
  api_cmd->add_flag("--json", api.json, "machine-readable output");
  api_cmd->add_option("--from-json", api.from_json,
                      "read this rustdoc JSON file instead of running rustdoc");
  api_cmd->add_option("--save-json", api.save_json, "keep a copy of rustdoc's JSON here");

  ProbeOptions probe;
  CLI::App* probe_cmd = app.add_subcommand(
      "probe", "measure the layouts of the crate's public types and of std types");
  probe_cmd->add_option("crate_dir", probe.crate_dir, "directory of the library crate")
      ->required()
      ->check(CLI::ExistingDirectory);
  AddCommon(probe_cmd, &probe.common, true);
  AddCrateOptions(probe_cmd, &probe.features, &probe.all_features,
                  &probe.no_default_features);
  probe_cmd->add_option("--compare-with", probe.compare_with,
                        "a second toolchain whose std layout facts must agree (exit 1 if not)");

  BuildOptions build;
  CLI::App* build_cmd = app.add_subcommand(
      "build", "build the crate into a shared library with a stable ABI, and its facade crate");
  build_cmd->add_option("crate_dir", build.crate_dir, "directory of the library crate")
      ->required()
      ->check(CLI::ExistingDirectory);
  build_cmd->add_option("--out", build.out_dir, "directory that receives <crate>/ (the library, "
                                                "facade, manifest and report)")
      ->required();
  AddCommon(build_cmd, &build.common, true);
  AddCrateOptions(build_cmd, &build.features, &build.all_features, &build.no_default_features);

  ReportOptions report;
  CLI::App* report_cmd = app.add_subcommand(
      "report", "list every public item with its status (exported, converted, unsupported and why)");
  report_cmd->add_option("crate_dir", report.crate_dir, "directory of the library crate")
      ->required()
      ->check(CLI::ExistingDirectory);
  AddCommon(report_cmd, &report.common, true);
  AddCrateOptions(report_cmd, &report.features, &report.all_features, &report.no_default_features);
  report_cmd->add_flag("--json", report.json, "machine-readable output");

  ConformanceOptions conf;
  CLI::App* conf_cmd = app.add_subcommand(
      "conformance",
      "run the crate's own integration tests, built by another toolchain, against the library");
  conf_cmd->add_option("crate_dir", conf.crate_dir, "directory of the library crate")
      ->required()
      ->check(CLI::ExistingDirectory);
  conf_cmd->add_option("--lib-toolchain", conf.lib_toolchain, "builds the library")
      ->capture_default_str();
  conf_cmd->add_option("--test-toolchain", conf.test_toolchain, "builds and runs the tests")
      ->capture_default_str();
  AddCommon(conf_cmd, &conf.common, false);
  AddCrateOptions(conf_cmd, &conf.features, &conf.all_features, &conf.no_default_features);
  conf_cmd->add_flag("--valgrind", conf.valgrind,
                     "run the tests under valgrind: invalid accesses and definite leaks fail them");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : kExitBadInput;
  }
  if (*tc_cmd) return RunToolchains(toolchains);
  if (*api_cmd) {
    if (api.crate_dir.empty() && api.from_json.empty()) {
      std::fputs("error: give a crate directory or --from-json FILE\n", stderr);
      return kExitBadInput;
    }
    return RunApi(api);
  }
  if (*probe_cmd) return RunProbe(probe);
  if (*build_cmd) return RunBuild(build);
  if (*report_cmd) return RunReport(report);
  if (*conf_cmd) return RunConformance(conf);
  return kExitBadInput;
}
