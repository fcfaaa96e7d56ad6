// Rust toolchain discovery and explicit invocation.
#include "toolchain/toolchain.h"

#include <fmt/format.h>
#include <simdjson.h>
#include <unistd.h>

#include <cstdlib>
#include <sstream>

#include "util/files.h"

namespace rdylib::toolchain {
namespace fs = std::filesystem;
namespace {

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r')) {
    s.pop_back();
  }
  return s;
}

fs::path HomeDir() {
  const char* home = std::getenv("HOME");
  return home ? fs::path(home) : fs::path("/root");
}

fs::path RustupBinary() {
  fs::path in_path = FindInPath("rustup");
  if (!in_path.empty()) return in_path;
  const char* cargo_home = std::getenv("CARGO_HOME");
  fs::path candidate =
      (cargo_home ? fs::path(cargo_home) : HomeDir() / ".cargo") / "bin/rustup";
  return access(candidate.c_str(), X_OK) == 0 ? candidate : fs::path();
}

// rustup installs proxies that are hard links or symlinks to rustup itself;
// one of those must never be taken for a real rustc.
bool IsRustupProxy(const fs::path& p) {
  std::error_code ec;
  fs::path resolved = fs::canonical(p, ec);
  if (ec) return false;
  return resolved.filename() == "rustup" ||
         resolved.filename() == "rustup-init";
}

std::optional<Toolchain> FromRustcPath(const fs::path& rustc, std::string name) {
  if (access(rustc.c_str(), X_OK) != 0 || IsRustupProxy(rustc)) {
    return std::nullopt;
  }
  Toolchain tc;
  tc.name = std::move(name);
  tc.rustc = rustc;
  fs::path dir = rustc.parent_path();
  tc.rustdoc = dir / "rustdoc";
  tc.cargo = dir / "cargo";
  return tc;
}

std::vector<std::string> RustupToolchainNames(const fs::path& rustup) {
  std::vector<std::string> names;
  if (rustup.empty()) return names;
  ProcessResult r = RunProcess({rustup.string(), "toolchain", "list"});
  if (!r.ok()) return names;
  std::istringstream lines(r.out);
  std::string line;
  while (std::getline(lines, line)) {
    std::string full = line.substr(0, line.find(' '));
    if (full.empty() || full == "no") continue;  // "no installed toolchains"
    names.push_back(full);
  }
  return names;
}

// "stable-x86_64-unknown-linux-gnu" -> "stable"
std::string ShortName(const std::string& full, const std::string& host) {
  std::string suffix = "-" + host;
  if (!host.empty() && full.size() > suffix.size() &&
      full.compare(full.size() - suffix.size(), suffix.size(), suffix) == 0) {
    return full.substr(0, full.size() - suffix.size());
  }
  return full;
}

std::optional<Toolchain> FromRustup(const fs::path& rustup,
                                    const std::string& full_name) {
  ProcessResult r = RunProcess(
      {rustup.string(), "which", "--toolchain", full_name, "rustc"});
  if (!r.ok()) return std::nullopt;
  return FromRustcPath(Trim(r.out), full_name);
}

}  // namespace

std::map<std::string, std::optional<std::string>> Toolchain::Env() const {
  return {
      {"RUSTC", rustc.string()},
      {"RUSTDOC", rustdoc.string()},
      {"CARGO", cargo.string()},
      {"RUSTC_BOOTSTRAP", "1"},
      // The crate is a path dependency of rdylib's wrapper workspaces, where
      // cargo would not cap its lints as it does for a registry dependency: a
      // `#![deny(unused_imports)]` crate would fail with a newer rustc.
      {"RUSTFLAGS", "--cap-lints warn"},
      {"RUSTDOCFLAGS", "--cap-lints warn"},
      // A rustup override or RUSTUP_TOOLCHAIN must not redirect proxies that
      // build scripts might call.
      {"RUSTUP_TOOLCHAIN", std::nullopt},
      {"RUSTC_WRAPPER", std::nullopt},
      {"RUSTC_WORKSPACE_WRAPPER", std::nullopt},
  };
}

std::string Toolchain::Label() const {
  return fmt::format("{} ({})", name, version);
}

bool Describe(Toolchain* tc, Diagnostics* diags) {
  ProcessOptions options;
  options.env = tc->Env();
  ProcessResult r = RunProcess({tc->rustc.string(), "-vV"}, options);
  if (!r.ok()) {
    diags->Error(tc->rustc.string(),
                 fmt::format("cannot run rustc: {}", r.error.empty() ? Trim(r.err) : r.error),
                 "check the toolchain installation (scripts/bootstrap.sh)");
    return false;
  }
  std::istringstream lines(r.out);
  std::string line;
  bool first = true;
  while (std::getline(lines, line)) {
    if (first) {
      tc->version_line = Trim(line);
      first = false;
    }
    if (line.starts_with("release: ")) tc->version = Trim(line.substr(9));
    if (line.starts_with("host: ")) tc->host = Trim(line.substr(6));
  }
  for (const fs::path& tool : {tc->rustdoc, tc->cargo}) {
    if (access(tool.c_str(), X_OK) != 0) {
      diags->Error(tool.string(),
                   fmt::format("toolchain '{}' has no {} beside its rustc",
                               tc->name, tool.filename().string()),
                   "install the toolchain's rustdoc and cargo too");
      return false;
    }
  }
  // Short names read better than full rustup names in listings.
  tc->name = ShortName(tc->name, tc->host);
  return !tc->version.empty();
}

std::vector<Toolchain> Discover(Diagnostics* diags) {
  std::vector<Toolchain> out;
  fs::path rustup = RustupBinary();
  for (const std::string& full : RustupToolchainNames(rustup)) {
    std::optional<Toolchain> tc = FromRustup(rustup, full);
    if (tc && Describe(&*tc, diags)) out.push_back(std::move(*tc));
  }
  // Debian's rustc-web, and any other system rustc.
  std::optional<Toolchain> system = FromRustcPath("/usr/bin/rustc", "/usr/bin/rustc");
  if (system && Describe(&*system, diags)) {
    system->name = "/usr/bin/rustc";
    out.push_back(std::move(*system));
  }
  return out;
}

std::optional<Toolchain> Resolve(const std::string& spec, Diagnostics* diags) {
  if (spec.find('/') != std::string::npos) {
    fs::path p(spec);
    std::error_code ec;
    if (fs::is_directory(p, ec)) p /= "rustc";
    std::optional<Toolchain> tc = FromRustcPath(p, p.string());
    if (!tc) {
      diags->Error(spec, "not an executable rustc (or a rustup proxy)",
                   "pass the path of a real rustc binary, e.g. /usr/bin/rustc, "
                   "or a rustup toolchain name such as 'stable'");
      return std::nullopt;
    }
    if (!Describe(&*tc, diags)) return std::nullopt;
    tc->name = p.string();
    return tc;
  }
  fs::path rustup = RustupBinary();
  std::vector<std::string> names = RustupToolchainNames(rustup);
  for (const std::string& full : names) {
    if (full == spec || full.starts_with(spec + "-")) {
      std::optional<Toolchain> tc = FromRustup(rustup, full);
      if (tc && Describe(&*tc, diags)) return tc;
    }
  }
  // A version number such as "1.85" may name a non-rustup toolchain.
  Diagnostics ignored;
  for (Toolchain& tc : Discover(&ignored)) {
    if (tc.version == spec || tc.version.starts_with(spec + ".")) return tc;
  }
  std::string available;
  for (const std::string& n : names) available += " " + n;
  diags->Error("", fmt::format("unknown toolchain '{}'", spec),
               fmt::format("run `rdylib toolchains` to list them; installed "
                           "rustup toolchains:{}",
                           available.empty() ? " none" : available));
  return std::nullopt;
}

std::optional<int> ProbeJsonFormatVersion(const Toolchain& tc,
                                          const fs::path& scratch,
                                          Diagnostics* diags) {
  fs::path dir = scratch / ("format-probe-" + HexHash(tc.rustc.string()));
  fs::create_directories(dir);
  WriteFile(dir / "lib.rs", "pub fn probe() {}\n");
  ProcessOptions options;
  options.env = tc.Env();
  options.cwd = dir;
  std::vector<std::string> argv = {tc.rustdoc.string(), "--edition", "2021",
                                   "-Zunstable-options", "--output-format",
                                   "json", "--crate-name", "probe", "-o",
                                   "out", "lib.rs"};
  ProcessResult r = RunProcess(argv, options);
  if (!r.ok()) {
    diags->Error(tc.rustdoc.string(),
                 fmt::format("rustdoc cannot write JSON: {}", Trim(r.err)),
                 "rdylib needs rustdoc's JSON output (RUSTC_BOOTSTRAP=1 is set)");
    return std::nullopt;
  }
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  int64_t version = 0;
  if (parser.load((dir / "out/probe.json").string()).get(doc) != simdjson::SUCCESS ||
      doc["format_version"].get_int64().get(version) != simdjson::SUCCESS) {
    diags->Error((dir / "out/probe.json").string(),
                 "rustdoc wrote no readable format_version", "");
    return std::nullopt;
  }
  return static_cast<int>(version);
}

}  // namespace rdylib::toolchain
