// Writes the erased parameters' tables: in the facade, the table of
// `extern "C"` entries for the consumer's type and the helpers that lend or
// hand over its value; in the shim, the proxy (or rebuilt closure) that
// implements the bounds by calling those entries. One definition, both sides.
#pragma once

#include <string>

#include "plan/plan.h"

namespace rdylib::emit {

/// The `rdylib_erased` module of the facade (`facade`) or of the shim, with
/// the tables of every erased parameter in the plan; "" when there is none.
std::string WriteErasedModule(const plan::Plan& plan, bool facade);

/// The facade's statement that turns argument `name` of erased value `v`
/// into `(data, table)`, bound to `name` again.
std::string ErasedPrepare(const std::string& name, const plan::AbiValue& v);

/// The shim's expression that rebuilds the library's argument from the
/// slots `name_data` and `name_table`.
std::string ErasedRebuild(const std::string& name, const plan::AbiValue& v);

}  // namespace rdylib::emit
