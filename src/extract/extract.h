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

/// Renders the `.cargo/config.toml` that replaces crates.io with the
/// directory source at `.cargo/registry` (a link to `registry`), offline.
std::string CargoSourceConfig(const std::filesystem::path& registry);

/// Writes `workspace/.cargo/config.toml` (CargoSourceConfig) and the link
/// `workspace/.cargo/registry` to `registry`. Through the link, rdylib's
/// source has a directory no other config names, so it never collides with
/// a source for the same directory in a config that cargo merges in from a
/// parent directory or $CARGO_HOME (e.g. Debian's `[source.debian]`); and
/// the workspace's own config, being the deepest, decides what replaces
/// crates.io. An unchanged config keeps its mtime. False when a file or
/// the link cannot be written.
bool WriteCargoConfig(const std::filesystem::path& workspace,
                      const std::filesystem::path& registry);

/// Runs `cargo rustdoc` with JSON output. On failure, cargo's own error text
/// is part of the diagnostic.
std::optional<ExtractResult> Extract(const ExtractOptions& options,
                                     const toolchain::Toolchain& tc,
                                     Diagnostics* diags);

}  // namespace rdylib::extract
