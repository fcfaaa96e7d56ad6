// The build stage.
#include "build/build.h"

#include <fmt/format.h>

#include "emit/facade_writer.h"
#include "emit/report_writer.h"
#include "emit/runtime_files.h"
#include "emit/rustfmt.h"
#include "emit/shim_writer.h"
#include "extract/cargo_run.h"
#include "util/files.h"

namespace rdylib::build {
namespace fs = std::filesystem;

std::optional<BuildResult> Build(const plan::Plan& plan, const extract::ExtractOptions& options,
                                 const extract::PackageInfo& package,
                                 const toolchain::Toolchain& tc, const fs::path& out_dir,
                                 Diagnostics* diags) {
  BuildResult result;
  std::error_code ec;
  result.dist = fs::absolute(out_dir, ec) / plan.crate_name;
  std::string lib_file = "lib" + package.lib_name + ".so";
  result.library = result.dist / "lib" / lib_file;

  // The facade: depends on nothing but std.
  fs::path facade = result.dist / "facade";
  fs::remove_all(facade, ec);
  WriteFile(facade / "Cargo.toml", emit::WriteFacadeManifest(plan, package.name, package.lib_name));
  WriteFile(facade / "src/lib.rs", emit::WriteFacadeLib(plan, lib_file));
  WriteFile(facade / "src/rdylib_rt.rs", emit::FacadeRuntime());
  WriteFile(facade / "src/rdylib_wire.rs", emit::WireRuntime());

  // The shim: kept in dist so the library can be rebuilt from it.
  fs::path shim = result.dist / "shim";
  std::string features;
  std::vector<std::string> wanted = options.all_features ? package.features : options.features;
  if (options.no_default_features) features += ", default-features = false";
  if (!wanted.empty()) {
    std::vector<std::string> quoted;
    for (const std::string& f : wanted) quoted.push_back("\"" + f + "\"");
    features += fmt::format(", features = [{}]", fmt::join(quoted, ", "));
  }
  // Unchanged shim files keep their mtimes, so rebuilding the same crate
  // does not recompile the shim. lib.rs is compared before formatting.
  WriteFileIfChanged(shim / "Cargo.toml",
                     emit::WriteShimManifest(plan, package.lib_name, package.name,
                                             fs::weakly_canonical(options.crate_dir, ec).string(),
                                             features));
  WriteFileIfChanged(shim / "src/rdylib_rt.rs", emit::ShimRuntime());
  WriteFileIfChanged(shim / "src/rdylib_wire.rs", emit::WireRuntime());
  extract::WriteCargoConfig(shim, options.registry);
  std::string shim_lib = emit::WriteShimLib(plan);
  fs::path raw = shim / ".rdylib-lib.rs.unformatted";
  std::optional<std::string> last = ReadFile(raw);
  if (!last || *last != shim_lib || !fs::exists(shim / "src/lib.rs")) {
    WriteFile(shim / "src/lib.rs", shim_lib);
    emit::RustFmt(shim / "src/lib.rs", diags);
    WriteFile(raw, shim_lib);
  }
  emit::RustFmt(facade / "src/lib.rs", diags);

  WriteFile(result.dist / (plan.crate_name + ".rdylib.json"), emit::WriteManifest(plan));
  WriteFile(result.dist / "report.md", emit::WriteReportMarkdown(plan));
  WriteFile(result.dist / "report.json", emit::WriteReportJson(plan));

  extract::CargoRun run;
  run.what = "the shim";
  run.generator = "shim generator";
  run.options.env = tc.Env();
  run.options.env["CARGO_TARGET_DIR"] = options.target_dir.string();
  run.options.cwd = shim;
  run.argv = {tc.cargo.string(), "build",    "--offline",         "--release",
              "--lib",            "--features", "system-allocator"};
  run.log = options.work_dir / "logs" / fmt::format("shim-{}.log", package.lib_name);
  extract::CargoOutcome built = extract::RunCargo(run);
  if (!built.ok() && built.Mentions("conflicts with global allocator")) {
    // The library declares its own allocator: keep it. Buffers are then
    // copied, and public String/Vec fields make the facade refuse to load.
    run.argv.resize(run.argv.size() - 2);
    built = extract::RunCargo(run);
    result.own_allocator = true;
  }
  if (!built.ok()) {
    extract::ReportCargoFailure(run, built, package, tc, diags);
    return std::nullopt;
  }
  fs::create_directories(result.library.parent_path(), ec);
  fs::copy_file(options.target_dir / "release" / lib_file, result.library,
                fs::copy_options::overwrite_existing, ec);
  if (ec) {
    diags->Error(result.library.string(), "cannot copy the built library: " + ec.message());
    return std::nullopt;
  }
  return result;
}

}  // namespace rdylib::build
