// The extract stage: runs rustdoc's JSON output on a crate with a chosen
// toolchain, offline, against Debian's crate registry.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "extract/cargo_metadata.h"
#include "toolchain/toolchain.h"
#include "util/diagnostic.h"

namespace rdylib::extract {

/// Where crates come from: a cargo directory source (there is no crates.io).
inline constexpr const char* kDefaultRegistry = "/usr/share/cargo/registry";

struct ExtractOptions {
  std::filesystem::path crate_dir;
  std::vector<std::string> features;
  bool all_features = false;
  bool no_default_features = false;
  /// Scratch space for the wrapper workspace and copied outputs.
  std::filesystem::path work_dir;
  /// Cargo target directory; shared between runs to reuse builds.
  std::filesystem::path target_dir;
  std::filesystem::path registry = kDefaultRegistry;
};

struct ExtractResult {
  PackageInfo package;
  std::filesystem::path json_path;  // a copy owned by work_dir
};

/// Writes a wrapper workspace that depends on the crate by path (so the
/// crate's own directory is never written to) as `target_crate`, with the
/// registry as the only source. With a non-empty `bin_main`, the wrapper also
/// has a binary named `bin_name` whose main.rs is `bin_main`. Returns the
/// wrapper's directory, which is unique per crate, features and purpose.
std::filesystem::path WriteWrapperWorkspace(const ExtractOptions& options,
                                            const PackageInfo& package,
                                            const std::string& purpose,
                                            const std::string& bin_name = "",
                                            const std::string& bin_main = "");

/// Renders the `[source]` config that replaces crates.io with `registry`.
std::string CargoSourceConfig(const std::filesystem::path& registry);

/// Runs `cargo rustdoc` with JSON output. On failure, cargo's own error text
/// is part of the diagnostic.
std::optional<ExtractResult> Extract(const ExtractOptions& options,
                                     const toolchain::Toolchain& tc,
                                     Diagnostics* diags);

}  // namespace rdylib::extract
