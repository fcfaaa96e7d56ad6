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

namespace rdylib::conformance {

struct TestOutcome {
  int passed = 0;
  int failed = 0;
  int ignored = 0;
  std::vector<std::string> failures;  // test names
};

/// Writes a package whose [[test]] targets are the crate's own integration
/// tests, depending on the facade at `facade_dir` under the crate's name, with
/// the crate's dev-dependencies and build script. Returns its manifest.
std::filesystem::path WriteTestPackage(const extract::PackageInfo& package,
                                       const std::filesystem::path& facade_dir,
                                       const std::filesystem::path& dir,
                                       const std::filesystem::path& registry);

/// Reads libtest's output: "test NAME ... FAILED" and "test result:" lines.
TestOutcome ParseTestOutput(const std::string& out);

/// Builds and runs the test package with `tc`; with `valgrind`, each test
/// binary runs under memcheck and any error fails it.
std::optional<TestOutcome> RunTests(const std::filesystem::path& manifest,
                                    const toolchain::Toolchain& tc,
                                    const std::filesystem::path& target_dir, bool valgrind,
                                    Diagnostics* diags);

}  // namespace rdylib::conformance
