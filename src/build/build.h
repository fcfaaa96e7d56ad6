// The build stage: writes the generated crates, compiles the shim with the
// library's toolchain, and assembles dist/<crate>/.
#pragma once

#include <filesystem>
#include <optional>

#include "extract/extract.h"
#include "plan/plan.h"
#include "toolchain/toolchain.h"
#include "util/diagnostic.h"

namespace rdylib::build {

struct BuildResult {
  std::filesystem::path dist;     // OUT/<crate>
  std::filesystem::path library;  // OUT/<crate>/lib/lib<crate>.so
  /// The library declares its own #[global_allocator], so rdylib could not
  /// make it std's System: owned buffers are copied at the boundary.
  bool own_allocator = false;
};

/// Writes dist/<crate>/{facade, shim, lib, <crate>.rdylib.json, report.*}
/// and builds the shim (release) with `tc`.
std::optional<BuildResult> Build(const plan::Plan& plan, const extract::ExtractOptions& options,
                                 const extract::PackageInfo& package,
                                 const toolchain::Toolchain& tc,
                                 const std::filesystem::path& out_dir, Diagnostics* diags);

}  // namespace rdylib::build
