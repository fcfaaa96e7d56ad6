// Reads a package's name, version, library target and features from
// `cargo metadata`.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "toolchain/toolchain.h"
#include "util/diagnostic.h"

namespace rdylib::extract {

/// A dependency as the manifest declares it.
struct Dependency {
  std::string name;     // the package name
  std::string rename;   // the name code uses, when renamed
  std::string req;      // version requirement
  std::vector<std::string> features;
  bool default_features = true;
  std::string kind;     // "" (normal), "dev" or "build"
  bool optional = false;  // enabled only through a feature
};

/// A target other than the library: tests and the build script.
struct Target {
  std::string name;
  std::string kind;  // "test", "custom-build", ...
  std::filesystem::path src_path;
};

struct PackageInfo {
  std::string name;     // package name, e.g. "regex-syntax"
  std::string version;
  std::string lib_name; // library crate name, e.g. "regex_syntax"
  std::filesystem::path manifest;
  std::vector<std::string> features;  // declared features, sorted
  /// Each declared feature (implicit ones of optional dependencies too) and
  /// what it enables, as the manifest writes it: "perf", "dep:memchr",
  /// "regex-syntax/unicode".
  std::map<std::string, std::vector<std::string>> feature_map;
  std::string edition;
  std::vector<Dependency> dependencies;
  std::vector<Target> targets;  // all but the library, in manifest order
};

/// Parses `cargo metadata --no-deps --format-version 1` output. Errors name
/// `manifest`.
std::optional<PackageInfo> ParseCargoMetadata(std::string_view json,
                                              const std::filesystem::path& manifest,
                                              Diagnostics* diags);

/// The package's own features a build enables: `requested` (every declared
/// one with `all`), `default` unless `no_default`, and what those enable in
/// turn; sorted. `dep:x` and `x?/f` enable no feature of the package; `x/f`
/// enables feature `x` when the package has one of that name.
std::vector<std::string> EnabledFeatures(const PackageInfo& package,
                                         const std::vector<std::string>& requested, bool all,
                                         bool no_default);

/// Runs cargo metadata with `tc` on the crate in `crate_dir`.
std::optional<PackageInfo> ReadPackage(const std::filesystem::path& crate_dir,
                                       const toolchain::Toolchain& tc,
                                       Diagnostics* diags);

}  // namespace rdylib::extract
