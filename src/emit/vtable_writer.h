// Writes vtables (plan/vtable.h): the `#[repr(C)]` table on each side, the
// facade's entries over any `D: ?Sized + Trait`, and the shim's proxies that
// implement the library's trait by calling the entries. Reusable by any
// boundary form that hands a consumer value to the library as a trait.
#pragma once

#include <string>

#include "plan/plan.h"
#include "plan/vtable.h"

namespace rdylib::emit {

/// The field of entry `i` in the table: `m{i}_{name}`.
std::string EntryField(const plan::VtablePlan& vt, size_t i);

/// `#[repr(C)] pub(crate) struct Vt<name> { drop, size, align, entries }`,
/// with the facade's (`facade`) or the shim's types. Written inside each
/// side's `rdylib_vt` module, where `Put` names the String hand-back.
std::string VtableStruct(const plan::VtablePlan& vt, bool facade);

/// The facade's side: one generic entry per method over `D: ?Sized +
/// Trait`, drop/size/align, the table constant `Table<name><D>::VT`, and
/// `give_<name>(Box<D>)` / `lend_<name>(&mut *mut D)`, which return the
/// (data, table) pair an argument passes.
std::string FacadeVtableItems(const plan::VtablePlan& vt);

/// The shim's side: `Proxy<name>` (data, table, owned), which implements
/// every trait of `vt.traits` by calling the entries and drops an owned
/// value through the table; and, for each provided method `m` of the
/// trait itself, `Proxy<name>_m`, the same but without `m`, so that the
/// library's default body of `m` runs on it.
std::string ShimProxyItems(const plan::VtablePlan& vt);

/// The proxy type name for default method `method` ("" for the main one).
std::string ProxyName(const plan::VtablePlan& vt, const std::string& method);

}  // namespace rdylib::emit

namespace rdylib::emit {

/// The symbol of a thunk that serves vtable `vt`: `what` is
/// "dyn_<field>" (a method of a library-made trait object), "dyn_drop", or
/// "default_<method>" (a provided method's library body). The layout hash
/// is part of it: a changed trait is not found.
std::string VtableSymbol(const std::string& crate, const plan::VtablePlan& vt, const std::string& what);

}  // namespace rdylib::emit
