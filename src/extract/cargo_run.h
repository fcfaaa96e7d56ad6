// Runs cargo in a workspace rdylib generated and, when it fails, says whose
// code does not compile: the user's crate, one of its dependencies, or the
// code rdylib generated (a bug in rdylib).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "extract/cargo_metadata.h"
#include "toolchain/toolchain.h"
#include "util/diagnostic.h"
#include "util/process.h"

namespace rdylib::extract {

/// One error that rustc or rustdoc reported, read from cargo's JSON messages.
struct CompilerError {
  std::string package;             // "name v1.2.3"
  std::filesystem::path manifest;  // the Cargo.toml of the package it compiled
  std::string location;            // "file:line:col" of the primary span, or ""
  std::string rendered;            // the compiler's own text
};

/// Every error in the output of `cargo --message-format=json`, in order.
/// Other lines (warnings, artifacts, a program's own output) are skipped.
std::vector<CompilerError> ParseCompilerErrors(std::string_view json_lines);

/// "name v1.2.3" from a cargo package id, in each spelling cargo has used:
/// "path+file:///x/name#1.2.3", "registry+https://...#name@1.2.3" and
/// "name 1.2.3 (registry+...)".
std::string PackageLabel(std::string_view package_id);

/// A cargo command run in a workspace rdylib generated.
struct CargoRun {
  std::string what;        // what it builds, e.g. "the layout probe"
  std::string generator;   // the part of rdylib that wrote it, e.g. "probe generator"
  std::vector<std::string> argv;  // cargo and its arguments; the JSON format is added
  ProcessOptions options;         // options.cwd is the generated workspace
  std::filesystem::path log;      // where the whole output goes when it fails
};

struct CargoOutcome {
  ProcessResult process;
  std::vector<CompilerError> errors;

  bool ok() const { return process.ok(); }
  /// Whether cargo's own output or a compiler error contains `text`.
  bool Mentions(std::string_view text) const;
};

/// Runs the command with `--message-format=json` and, when it fails, writes
/// its whole output to run.log.
CargoOutcome RunCargo(const CargoRun& run);

/// Adds the diagnostic for a failed run. Errors in `crate`'s own package (or
/// in a dependency of it) say that the crate does not compile, with the
/// compiler's errors: bad input. Errors only in the generated workspace's
/// package are a bug in rdylib's run.generator, and say so with the log.
void ReportCargoFailure(const CargoRun& run, const CargoOutcome& outcome,
                        const PackageInfo& crate, const toolchain::Toolchain& tc,
                        Diagnostics* diags);

}  // namespace rdylib::extract
