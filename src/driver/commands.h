// The rdylib subcommands; each returns the process exit code.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace rdylib::driver {

/// Exit codes: 0 success, 1 the command ran and found problems (e.g. a
/// failing check), 2 bad input or an environment error.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitBadInput = 2;

struct CommonOptions {
  std::string toolchain = "stable";
  std::filesystem::path work_dir;    // scratch; see DefaultWorkDir
  std::filesystem::path target_dir;  // cargo target dir; default work_dir/target
  std::filesystem::path registry = "/usr/share/cargo/registry";
};

/// $RDYLIB_WORK, else $XDG_CACHE_HOME/rdylib, else ~/.cache/rdylib.
std::filesystem::path DefaultWorkDir();

struct ToolchainsOptions {
  CommonOptions common;
};
int RunToolchains(const ToolchainsOptions& options);

struct ApiOptions {
  CommonOptions common;
  std::filesystem::path crate_dir;
  std::filesystem::path from_json;  // read this file instead of extracting
  std::filesystem::path save_json;  // keep a copy of rustdoc's JSON here
  std::vector<std::string> features;
  bool all_features = false;
  bool no_default_features = false;
  bool json = false;
};
int RunApi(const ApiOptions& options);

struct ProbeOptions {
  CommonOptions common;
  std::filesystem::path crate_dir;
  std::vector<std::string> features;
  bool all_features = false;
  bool no_default_features = false;
  /// A second toolchain whose std layout facts must equal the first's.
  std::string compare_with;
};
int RunProbe(const ProbeOptions& options);

struct BuildOptions {
  CommonOptions common;
  std::filesystem::path crate_dir;
  std::filesystem::path out_dir;  // --out, required
  std::vector<std::string> features;
  bool all_features = false;
  bool no_default_features = false;
};
/// Builds OUT/<crate>/: the library, the facade, the manifest and the
/// report. Prints the time each stage took.
int RunBuild(const BuildOptions& options);

struct ReportOptions {
  CommonOptions common;
  std::filesystem::path crate_dir;
  std::vector<std::string> features;
  bool all_features = false;
  bool no_default_features = false;
  bool json = false;
};
/// Prints what `rdylib build` would carry across, item by item, with the
/// reason for everything it cannot, and percentages at the end.
int RunReport(const ReportOptions& options);

struct ConformanceOptions {
  CommonOptions common;  // common.toolchain is unused: two are named below
  std::filesystem::path crate_dir;
  std::string lib_toolchain = "stable";
  std::string test_toolchain = "/usr/bin/rustc";
  std::vector<std::string> features;
  bool all_features = false;
  bool no_default_features = false;
  /// Runs every test binary under valgrind's memcheck.
  bool valgrind = false;
};
/// Builds the library with one toolchain and the crate's own integration
/// tests against its facade with another, runs them, and prints
/// "N passed, M failed" with the names of the failures. Exit 1 when any test
/// fails, when a test target stops before reporting all the tests it
/// announced or exits with an error (valgrind), or when no test ran; exit 2
/// when the crate has no integration tests.
int RunConformance(const ConformanceOptions& options);

}  // namespace rdylib::driver
