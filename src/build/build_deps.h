// Writes a dependency's facade and shim beside its host's in dist/
// (docs/ABI.md, "Dependency facades").
#pragma once

#include <filesystem>

#include "extract/dependency_graph.h"
#include "plan/plan.h"
#include "util/diagnostic.h"

namespace rdylib::build {

/// Writes OUT/<dep>/{facade, shim, <dep>.rdylib.json, report.*} for a
/// dependency's plan (plan::HostIn). Its shim is not built here: the host's
/// shim links it, so the host's library (`host_lib_file`, in
/// OUT/<host>/lib) exports its thunks, and its facade opens that library.
void WriteDependency(const plan::Plan& plan, const extract::ResolvedPackage& dep,
                     const std::string& host_lib_file, const std::filesystem::path& out_dir,
                     Diagnostics* diags);

}  // namespace rdylib::build
