// The extract stage.
#include "extract/extract.h"

#include <fmt/format.h>

#include <algorithm>

#include "extract/cargo_run.h"
#include "util/files.h"

namespace rdylib::extract {
namespace fs = std::filesystem;
namespace {

std::string TomlString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string CargoSourceConfig(const fs::path& registry) {
  return fmt::format(
      "# Written by rdylib: crates come only from {}, through the link\n"
      "# .cargo/registry. The link gives the source a directory of its own: cargo\n"
      "# refuses one directory under two source names, and a config in a parent\n"
      "# directory or in $CARGO_HOME may already name this one.\n"
      "[source.crates-io]\n"
      "replace-with = \"rdylib-registry\"\n"
      "\n"
      "[source.rdylib-registry]\n"
      "directory = \".cargo/registry\"\n"
      "\n"
      "[net]\n"
      "offline = true\n",
      registry.string());
}

bool WriteCargoConfig(const fs::path& workspace, const fs::path& registry) {
  std::error_code ec;
  fs::path target = fs::absolute(registry, ec);
  fs::path link = workspace / ".cargo/registry";
  fs::create_directories(link.parent_path(), ec);
  if (fs::read_symlink(link, ec) != target) {
    fs::remove_all(link, ec);
    fs::create_directory_symlink(target, link, ec);
    if (ec) return false;
  }
  return WriteFileIfChanged(workspace / ".cargo/config.toml", CargoSourceConfig(target));
}

fs::path WriteWrapperWorkspace(const ExtractOptions& options,
                               const PackageInfo& package,
                               const std::string& purpose,
                               const std::string& bin_name,
                               const std::string& bin_main) {
  std::error_code ec;
  fs::path crate_dir = fs::weakly_canonical(options.crate_dir, ec);
  std::vector<std::string> features = options.features;
  std::sort(features.begin(), features.end());
  std::string key = fmt::format("{}|{}|{}|{}", crate_dir.string(),
                                fmt::join(features, ","), options.all_features,
                                options.no_default_features);
  fs::path dir = options.work_dir / purpose /
                 fmt::format("{}-{}", package.lib_name, HexHash(key).substr(0, 8));
  // A dependency cannot ask for "all features": list them instead.
  const std::vector<std::string>& wanted = options.all_features ? package.features : features;
  std::string feature_list;
  for (const std::string& f : wanted) {
    if (!feature_list.empty()) feature_list += ", ";
    feature_list += TomlString(f);
  }
  std::string dep = fmt::format("target_crate = {{ path = {}, package = {}",
                                TomlString(crate_dir.string()), TomlString(package.name));
  if (options.no_default_features) dep += ", default-features = false";
  if (!feature_list.empty()) dep += ", features = [" + feature_list + "]";
  dep += " }";
  WriteFile(dir / "Cargo.toml",
            fmt::format("# Written by rdylib: a wrapper so the crate's own "
                        "directory is never written to.\n"
                        "[package]\n"
                        "name = \"rdylib-{}-wrapper\"\n"
                        "version = \"0.0.0\"\n"
                        "edition = \"2021\"\n"
                        "publish = false\n"
                        "\n"
                        "[lib]\n"
                        "path = \"lib.rs\"\n"
                        "\n"
                        "{}"
                        "[dependencies]\n"
                        "{}\n"
                        "\n"
                        "[workspace]\n",
                        purpose,
                        bin_main.empty()
                            ? std::string()
                            : fmt::format("[[bin]]\nname = {}\npath = \"main.rs\"\n\n",
                                          TomlString(bin_name)),
                        dep));
  WriteFile(dir / "lib.rs", "");
  if (!bin_main.empty()) WriteFile(dir / "main.rs", bin_main);
  WriteCargoConfig(dir, options.registry);
  return dir;
}

std::optional<ExtractResult> Extract(const ExtractOptions& options,
                                     const toolchain::Toolchain& tc,
                                     Diagnostics* diags) {
  std::optional<PackageInfo> package = ReadPackage(options.crate_dir, tc, diags);
  if (!package) return std::nullopt;
  for (const std::string& f : options.features) {
    if (std::find(package->features.begin(), package->features.end(), f) ==
        package->features.end()) {
      diags->Error(package->manifest.string(),
                   fmt::format("package '{}' has no feature '{}'", package->name, f),
                   fmt::format("declared features: {}",
                               package->features.empty()
                                   ? std::string("none")
                                   : fmt::format("{}", fmt::join(package->features, ", "))));
    }
  }
  if (diags->HasErrors()) return std::nullopt;

  fs::path wrapper = WriteWrapperWorkspace(options, *package, "extract");
  CargoRun run;
  run.what = "the wrapper crate for rustdoc";
  run.generator = "extract stage";
  run.options.env = tc.Env();
  run.options.env["CARGO_TARGET_DIR"] = options.target_dir.string();
  run.options.cwd = wrapper;
  run.argv = {tc.cargo.string(), "rustdoc", "--offline", "--lib",
              "-p", package->name + "@" + package->version,
              "--", "-Zunstable-options", "--output-format", "json",
              // #[doc(hidden)] public items are API too (crates' own tests
              // use them); the public API marks them hidden.
              "--document-hidden-items"};
  run.log = wrapper / "rdylib-cargo.log";
  CargoOutcome outcome = RunCargo(run);
  if (!outcome.ok()) {
    ReportCargoFailure(run, outcome, *package, tc, diags);
    return std::nullopt;
  }
  fs::path produced = options.target_dir / "doc" / (package->lib_name + ".json");
  ExtractResult result;
  result.package = *package;
  result.json_path = wrapper / (package->lib_name + ".json");
  std::error_code ec;
  fs::copy_file(produced, result.json_path, fs::copy_options::overwrite_existing, ec);
  if (ec) {
    diags->Error(produced.string(),
                 fmt::format("rustdoc finished but its JSON is missing: {}", ec.message()),
                 "is another rdylib run using the same --target-dir?");
    return std::nullopt;
  }
  return result;
}

}  // namespace rdylib::extract
