// The shim's side of library-trait vtables (see shim_vtables.cc).
#pragma once

#include <string>

#include "plan/plan.h"

namespace rdylib::emit {

/// The `rdylib_vt` module (tables, proxies) and the thunks of trait objects
/// the library made and of provided methods' library bodies; "" when the
/// plan has no vtable.
std::string WriteShimVtables(const plan::Plan& plan);

}  // namespace rdylib::emit
