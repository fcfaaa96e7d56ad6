// The self value of a library trait's method in an impl for a std type
// other than primitives, str and slices (`impl Replacer for String`,
// `for &'a String`, `for Cow<'a, str>`): which receivers cross and how.
#pragma once

#include <string>

#include "model/types.h"
#include "plan/abi_value.h"

namespace rdylib::plan {

/// Classifies the receiver `&self` (`receiver_mut` false) or `&mut self` of
/// a method whose Self is `self_type` into a kStdSelf value, when Self is
/// `String`, `Vec<u8>`, `Cow<str>`, `Cow<[u8]>` or a shared reference to one
/// of them or to `str`/`[u8]` (docs/ABI.md, "Traits"). The value crosses as
/// a view of its bytes; the shim rebuilds the library's own value. Returns
/// false with `why` when the receiver does not cross that way (other forms,
/// such as `&mut self` of `String`, are left to Classify).
bool ClassifyStdSelf(const model::Type& self_type, bool receiver_mut, const TypeNamer& namer, AbiValue* out,
                     std::string* why);

/// True when `self_type` is one of the std types ClassifyStdSelf knows, or
/// a reference to one: an impl for it may cross.
bool StdSelfContainer(const model::Type& self_type, const TypeNamer& namer);

/// After a std-self method is lowered: a return that borrows from a self the
/// library rebuilt for the call (`rebuilt`) would borrow from a temporary.
/// A `Cow` (also in an Option) is then handed back owned (`copy_borrowed`);
/// any other borrowing return is refused with `why`.
bool SettleStdSelfReturn(AbiValue* ret, bool rebuilt, std::string* why);

}  // namespace rdylib::plan
