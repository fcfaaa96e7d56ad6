// Reads a package's name, version, library target and features from
// `cargo metadata`.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "toolchain/toolchain.h"
#include "util/diagnostic.h"

namespace rdylib::extract {

struct PackageInfo {
  std::string name;     // package name, e.g. "regex-syntax"
  std::string version;
  std::string lib_name; // library crate name, e.g. "regex_syntax"
  std::filesystem::path manifest;
  std::vector<std::string> features;  // declared features, sorted
};

/// Parses `cargo metadata --no-deps --format-version 1` output. Errors name
/// `manifest`.
std::optional<PackageInfo> ParseCargoMetadata(std::string_view json,
                                              const std::filesystem::path& manifest,
                                              Diagnostics* diags);

/// Runs cargo metadata with `tc` on the crate in `crate_dir`.
std::optional<PackageInfo> ReadPackage(const std::filesystem::path& crate_dir,
                                       const toolchain::Toolchain& tc,
                                       Diagnostics* diags);

}  // namespace rdylib::extract
