// The driver's check of copied default bodies: the facades are compiled
// with them, and a body is kept only when that succeeds without a warning.
#pragma once

#include <vector>

#include "driver/analysis.h"
#include "driver/dependencies.h"
#include "extract/extract.h"
#include "plan/plan.h"
#include "util/diagnostic.h"

namespace rdylib::driver {

/// Keeps each copied default body of `plan` and of `deps`' plans (see
/// plan::TraitMethodPlan::copied_body) only where the facades compile with
/// it: writes them into WORK/default-check, runs `cargo check` with the
/// analysis's toolchain, and drops every body an error or warning points
/// into, until none does; then compares each remaining copy's MIR with the
/// library's own (`-Zunpretty=mir`), and keeps only those that compile to
/// the same code (a dependency's, with the dependency's library). Each
/// method's report line says which way it went.
void CheckCopiedDefaults(const Analysis& a, const extract::ExtractOptions& ex, plan::Plan* plan,
                         std::vector<PlannedDependency>* deps, Diagnostics* diags);

}  // namespace rdylib::driver
