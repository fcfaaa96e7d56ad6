// Reading the resolved crate graph from cargo metadata.
#include "extract/dependency_graph.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>

#include "util/process.h"

namespace rdylib::extract {
namespace fs = std::filesystem;

namespace {

std::string Str(simdjson::dom::element e, const char* key) {
  std::string_view s;
  return e[key].get_string().get(s) == simdjson::SUCCESS ? std::string(s) : std::string();
}

}  // namespace

const ResolvedPackage* DependencyGraph::Dependency(const std::string& from,
                                                   const std::string& lib) const {
  auto it = packages.find(from);
  if (it == packages.end()) return nullptr;
  for (const auto& [name, id] : it->second.deps) {
    auto dep = packages.find(id);
    if (dep != packages.end() && dep->second.lib_name == lib) return &dep->second;
  }
  return nullptr;
}

std::optional<DependencyGraph> ParseDependencyGraph(std::string_view json,
                                                    const std::string& root_name,
                                                    const std::string& root_version,
                                                    const std::string& where,
                                                    Diagnostics* diags) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  simdjson::padded_string padded(json);
  simdjson::dom::array packages;
  simdjson::dom::array nodes;
  if (parser.parse(padded).get(doc) != simdjson::SUCCESS ||
      doc["packages"].get_array().get(packages) != simdjson::SUCCESS ||
      doc["resolve"]["nodes"].get_array().get(nodes) != simdjson::SUCCESS) {
    diags->Error(where, "cargo metadata printed no resolved dependency graph",
                 "run `cargo metadata --format-version 1` there to see why");
    return std::nullopt;
  }
  DependencyGraph graph;
  for (simdjson::dom::element pkg : packages) {
    ResolvedPackage p;
    p.id = Str(pkg, "id");
    p.name = Str(pkg, "name");
    p.version = Str(pkg, "version");
    p.dir = fs::path(Str(pkg, "manifest_path")).parent_path();
    p.from_registry = !Str(pkg, "source").empty();
    simdjson::dom::array targets;
    if (pkg["targets"].get_array().get(targets) == simdjson::SUCCESS) {
      for (simdjson::dom::element t : targets) {
        simdjson::dom::array kinds;
        if (t["kind"].get_array().get(kinds) != simdjson::SUCCESS) continue;
        for (simdjson::dom::element k : kinds) {
          std::string_view kind;
          if (k.get_string().get(kind) == simdjson::SUCCESS &&
              (kind == "lib" || kind == "rlib" || kind == "proc-macro")) {
            p.lib_name = Str(t, "name");
          }
        }
      }
    }
    std::replace(p.lib_name.begin(), p.lib_name.end(), '-', '_');
    if (!p.from_registry && p.name == root_name && p.version == root_version) graph.root = p.id;
    graph.packages[p.id] = std::move(p);
  }
  for (simdjson::dom::element node : nodes) {
    auto it = graph.packages.find(Str(node, "id"));
    if (it == graph.packages.end()) continue;
    simdjson::dom::array features;
    if (node["features"].get_array().get(features) == simdjson::SUCCESS) {
      for (simdjson::dom::element f : features) {
        std::string_view s;
        if (f.get_string().get(s) == simdjson::SUCCESS) it->second.features.emplace_back(s);
      }
    }
    std::sort(it->second.features.begin(), it->second.features.end());
    simdjson::dom::array deps;
    if (node["deps"].get_array().get(deps) != simdjson::SUCCESS) continue;
    for (simdjson::dom::element d : deps) {
      bool normal = false;
      simdjson::dom::array kinds;
      if (d["dep_kinds"].get_array().get(kinds) == simdjson::SUCCESS) {
        for (simdjson::dom::element k : kinds) normal |= k["kind"].is_null();
      }
      if (normal) it->second.deps[Str(d, "name")] = Str(d, "pkg");
    }
  }
  if (graph.root.empty()) {
    diags->Error(where, fmt::format("cargo metadata does not list {} {}", root_name, root_version),
                 "the crate's wrapper workspace should depend on it by path");
    return std::nullopt;
  }
  return graph;
}

std::optional<DependencyGraph> ResolveDependencyGraph(const ExtractOptions& options,
                                                      const PackageInfo& package,
                                                      const toolchain::Toolchain& tc,
                                                      Diagnostics* diags) {
  fs::path workspace = WriteWrapperWorkspace(options, package, "extract");
  ProcessOptions run;
  run.env = tc.Env();
  run.env["CARGO_TARGET_DIR"] = options.target_dir.string();
  run.cwd = workspace;
  ProcessResult r = RunProcess({tc.cargo.string(), "metadata", "--format-version", "1",
                                "--offline", "--manifest-path", (workspace / "Cargo.toml").string()},
                               run);
  if (!r.ok()) {
    diags->Error(workspace.string(),
                 fmt::format("cargo metadata failed:\n{}", r.err.empty() ? r.error : r.err),
                 "the crate's dependencies must resolve offline from the registry");
    return std::nullopt;
  }
  std::optional<DependencyGraph> graph =
      ParseDependencyGraph(r.out, package.name, package.version, workspace.string(), diags);
  if (!graph) return graph;
  // Registry packages are listed through the workspace's link to the
  // registry: name their real directory, outside any workspace.
  std::error_code ec;
  for (auto& [id, p] : graph->packages) {
    fs::path real = fs::canonical(p.dir, ec);
    if (!ec) p.dir = real;
  }
  return graph;
}

}  // namespace rdylib::extract
