// The resolved crate graph of a crate's wrapper workspace (`cargo metadata`):
// where each dependency comes from and with which features it is built.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "extract/extract.h"
#include "toolchain/toolchain.h"
#include "util/diagnostic.h"

namespace rdylib::extract {

/// One package of the resolved graph.
struct ResolvedPackage {
  std::string id;
  std::string name;      // package name, e.g. "regex"
  std::string version;
  std::string lib_name;  // library crate name, e.g. "regex"
  std::filesystem::path dir;  // the directory of its Cargo.toml
  /// From a registry (the shim then names it by exact version, so that cargo
  /// unifies it with the library's own), else a path package (named by path).
  bool from_registry = false;
  std::vector<std::string> features;  // enabled in this graph, sorted
  /// Normal (not dev, not build) dependencies: library crate name -> id.
  std::map<std::string, std::string> deps;
};

struct DependencyGraph {
  std::map<std::string, ResolvedPackage> packages;  // by id
  std::string root;  // the crate's own package

  /// The normal dependency of package `from` whose library crate is `lib`;
  /// null when it has none.
  const ResolvedPackage* Dependency(const std::string& from, const std::string& lib) const;
};

/// Parses `cargo metadata --format-version 1` output (with dependencies);
/// the root is the package named `root_name` at `root_version` that is not
/// from a registry. Errors name `where`.
std::optional<DependencyGraph> ParseDependencyGraph(std::string_view json,
                                                    const std::string& root_name,
                                                    const std::string& root_version,
                                                    const std::string& where,
                                                    Diagnostics* diags);

/// Resolves the graph of the crate's wrapper workspace (the one extract
/// writes), offline, with `tc`'s cargo.
std::optional<DependencyGraph> ResolveDependencyGraph(const ExtractOptions& options,
                                                      const PackageInfo& package,
                                                      const toolchain::Toolchain& tc,
                                                      Diagnostics* diags);

}  // namespace rdylib::extract
