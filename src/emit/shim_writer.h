// Writes the shim crate: a cdylib that depends on the real crate and exports
// one extern "C" thunk per planned callable, plus the layout table.
#pragma once

#include <string>

#include "plan/plan.h"

namespace rdylib::emit {

/// The shim's src/lib.rs.
std::string WriteShimLib(const plan::Plan& plan);

/// The shim's Cargo.toml; the crate is the dependency `target_crate`.
std::string WriteShimManifest(const plan::Plan& plan, const std::string& lib_name,
                              const std::string& package_name, const std::string& crate_dir,
                              const std::string& features_toml);

/// The boundary parameter list of a function's thunk on the shim's side
/// (`facade` false) or its Rust fn-pointer parameter types on the facade's.
std::string ThunkParams(const plan::FunctionPlan& f, const plan::Plan& plan, bool facade);

}  // namespace rdylib::emit
