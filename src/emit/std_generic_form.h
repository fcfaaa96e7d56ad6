// The boundary forms of std's collections (a Vec of their elements' forms,
// rebuilt on the other side) and of Rc/Arc (the one allocation, through
// into_raw/from_raw); boundary_form.cc dispatches kCollection and kShared here.
#pragma once

#include <string>

#include "emit/boundary_form.h"

namespace rdylib::emit {

/// The form of argument `name` of a kCollection or kShared value.
ArgumentForm StdGenericArgForm(const std::string& name, const plan::AbiValue& v);

/// The form of a returned kCollection or kShared value.
ReturnForm StdGenericRetForm(const plan::AbiValue& v);

}  // namespace rdylib::emit
