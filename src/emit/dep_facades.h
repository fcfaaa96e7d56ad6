// The parts of the shim and facade that link a crate with its dependency
// facades (docs/ABI.md, "Dependency facades").
#pragma once

#include <string>

#include "extract/dependency_graph.h"
#include "plan/plan.h"
#include "util/printer.h"

namespace rdylib::emit {

/// The library crate name under which a shim names a dependency's shim.
std::string DepShimCrate(const std::string& dep_crate);

/// Inside `rdylib_enums`: the wire forms and conversions of the
/// dependencies' enums this plan names, re-exported under this plan's names
/// (`Wiredep_regex__Error`), so they are used as the crate's own.
void PrintForeignEnums(Printer& p, const plan::Plan& plan, bool facade);

/// True when `rdylib_enums` has something to hold for this plan.
bool HasForeignEnums(const plan::Plan& plan);

/// Lines of a shim's or facade's `[dependencies]` naming the dependency
/// facades or shims beside it in dist/, and the `system-allocator` feature
/// that also turns on theirs.
std::string DepDependencyLines(const plan::Plan& plan, bool facade);
std::string DepAllocatorFeature(const plan::Plan& plan, bool facade);

/// The Cargo.toml of a dependency's shim: an rlib linked into its host's
/// library, depending on the dependency itself as the library resolved it
/// (a registry package by exact version, so cargo unifies the two and the
/// library's instance is the one used; a path package by path).
std::string WriteDepShimManifest(const plan::Plan& plan, const extract::ResolvedPackage& dep);

}  // namespace rdylib::emit
