// Dependency facades in the driver: plans every dependency crate a public
// API reaches, and writes their facades beside the crate's.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "driver/analysis.h"
#include "extract/dependency_graph.h"
#include "plan/plan.h"

namespace rdylib::driver {

/// A dependency crate, analysed and planned for its own facade.
struct PlannedDependency {
  extract::ResolvedPackage package;
  std::unique_ptr<Analysis> analysis;
  plan::Plan plan;  // hosted in the crate's library (plan::HostIn)
};

/// Plans the crate analysed in `a` with every dependency its public API
/// reaches, transitively (a dependency's type whose API names another's):
/// each dependency is analysed with the same toolchain and the features the
/// crate's graph resolves, planned like any crate, and named by the plans
/// that reach it. `deps` gets them, each before the crates that name it. A
/// dependency that cannot be analysed is reported as a warning, and the
/// items that name it stay unsupported.
plan::Plan PlanWithDependencies(const Analysis& a, const extract::ExtractOptions& ex,
                                const std::string& toolchain_spec, Diagnostics* diags,
                                std::vector<PlannedDependency>* deps);

/// Writes each dependency's facade and shim into `out_dir` (build_deps.h),
/// over the library of `host` (its file name `host_lib_file`).
void WriteDependencies(const std::vector<PlannedDependency>& deps,
                       const std::string& host_lib_file, const std::filesystem::path& out_dir,
                       Diagnostics* diags);

}  // namespace rdylib::driver
