// Conformance runs.
#include "conformance/conformance.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <set>
#include <sstream>

#include "extract/extract.h"
#include "util/files.h"
#include "util/process.h"

namespace rdylib::conformance {
namespace fs = std::filesystem;

namespace {

std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string Upper(std::string s) {
  for (char& c : s) c = (c == '-') ? '_' : static_cast<char>(std::toupper(c));
  return s;
}

}  // namespace

namespace {

// A dependency line from the registry, as the crate's manifest declares it.
std::string RegistryLine(const extract::Dependency& d) {
  std::string features;
  for (const std::string& f : d.features) features += (features.empty() ? "" : ", ") + Quote(f);
  return fmt::format("{} = {{ package = {}, version = {}{}{} }}\n", d.rename.empty() ? d.name : d.rename,
                     Quote(d.name), Quote(d.req), d.default_features ? "" : ", default-features = false",
                     features.empty() ? "" : ", features = [" + features + "]");
}

}  // namespace

fs::path WriteTestPackage(const extract::PackageInfo& package,
                          const std::vector<std::string>& enabled, const fs::path& facade_dir,
                          const fs::path& dir, const fs::path& registry,
                          const std::vector<DependencyFacade>& dep_facades) {
  std::string toml = fmt::format(
      "# Written by rdylib conformance: {}'s own integration tests against its facade.\n"
      "[package]\n"
      "name = \"rdylib-conformance-{}\"\n"
      "version = \"0.0.0\"\n"
      "edition = \"{}\"\n"
      "publish = false\n"
      "autobins = false\n"
      "autoexamples = false\n"
      "autotests = false\n"
      "autobenches = false\n",
      package.name, package.lib_name, package.edition.empty() ? "2015" : package.edition);
  for (const extract::Target& t : package.targets) {
    // The crate's build script sets the cfgs its tests may test for.
    if (t.kind == "custom-build") toml += fmt::format("build = {}\n", Quote(t.src_path.string()));
  }
  // The facade's package is named as the crate's (`num-integer`), its
  // library as the crate's library (`num_integer`).
  toml += fmt::format("\n[dependencies]\n{} = {{ package = {}, path = {} }}\n", package.lib_name,
                      Quote(package.name), Quote(facade_dir.string()));
  // The library's normal dependencies are the tests' too (`extern crate
  // num_traits;`). Where rdylib wrote a facade for one, the tests use it:
  // one instance, and the same traits as the crate's facade names.
  std::set<std::string> facaded;  // keys of dependencies served by a facade
  std::set<std::string> normal;   // keys of all normal dependencies written
  for (const extract::Dependency& d : package.dependencies) {
    if (!d.kind.empty()) continue;
    std::string key = d.rename.empty() ? d.name : d.rename;
    const DependencyFacade* facade = nullptr;
    for (const DependencyFacade& f : dep_facades) {
      if (f.package == d.name) facade = &f;
    }
    if (facade != nullptr) {
      toml += fmt::format("{} = {{ package = {}, path = {} }}\n", key, Quote(facade->package),
                          Quote(facade->dir.string()));
      facaded.insert(key);
    } else if (!d.optional) {
      toml += RegistryLine(d);
    } else {
      continue;
    }
    normal.insert(key);
  }
  toml += "\n[dev-dependencies]\n";
  for (const extract::Dependency& d : package.dependencies) {
    // A dev-dependency on a dependency that has a facade is that facade.
    if (d.kind != "dev" || facaded.contains(d.rename.empty() ? d.name : d.rename)) continue;
    toml += RegistryLine(d);
  }
  // The crate's build script runs for the tests' cfgs: it needs the
  // crate's build-dependencies (num-integer's autocfg).
  toml += "\n[build-dependencies]\n";
  for (const extract::Dependency& d : package.dependencies) {
    if (d.kind == "build" && !d.optional) toml += RegistryLine(d);
  }
  // The features only set cfgs here: the facade is built already, with the
  // library's. Cargo refuses a feature named like a dependency, so one that
  // collides with a dev-dependency is left out (its cfg stays unset).
  std::set<std::string> taken = {package.lib_name, package.name};
  taken.insert(normal.begin(), normal.end());
  for (const extract::Dependency& d : package.dependencies) {
    if (d.kind == "dev" || d.kind == "build") taken.insert(d.rename.empty() ? d.name : d.rename);
  }
  auto declared = [&](const std::string& f) { return f != "default" && !taken.contains(f); };
  toml += "\n[features]\n";
  std::string defaults;
  for (const std::string& f : enabled) {
    if (declared(f)) defaults += (defaults.empty() ? "" : ", ") + Quote(f);
  }
  toml += fmt::format("default = [{}]\n", defaults);
  for (const std::string& f : package.features) {
    if (declared(f)) toml += fmt::format("{} = []\n", Quote(f));
  }
  for (const extract::Target& t : package.targets) {
    if (t.kind != "test") continue;
    toml += fmt::format("\n[[test]]\nname = {}\npath = {}\n", Quote(t.name),
                        Quote(t.src_path.string()));
  }
  toml += "\n[workspace]\n";
  WriteFile(dir / "Cargo.toml", toml);
  extract::WriteCargoConfig(dir, registry);
  return dir / "Cargo.toml";
}

void TestOutcome::Add(const TestOutcome& other) {
  passed += other.passed;
  failed += other.failed;
  ignored += other.ignored;
  failures.insert(failures.end(), other.failures.begin(), other.failures.end());
}

std::vector<std::string> TestTargets(const extract::PackageInfo& package) {
  std::vector<std::string> names;
  for (const extract::Target& t : package.targets) {
    if (t.kind == "test") names.push_back(t.name);
  }
  return names;
}

LibtestOutput ParseTestOutput(const std::string& out) {
  LibtestOutput o;
  int line_passed = 0, line_failed = 0, line_ignored = 0;
  std::istringstream lines(out);
  std::string line;
  while (std::getline(lines, line)) {
    int n = 0;
    if (std::sscanf(line.c_str(), "running %d test", &n) == 1) o.announced += n;
    if (line.starts_with("test ")) {
      size_t dots = line.rfind(" ... ");
      if (dots != std::string::npos) {
        std::string verdict = line.substr(dots + 5);
        if (verdict == "ok") ++line_passed;
        if (verdict == "FAILED") {
          ++line_failed;
          o.failures.push_back(line.substr(5, dots - 5));
        }
        if (verdict.starts_with("ignored")) ++line_ignored;  // "ignored, reason"
      }
    }
    if (line.starts_with("test result: ")) {
      int passed = 0, failed = 0, ignored = 0;
      size_t p = line.find(". ");
      if (p != std::string::npos &&
          std::sscanf(line.c_str() + p + 2, "%d passed; %d failed; %d ignored", &passed,
                      &failed, &ignored) == 3) {
        o.summarized = true;
        o.passed += passed;
        o.failed += failed;
        o.ignored += ignored;
      }
    }
  }
  if (!o.summarized) {
    o.passed = line_passed;
    o.failed = line_failed;
    o.ignored = line_ignored;
  }
  return o;
}

namespace {

/// Why cargo says the test binary failed: the parenthesised end of its
/// "process didn't exit successfully: ... (signal: 11, SIGSEGV: ...)" line,
/// else its first error line, else the exit status.
std::string WhyFailed(const ProcessResult& run) {
  if (run.exit_code == -1) return run.error;
  std::istringstream lines(run.err);
  std::string line, first_error;
  while (std::getline(lines, line)) {
    size_t at = line.find("process didn't exit successfully: ");
    size_t open = line.rfind(" (");
    if (at != std::string::npos && open != std::string::npos && line.ends_with(")")) {
      return line.substr(open + 2, line.size() - open - 3);
    }
    if (first_error.empty() && line.starts_with("error")) first_error = line;
  }
  if (!first_error.empty()) return first_error;
  return fmt::format("cargo exited with status {}", run.exit_code);
}

}  // namespace

TestOutcome JudgeTargetRun(const std::string& target, const ProcessResult& run) {
  LibtestOutput l = ParseTestOutput(run.out);
  TestOutcome o;
  o.passed = l.passed;
  o.failed = l.failed;
  o.ignored = l.ignored;
  for (const std::string& f : l.failures) o.failures.push_back(f);
  if (!l.summarized) {
    // Killed or crashed: whatever did not report counts as failed, and at
    // least one failure is recorded even if nothing was announced.
    int unreported = std::max(l.announced - l.passed - l.failed - l.ignored, 0);
    o.failed += std::max(unreported, 1);
    o.failures.push_back(fmt::format(
        "{} (the test binary stopped before its summary: {}; {} of its {} tests did not "
        "report)",
        target, run.ok() ? "exit status 0" : WhyFailed(run), unreported, l.announced));
  } else if (!run.ok() && l.failed == 0) {
    o.failed += 1;
    o.failures.push_back(
        fmt::format("{} (the test binary exited with an error: {})", target, WhyFailed(run)));
  }
  return o;
}

std::optional<TestOutcome> RunTests(const fs::path& manifest,
                                    const std::vector<std::string>& targets,
                                    const toolchain::Toolchain& tc, const fs::path& target_dir,
                                    bool valgrind, Diagnostics* diags) {
  ProcessOptions popts;
  popts.env = tc.Env();
  popts.env["CARGO_TARGET_DIR"] = target_dir.string();
  popts.env["RUST_BACKTRACE"] = "0";
  popts.cwd = manifest.parent_path();
  // Everything is built first, so that a test target that does not build
  // stops the run with rustc's error instead of quietly running fewer tests.
  std::vector<std::string> build = {tc.cargo.string(), "test", "--offline", "--no-run",
                                    "--tests"};
  ProcessResult b = RunProcess(build, popts);
  if (!b.ok()) {
    diags->Error(manifest.string(),
                 fmt::format("the tests do not build with {}:\n{}", tc.Label(),
                             b.err.empty() ? b.error : b.err),
                 fmt::format("reproduce with: cd {} && {}", popts.cwd.string(), ShellQuote(build)));
    return std::nullopt;
  }
  if (valgrind) {
    // cargo runs each test binary through the runner; an error exits 99.
    popts.env["CARGO_TARGET_" + Upper(tc.host) + "_RUNNER"] =
        "valgrind --quiet --error-exitcode=99 --leak-check=full "
        "--errors-for-leak-kinds=definite";
  }
  TestOutcome o;
  for (const std::string& target : targets) {
    std::vector<std::string> argv = {tc.cargo.string(), "test", "--offline", "--test", target};
    o.Add(JudgeTargetRun(target, RunProcess(argv, popts)));
  }
  return o;
}

}  // namespace rdylib::conformance
