// Writing dependency facades and shims.
#include "build/build_deps.h"

#include "emit/dep_facades.h"
#include "emit/facade_writer.h"
#include "emit/report_writer.h"
#include "emit/runtime_files.h"
#include "emit/rustfmt.h"
#include "emit/shim_writer.h"
#include "util/files.h"

namespace rdylib::build {
namespace fs = std::filesystem;

void WriteDependency(const plan::Plan& plan, const extract::ResolvedPackage& dep,
                     const std::string& host_lib_file, const fs::path& out_dir,
                     Diagnostics* diags) {
  std::error_code ec;
  fs::path dist = fs::absolute(out_dir, ec) / plan.crate_name;
  fs::path facade = dist / "facade";
  fs::remove_all(facade, ec);
  WriteFile(facade / "Cargo.toml", emit::WriteFacadeManifest(plan, dep.name, dep.lib_name));
  WriteFile(facade / "src/lib.rs", emit::WriteFacadeLib(plan, host_lib_file));
  WriteFile(facade / "src/rdylib_rt.rs", emit::FacadeRuntime());
  WriteFile(facade / "src/rdylib_wire.rs", emit::WireRuntime());
  emit::RustFmt(facade / "src/lib.rs", diags);

  // Unchanged files keep their mtimes, so the host's shim is not rebuilt.
  fs::path shim = dist / "shim";
  WriteFileIfChanged(shim / "Cargo.toml", emit::WriteDepShimManifest(plan, dep));
  WriteFileIfChanged(shim / "src/rdylib_rt.rs", emit::ShimRuntime());
  WriteFileIfChanged(shim / "src/rdylib_wire.rs", emit::WireRuntime());
  std::string shim_lib = emit::WriteShimLib(plan);
  fs::path raw = shim / ".rdylib-lib.rs.unformatted";
  std::optional<std::string> last = ReadFile(raw);
  if (!last || *last != shim_lib || !fs::exists(shim / "src/lib.rs")) {
    WriteFile(shim / "src/lib.rs", shim_lib);
    emit::RustFmt(shim / "src/lib.rs", diags);
    WriteFile(raw, shim_lib);
  }
  WriteFile(dist / (plan.crate_name + ".rdylib.json"), emit::WriteManifest(plan));
  WriteFile(dist / "report.md", emit::WriteReportMarkdown(plan));
  WriteFile(dist / "report.json", emit::WriteReportJson(plan));
}

}  // namespace rdylib::build
