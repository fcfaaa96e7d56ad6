// The probe stage.
#include "probe/probe.h"

#include <fmt/format.h>

#include "emit/runtime_files.h"
#include "extract/cargo_run.h"
#include "probe/probe_crate.h"
#include "util/files.h"
#include "util/process.h"

namespace rdylib::probe {
namespace fs = std::filesystem;

std::optional<Layouts> Probe(const extract::ExtractOptions& options,
                             const extract::PackageInfo& package, const toolchain::Toolchain& tc,
                             const model::Crate& crate, const api::PublicApi& api,
                             Diagnostics* diags) {
  ProbeProgram program = GenerateProbe(crate, api);
  // The binary's name is unique per crate and toolchain, so probes sharing a
  // target directory never overwrite each other's executable.
  std::string bin = fmt::format("rdylib-probe-{}-{}", package.lib_name,
                                HexHash(tc.rustc.string() + options.crate_dir.string()).substr(0, 8));
  fs::path wrapper =
      extract::WriteWrapperWorkspace(options, package, "probe", bin, program.main_rs);
  // The std facts are measured by the same code the facade checks them with.
  WriteFile(wrapper / "rdylib_wire.rs", emit::WireRuntime());
  extract::CargoRun run;
  run.what = "the layout probe";
  run.generator = "probe generator";
  run.options.env = tc.Env();
  run.options.env["CARGO_TARGET_DIR"] = options.target_dir.string();
  run.options.cwd = wrapper;
  run.argv = {tc.cargo.string(), "build", "--offline", "--bin", bin};
  run.log = wrapper / "rdylib-cargo.log";
  extract::CargoOutcome built = extract::RunCargo(run);
  if (!built.ok()) {
    extract::ReportCargoFailure(run, built, package, tc, diags);
    return std::nullopt;
  }
  fs::path exe = options.target_dir / "debug" / bin;
  ProcessResult ran = RunProcess({exe.string()});
  if (!ran.ok()) {
    diags->Error(exe.string(),
                 fmt::format("the layout probe failed (exit {}):\n{}", ran.exit_code, ran.err),
                 "this is a bug in rdylib's probe generator; please report it");
    return std::nullopt;
  }
  std::optional<Layouts> layouts = ParseProbeOutput(ran.out, exe.string(), diags);
  if (!layouts) return std::nullopt;
  layouts->rustc_version = tc.version;
  layouts->skipped = std::move(program.skipped);
  return layouts;
}

}  // namespace rdylib::probe
