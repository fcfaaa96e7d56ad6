// Rust toolchains: discovery, lookup by name or path, and explicit invocation.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "util/diagnostic.h"
#include "util/process.h"

namespace rdylib::toolchain {

/// One rustc with its rustdoc and cargo. Always invoked by absolute path with
/// RUSTC, RUSTDOC and CARGO set, so PATH and rustup overrides never decide
/// which compiler runs.
struct Toolchain {
  std::string name;  // "stable", "nightly", or the rustc path for others
  std::filesystem::path rustc;
  std::filesystem::path rustdoc;
  std::filesystem::path cargo;
  std::string version;       // "1.95.0", "1.97.0-nightly"
  std::string version_line;  // rustc --version output, trimmed
  std::string host;          // host triple from rustc -vV

  /// Environment that pins this toolchain for cargo and build scripts.
  /// RUSTC_BOOTSTRAP=1 lets stable rustdoc write JSON.
  std::map<std::string, std::optional<std::string>> Env() const;

  /// A short label for messages: "stable (1.95.0)".
  std::string Label() const;
};

/// Fills version, version_line and host by running `rustc -vV`. False (with a
/// diagnostic) when rustc cannot run.
bool Describe(Toolchain* tc, Diagnostics* diags);

/// Finds the toolchains on this machine: rustup's installed toolchains and a
/// rustc in /usr/bin that is not a rustup proxy. Each is Described.
std::vector<Toolchain> Discover(Diagnostics* diags);

/// Resolves a toolchain spec: a rustup toolchain name ("stable", "nightly",
/// "1.85"), or a path to a rustc binary or to the directory holding it
/// (rustdoc and cargo are taken from beside it). Unknown specs get a
/// diagnostic listing what is available.
std::optional<Toolchain> Resolve(const std::string& spec, Diagnostics* diags);

/// Runs rustdoc on a one-line crate and returns the JSON format_version it
/// writes, or std::nullopt (with a diagnostic) when it cannot.
std::optional<int> ProbeJsonFormatVersion(const Toolchain& tc,
                                          const std::filesystem::path& scratch,
                                          Diagnostics* diags);

}  // namespace rdylib::toolchain
