// Which public types are unsized: they have no size to measure, and a value
// of one exists only behind a pointer.
#pragma once

#include "model/crate.h"

namespace rdylib::probe {

/// True when `item` (a struct, enum or union of `crate`) is unsized. Two
/// signals: a visible field of an unsized type (`str`, a slice, `dyn Trait`
/// or an unsized type of the crate; only the last field may be one), and,
/// for a private last field, the blanket impls rustdoc's trait solver found
/// for the type: core's `impl<T> From<T> for T` needs `T: Sized` and is
/// listed exactly for sized types, while `Any` and `Borrow` hold for all.
bool IsUnsized(const model::Crate& crate, const model::Item& item);

}  // namespace rdylib::probe
