// Runs child processes with an explicit environment and captures their output.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rdylib {

struct ProcessResult {
  /// Exit status, or 128+signal when killed by a signal, or -1 when the
  /// program could not be started (then `error` says why).
  int exit_code = -1;
  std::string out;
  std::string err;
  std::string error;

  bool ok() const { return exit_code == 0; }
};

struct ProcessOptions {
  /// Variables set (or, with std::nullopt, removed) on top of our own
  /// environment.
  std::map<std::string, std::optional<std::string>> env;
  std::filesystem::path cwd;
  /// When false, the child's stderr goes to ours instead of being captured.
  bool capture_stderr = true;
};

/// Runs argv[0] (looked up in PATH when it has no slash) and waits for it.
ProcessResult RunProcess(const std::vector<std::string>& argv,
                         const ProcessOptions& options = {});

/// Renders argv as a shell-quoted command line, for messages.
std::string ShellQuote(const std::vector<std::string>& argv);

/// Finds `name` in PATH; empty when absent.
std::filesystem::path FindInPath(const std::string& name);

}  // namespace rdylib
