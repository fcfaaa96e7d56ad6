// std's generic containers and shared pointers at the boundary: HashMap,
// BTreeMap, HashSet, BTreeSet and VecDeque cross as a Vec of their elements'
// forms and are rebuilt on the other side; Rc and Arc cross as their one
// allocation (into_raw/from_raw). docs/ABI.md, "std generic types".
#pragma once

#include <string>

#include "plan/abi_value.h"

namespace rdylib::plan {

/// The short name ("HashMap", "BTreeSet", "VecDeque", "Rc", "Arc", "Cell",
/// "RefCell", "Mutex", "RwLock") of the std item whose defining path is
/// `std_path`; empty for any other item.
std::string StdGenericName(const std::string& std_path);

/// The std layout fact an Rc or Arc relies on ("Rc<u64>", "Arc<u64>").
std::string SharedFact(const std::string& container);

/// Classifies `t` when it is one of these types (or a reference to one):
/// sets `*handled`, and returns false with `reason` when it does not cross.
/// `*handled` stays false for any other type.
bool ClassifyStdGeneric(const model::Type& t, bool is_return, const TypeNamer& namer, AbiValue* out,
                        std::string* reason, bool* handled);

}  // namespace rdylib::plan
