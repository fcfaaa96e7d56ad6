// Fingerprints: the canonical text of everything a facade relies on, and the
// hashes that symbols and the load check carry (docs/ABI.md, "Fingerprints").
#pragma once

#include <string>

#include "plan/abi_value.h"
#include "plan/plan.h"

namespace rdylib::plan {

/// The canonical text of a value's boundary form: its kind, and the crate's
/// types by facade path, e.g. `Option<&mut crate::World>`. Two values cross
/// the same way exactly when their texts are equal (given equal shapes of
/// the types they name).
std::string FormText(const AbiValue& v);

/// The canonical text of a type's shape: ` | `-separated clauses for its
/// kind, size, alignment, drop, Copy, public fields (name, type, offset),
/// opaque bytes, enum tags, variants with their fields' forms, forwarded
/// and derived traits and auto-trait markers. Everything the facade's code
/// relies on is in it; private fields only through size and alignment.
std::string ShapeText(const TypePlan& t);

/// Fills in, for a plan whose passes have all run:
/// - every type's `shape` and `shape_hash` (its shape and, recursively, the
///   shapes of the types it names);
/// - every thunk symbol's suffix: the hash of its full lowered signature
///   (receiver, each parameter and the return in order with their forms, and
///   the shape hash of every type they name);
/// - `plan->checks`: each type's shape and each copied constant's and
///   static's value, which the facade compares with the library's at load.
void AssignFingerprints(Plan* plan);

}  // namespace rdylib::plan
