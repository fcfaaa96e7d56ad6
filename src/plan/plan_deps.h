// Dependency facades: which dependency crates a public API reaches, the
// types of theirs it names, and a dependency's plan hosted in another
// crate's library (docs/ABI.md, "Dependency facades").
#pragma once

#include <string>
#include <vector>

#include "api/public_api.h"
#include "model/crate.h"
#include "plan/plan.h"

namespace rdylib::plan {

/// The crates (not std, core, alloc) whose structs, enums and unions the
/// public API names in a signature, field, constant, alias or impl header,
/// by crate name, sorted.
std::vector<std::string> ReachedDependencies(const model::Crate& crate, const api::PublicApi& api);

/// Appends to `out`, for each id in `crate`'s paths table that resolves to a
/// struct, enum or union of the dependency `dep` (planned as `dep_plan`),
/// how `crate`'s plan names it: supported when `dep_plan` pins or converts
/// it, else with the dependency's reason. Sorted by id.
void AddForeignTypes(const model::Crate& crate, const model::Crate& dep,
                     const api::PublicApi& dep_api, const Plan& dep_plan,
                     std::vector<ForeignType>* out);

/// Makes `plan` a dependency's plan whose thunks live in the library of
/// `host` (a crate name): every symbol takes the version-qualified prefix.
void HostIn(Plan* plan, const std::string& host);

}  // namespace rdylib::plan
