// Test support: rustdoc JSON of fixture crates, made by real toolchains.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "model/crate.h"

namespace rdylib::testing {

/// The two toolchains every reader test runs with: rustup's stable (format
/// 57) and Debian's rustc-web 1.85 (format 37).
inline const std::vector<std::string> kToolchains = {"stable", "/usr/bin/rustc"};

/// Scratch space shared by the tests ($RDYLIB_TEST_WORK, else the build dir).
std::filesystem::path TestWorkDir();

/// tests/fixtures/NAME in the source tree.
std::filesystem::path FixtureDir(const std::string& name);

/// The rustdoc JSON of fixture NAME made with TOOLCHAIN; made once per
/// process. Fails the calling test (fatally) when extraction fails.
const std::string& FixtureJson(const std::string& name, const std::string& toolchain);

/// FixtureJson read into the model.
const model::Crate& FixtureCrate(const std::string& name, const std::string& toolchain);

/// Compares `actual` with tests/golden/NAME; with RDYLIB_REGENERATE_GOLDEN=1
/// in the environment, rewrites the golden file instead.
void CheckGolden(const std::string& name, const std::string& actual);

/// A readable test-name suffix for a toolchain spec.
std::string ToolchainTestName(const std::string& toolchain);

}  // namespace rdylib::testing
