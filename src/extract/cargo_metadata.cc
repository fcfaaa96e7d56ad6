// cargo metadata reading.
#include "extract/cargo_metadata.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <set>

namespace rdylib::extract {
namespace fs = std::filesystem;

std::optional<PackageInfo> ParseCargoMetadata(std::string_view json,
                                              const fs::path& manifest,
                                              Diagnostics* diags) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  simdjson::padded_string padded(json);
  simdjson::dom::array packages;
  if (parser.parse(padded).get(doc) != simdjson::SUCCESS ||
      doc["packages"].get_array().get(packages) != simdjson::SUCCESS ||
      packages.size() == 0) {
    diags->Error(manifest.string(), "cargo metadata printed no package",
                 "is this a package manifest (not a virtual workspace)?");
    return std::nullopt;
  }
  // With --no-deps, a workspace lists all members: take the one whose
  // manifest is ours.
  std::error_code ec;
  fs::path want = fs::weakly_canonical(manifest, ec);
  for (simdjson::dom::element pkg : packages) {
    std::string_view path;
    if (pkg["manifest_path"].get_string().get(path) != simdjson::SUCCESS) continue;
    if (fs::weakly_canonical(fs::path(path), ec) != want) continue;
    PackageInfo info;
    std::string_view s;
    if (pkg["name"].get_string().get(s) == simdjson::SUCCESS) info.name = s;
    if (pkg["version"].get_string().get(s) == simdjson::SUCCESS) info.version = s;
    info.manifest = path;
    if (pkg["edition"].get_string().get(s) == simdjson::SUCCESS) info.edition = s;
    simdjson::dom::array targets;
    if (pkg["targets"].get_array().get(targets) == simdjson::SUCCESS) {
      for (simdjson::dom::element t : targets) {
        simdjson::dom::array kinds;
        if (t["kind"].get_array().get(kinds) != simdjson::SUCCESS) continue;
        for (simdjson::dom::element k : kinds) {
          std::string_view kind;
          if (k.get_string().get(kind) != simdjson::SUCCESS) continue;
          if (kind == "lib" || kind == "rlib" || kind == "dylib" ||
              kind == "cdylib" || kind == "staticlib" || kind == "proc-macro") {
            if (t["name"].get_string().get(s) == simdjson::SUCCESS) {
              info.lib_name = s;
            }
          } else {
            Target target;
            target.kind = kind;
            std::string_view src;
            if (t["name"].get_string().get(s) == simdjson::SUCCESS) target.name = s;
            if (t["src_path"].get_string().get(src) == simdjson::SUCCESS) target.src_path = src;
            info.targets.push_back(std::move(target));
          }
        }
      }
    }
    simdjson::dom::array deps;
    if (pkg["dependencies"].get_array().get(deps) == simdjson::SUCCESS) {
      for (simdjson::dom::element d : deps) {
        Dependency dep;
        if (d["name"].get_string().get(s) == simdjson::SUCCESS) dep.name = s;
        if (d["rename"].get_string().get(s) == simdjson::SUCCESS) dep.rename = s;
        if (d["req"].get_string().get(s) == simdjson::SUCCESS) dep.req = s;
        if (d["kind"].get_string().get(s) == simdjson::SUCCESS) dep.kind = s;
        bool def = true;
        if (d["uses_default_features"].get_bool().get(def) == simdjson::SUCCESS) {
          dep.default_features = def;
        }
        bool optional = false;
        if (d["optional"].get_bool().get(optional) == simdjson::SUCCESS) dep.optional = optional;
        simdjson::dom::array fs;
        if (d["features"].get_array().get(fs) == simdjson::SUCCESS) {
          for (simdjson::dom::element f : fs) {
            if (f.get_string().get(s) == simdjson::SUCCESS) dep.features.emplace_back(s);
          }
        }
        info.dependencies.push_back(std::move(dep));
      }
    }
    simdjson::dom::object features;
    if (pkg["features"].get_object().get(features) == simdjson::SUCCESS) {
      for (auto f : features) {
        info.features.emplace_back(f.key);
        std::vector<std::string>& enables = info.feature_map[std::string(f.key)];
        simdjson::dom::array list;
        if (f.value.get_array().get(list) != simdjson::SUCCESS) continue;
        for (simdjson::dom::element e : list) {
          if (e.get_string().get(s) == simdjson::SUCCESS) enables.emplace_back(s);
        }
      }
    }
    std::sort(info.features.begin(), info.features.end());
    if (info.lib_name.empty()) {
      diags->Error(manifest.string(),
                   fmt::format("package '{}' has no library target", info.name),
                   "rdylib works on library crates; add a [lib] target");
      return std::nullopt;
    }
    std::replace(info.lib_name.begin(), info.lib_name.end(), '-', '_');
    return info;
  }
  diags->Error(manifest.string(), "cargo metadata does not list this manifest",
               "pass the directory that holds the crate's Cargo.toml");
  return std::nullopt;
}

std::vector<std::string> EnabledFeatures(const PackageInfo& package,
                                         const std::vector<std::string>& requested, bool all,
                                         bool no_default) {
  std::set<std::string> enabled;
  std::vector<std::string> todo = requested;
  if (all) todo.insert(todo.end(), package.features.begin(), package.features.end());
  if (!no_default) todo.push_back("default");
  while (!todo.empty()) {
    std::string f = todo.back();
    todo.pop_back();
    if (f.starts_with("dep:")) continue;
    size_t slash = f.find('/');
    if (slash != std::string::npos) {
      if (f.find('?') < slash) continue;  // `x?/f` does not enable x
      f = f.substr(0, slash);
    }
    auto it = package.feature_map.find(f);
    if (it == package.feature_map.end() || !enabled.insert(f).second) continue;
    todo.insert(todo.end(), it->second.begin(), it->second.end());
  }
  return {enabled.begin(), enabled.end()};
}

std::optional<PackageInfo> ReadPackage(const fs::path& crate_dir,
                                       const toolchain::Toolchain& tc,
                                       Diagnostics* diags) {
  fs::path manifest = crate_dir / "Cargo.toml";
  std::error_code ec;
  if (!fs::exists(manifest, ec)) {
    diags->Error(crate_dir.string(), "no Cargo.toml in this directory",
                 "pass the directory of a Rust library crate");
    return std::nullopt;
  }
  ProcessOptions options;
  options.env = tc.Env();
  ProcessResult r = RunProcess(
      {tc.cargo.string(), "metadata", "--no-deps", "--format-version", "1",
       "--offline", "--manifest-path", manifest.string()},
      options);
  if (!r.ok()) {
    diags->Error(manifest.string(),
                 fmt::format("cargo metadata failed:\n{}", r.err.empty() ? r.error : r.err),
                 "fix the manifest so `cargo metadata` accepts it");
    return std::nullopt;
  }
  return ParseCargoMetadata(r.out, manifest, diags);
}

}  // namespace rdylib::extract
