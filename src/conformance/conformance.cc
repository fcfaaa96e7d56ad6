// Conformance runs.
#include "conformance/conformance.h"

#include <fmt/format.h>

#include <cctype>
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

fs::path WriteTestPackage(const extract::PackageInfo& package, const fs::path& facade_dir,
                          const fs::path& dir, const fs::path& registry) {
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
  toml += fmt::format("\n[dependencies]\n{} = {{ path = {} }}\n\n[dev-dependencies]\n",
                      package.lib_name, Quote(facade_dir.string()));
  for (const extract::Dependency& d : package.dependencies) {
    if (d.kind != "dev") continue;
    std::string features;
    for (const std::string& f : d.features) features += (features.empty() ? "" : ", ") + Quote(f);
    toml += fmt::format("{} = {{ package = {}, version = {}{}{} }}\n",
                        d.rename.empty() ? d.name : d.rename, Quote(d.name), Quote(d.req),
                        d.default_features ? "" : ", default-features = false",
                        features.empty() ? "" : ", features = [" + features + "]");
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

TestOutcome ParseTestOutput(const std::string& out) {
  TestOutcome o;
  std::istringstream lines(out);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.starts_with("test ") && line.ends_with(" ... FAILED")) {
      o.failures.push_back(line.substr(5, line.size() - 5 - 11));
    }
    if (line.starts_with("test result: ")) {
      int passed = 0, failed = 0, ignored = 0;
      size_t p = line.find(". ");
      if (p != std::string::npos &&
          std::sscanf(line.c_str() + p + 2, "%d passed; %d failed; %d ignored", &passed,
                      &failed, &ignored) == 3) {
        o.passed += passed;
        o.failed += failed;
        o.ignored += ignored;
      }
    }
  }
  return o;
}

std::optional<TestOutcome> RunTests(const fs::path& manifest, const toolchain::Toolchain& tc,
                                    const fs::path& target_dir, bool valgrind,
                                    Diagnostics* diags) {
  ProcessOptions popts;
  popts.env = tc.Env();
  popts.env["CARGO_TARGET_DIR"] = target_dir.string();
  popts.env["RUST_BACKTRACE"] = "0";
  if (valgrind) {
    // cargo runs each test binary through the runner; an error exits 99,
    // which fails that target and shows in the summary.
    popts.env["CARGO_TARGET_" + Upper(tc.host) + "_RUNNER"] =
        "valgrind --quiet --error-exitcode=99 --leak-check=full "
        "--errors-for-leak-kinds=definite";
  }
  popts.cwd = manifest.parent_path();
  std::vector<std::string> argv = {tc.cargo.string(), "test", "--offline", "--no-fail-fast",
                                   "--tests"};
  ProcessResult r = RunProcess(argv, popts);
  TestOutcome o = ParseTestOutput(r.out);
  // A test binary that exits non-zero although none of its tests failed
  // (valgrind's error exit, a crash at exit) fails too; cargo names it.
  if (o.failed == 0) {
    std::istringstream err_lines(r.err);
    std::string line;
    const std::string kPrefix = "error: test failed, to rerun pass `";
    while (std::getline(err_lines, line)) {
      if (!line.starts_with(kPrefix)) continue;
      size_t end = line.find('`', kPrefix.size());
      o.failures.push_back(line.substr(kPrefix.size(), end - kPrefix.size()) +
                           " (the test binary exited with an error)");
      ++o.failed;
    }
  }
  if (!r.ok() && o.passed + o.failed == 0) {
    diags->Error(manifest.string(),
                 fmt::format("the tests do not build with {}:\n{}", tc.Label(),
                             r.err.empty() ? r.error : r.err),
                 fmt::format("reproduce with: cd {} && {}", popts.cwd.string(), ShellQuote(argv)));
    return std::nullopt;
  }
  return o;
}

}  // namespace rdylib::conformance
