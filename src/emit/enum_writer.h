// Writes the wire forms of enums with data, and their conversions, into the
// `rdylib_enums` module of the shim or of the facade.
#pragma once

#include <string>

#include "plan/plan.h"

namespace rdylib::emit {

/// The module's source; `facade` selects the side (which enum the
/// conversions name). Empty when the plan has no enum with data.
std::string WriteEnumModule(const plan::Plan& plan, bool facade);

/// The facade's declaration of an enum with data, with its derives.
std::string WriteFacadeEnum(const plan::TypePlan& t);

}  // namespace rdylib::emit
