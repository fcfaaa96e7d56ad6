// Conformance: the crate's own integration tests, built by another toolchain
// against the facade of the library built by the first, and run.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "extract/cargo_metadata.h"
#include "toolchain/toolchain.h"
#include "util/diagnostic.h"
#include "util/process.h"

namespace rdylib::conformance {

struct TestOutcome {
  int passed = 0;
  int failed = 0;
  int ignored = 0;
  std::vector<std::string> failures;  // test names, or a test target and why

  /// Tests ran and none failed, none went missing.
  bool Ok() const { return failed == 0 && passed > 0; }
  void Add(const TestOutcome& other);
};

/// What one libtest binary printed on stdout.
struct LibtestOutput {
  int announced = 0;        // "running N tests"
  bool summarized = false;  // a "test result:" line was printed
  int passed = 0;           // from the summary, else counted per test line
  int failed = 0;
  int ignored = 0;
  std::vector<std::string> failures;  // "test NAME ... FAILED"
};

/// A dependency facade that rdylib wrote beside the crate's (docs/ABI.md,
/// "Dependency facades"): the test package uses it for that dependency, so
/// the tests share the library's instance of it.
struct DependencyFacade {
  std::string package;  // its package name, e.g. "num-traits"
  std::string crate;    // its library crate name, e.g. "num_traits"
  std::filesystem::path dir;
};

/// Writes a package whose [[test]] targets are the crate's own integration
/// tests, depending on the facade at `facade_dir` under the crate's name (and
/// package name), with the crate's normal dependencies (through the
/// facades in `dep_facades` where rdylib wrote one, else from the registry;
/// optional ones only through a facade), its dev-dependencies and build
/// script (with its build-dependencies). It declares the crate's
/// features and enables `enabled` (the library build's), so the tests'
/// `cfg(feature = "...")` see what a native `cargo test` would. Returns its
/// manifest.
std::filesystem::path WriteTestPackage(const extract::PackageInfo& package,
                                       const std::vector<std::string>& enabled,
                                       const std::filesystem::path& facade_dir,
                                       const std::filesystem::path& dir,
                                       const std::filesystem::path& registry,
                                       const std::vector<DependencyFacade>& dep_facades = {});

/// The names of the package's integration test targets, in order.
std::vector<std::string> TestTargets(const extract::PackageInfo& package);

/// Reads one test binary's libtest output: "running N tests", "test NAME ...
/// ok|FAILED|ignored" and "test result:" lines.
LibtestOutput ParseTestOutput(const std::string& out);

/// Judges `cargo test --test TARGET`'s run from its stdout, stderr and exit
/// status. Fails, with a reason naming the target: every failed test; every
/// test the binary announced but never reported (it crashed or was killed);
/// a binary that stops before its summary; and one that exits with an error
/// although all its tests passed (valgrind's error exit, a crash at exit).
TestOutcome JudgeTargetRun(const std::string& target, const ProcessResult& run);

/// Builds the test package with `tc`, then runs each of `targets` (its test
/// targets) on its own, so that every failure is attributed to its target;
/// with `valgrind`, each test binary runs under memcheck and any error fails
/// it. Nullopt (with a diagnostic) when the tests do not build.
std::optional<TestOutcome> RunTests(const std::filesystem::path& manifest,
                                    const std::vector<std::string>& targets,
                                    const toolchain::Toolchain& tc,
                                    const std::filesystem::path& target_dir, bool valgrind,
                                    Diagnostics* diags);

}  // namespace rdylib::conformance
