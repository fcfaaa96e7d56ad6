// Writes the facade crate: the library's public paths, types and functions,
// depending on nothing but std, calling the library through its thunks.
#pragma once

#include <string>

#include "plan/plan.h"

namespace rdylib::emit {

/// The facade's src/lib.rs.
std::string WriteFacadeLib(const plan::Plan& plan, const std::string& lib_file);

/// The facade's Cargo.toml: the crate's own package and library names.
std::string WriteFacadeManifest(const plan::Plan& plan, const std::string& package_name,
                                const std::string& lib_name);

}  // namespace rdylib::emit
