// Vtables: how a value of one side is used as a library trait by the other.
//
// Contract (docs/ABI.md, "Vtables"). A VtablePlan describes one `#[repr(C)]`
// table of `extern "C"` entries that the facade fills for any consumer type
// implementing the trait (`D: ?Sized + crate::Trait`), and that the shim
// reads through a proxy implementing the library's trait:
//
//   struct Vt { drop, size, align, <one entry per method, in `entries` order> }
//
// - `drop(data) -> *mut WireParked`: drops the value `data` owns (only for
//   owned forms; borrowed forms are never dropped through the table).
// - `size`, `align`: of the consumer's value, as size_of_val/align_of_val.
// - A method entry: `(data, <params as ArgForm slots>, [ret: *mut R,
//   [put]]) -> *mut WireParked`, where `data` is a `*mut c_void` pointing at
//   a `*mut D` (a fat raw pointer the facade keeps alive for the call or the
//   ownership), params are the method's AbiValues in their argument form
//   (shim to facade: the same slots as facade to shim), and a String return
//   is handed back through `put(ret, ptr, len)`, which copies it into the
//   shim's own String. Every entry runs the consumer's code under
//   `rt::callback`: a panic is parked and returned; the shim resumes it with
//   `rt::rethrow`, so no panic unwinds through `extern "C"`.
// - Entries only carry values whose bytes mean the same on both sides in
//   both directions (VtableValue says which); a trait with any other method
//   has no vtable, and the reason names the method.
//
// Reuse: another emitter may instantiate the same table for an erased
// generic `T: Trait` (the shim's proxy is then the `T`); it must take the
// table from the facade's `crate::rdylib_vt::vt_<name>::<D>()` and the proxy
// from the shim's `rdylib_vt::Proxy<name>`, and never lay out its own.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "plan/abi_value.h"
#include "plan/erasure.h"

namespace rdylib::plan {

/// One method of the table.
struct VtableEntry {
  std::string trait_path;  // the trait that declares it (a supertrait's own methods come first)
  std::string name;
  bool mutable_self = false;  // &mut self (else &self)
  bool provided = false;      // the library's trait has a default body
  /// An `unsafe fn`: its entry is called only by an `unsafe fn` (the
  /// proxy's impl, the handle's), whose caller keeps the method's contract.
  bool is_unsafe = false;
  std::vector<std::pair<std::string, AbiValue>> params;  // name, value
  AbiValue ret;
  /// The method as the facade's and the shim's trait declare it, without
  /// body: `fn area(&self) -> f64`, with facade and `target_crate` paths.
  std::string facade_signature;
  std::string shim_signature;
  /// A generic method (`fn walk<F: FnMut(u32)>(&self, f: F)`): each type
  /// parameter is a closure the library hands over for the call, in the
  /// form of a closure it returns (ErasedMode::kReturned: the shim's table,
  /// the facade's handle); its param's value is that kErased value.
  std::vector<ErasedParam> erased;
  /// A provided generic method: the parameters of its `default_` thunk, the
  /// other way (the facade's default body erases the consumer's closures for
  /// the library's default, as for a generic function), and those closures.
  std::vector<std::pair<std::string, AbiValue>> default_params;
  std::vector<ErasedParam> default_erased;
  /// `where Self: Sized` (a trait that is not dyn-compatible): only a sized
  /// implementor's table can call it. The facade writes a second table for
  /// `?Sized` ones, whose entry for it the library cannot reach (docs/ABI.md).
  bool self_sized = false;
};

struct VtablePlan {
  std::string trait_path;   // the library trait, e.g. "traits_lib::Shape"
  std::string name;         // Rust identifier part: "traits_lib__Shape"
  /// The trait and its supertraits of the crate, supertraits first: the
  /// shim's proxy and the facade's handle implement each one.
  std::vector<std::string> traits;
  /// Those of `traits` that are `unsafe trait`s: the proxy's and the
  /// handle's impls are `unsafe impl`, forwarding the implementor's promise.
  std::vector<std::string> unsafe_traits;
  std::vector<VtableEntry> entries;
  /// Provided methods the facade does not declare and no library impl
  /// overrides (`Trait::method`): the proxy leaves them to the library's
  /// default, which is what a consumer type has, since it cannot override them.
  std::vector<std::string> library_defaults;
  /// The std supertraits the proxy and the handle implement by calling back
  /// (`StdSupertraitEntry` gives each one's table field): "Debug",
  /// "Display", "Clone", "PartialEq", "Eq" (a marker: no field),
  /// "PartialOrd", "Ord", "Hash", the trait's own and its crate
  /// supertraits', first seen first (a comparison's own supertraits before
  /// it: PartialEq before Eq and PartialOrd), and "TypeId", the identity
  /// entry of a table whose comparisons check the other operand's type
  /// (docs/ABI.md, "Vtables"). Their entries come after `entries`.
  std::vector<std::string> std_supertraits;
  /// The trait or a crate supertrait is bounded by `'static`: every
  /// implementor is 'static, so comparisons check identity (`TypeId`).
  bool implies_static = false;
  /// False for a trait that is not dyn-compatible: the table serves generic
  /// parameters only; no `dyn` forms, handles or `dyn_*` thunks are written.
  bool dyn_compatible = true;
  /// The canonical text of the layout, and its hash: part of every symbol
  /// that passes this table, and of the trait's load check.
  std::string layout_text;
  std::string hash;
  /// An instance of a generic trait or of one with associated types, as a
  /// use site names it (`dyn Handler<Event>`, `T: Feed<Item = u32>`): one
  /// table per instance (docs/ABI.md, "Vtables"). `instance` is its
  /// canonical text with resolved paths (`traits_lib::Feed<Item = u32>`),
  /// empty for a plain trait. The arguments of `trait_path` on each side,
  /// as a bound or `dyn` (`<Item = u32>`) and in an impl header
  /// (`<crate::Event>`), and the impls' associated types (`type Item = u32;`).
  std::string instance;
  std::string facade_args, shim_args;
  std::string facade_impl_args, shim_impl_args;
  std::vector<std::string> facade_assoc, shim_assoc;
};

/// The reason a generic trait, or one with associated types, has no table
/// of its own: each instance the API names gets one.
inline constexpr char kVtablePerInstance[] =
    "a generic trait or one with associated types has a vtable per instance that the API names (`dyn "
    "Trait<Args>`, `dyn Trait<Item = X>`, `T: Trait<Args>`), not one of its own";

/// Replaces, in `t`, each type parameter named in `subst` (`E`) and each
/// `Self::Name` associated type (keyed "Self::Name") by its type there.
void SubstituteVtableArgs(const std::map<std::string, model::Type>& subst, model::Type* t);

/// SubstituteVtableArgs in the bounds of `generics`' parameters and where
/// clauses (a generic method's `F: FnMut(&Self::Item)` becomes
/// `F: FnMut(&u32)`).
void SubstituteVtableArgsInBounds(const std::map<std::string, model::Type>& subst, model::Generics* generics);

/// Trait `trait` of `vt` (its own or a supertrait) as each side names it:
/// `crate::Feed<Item = u32>` (`bound`: as a bound or `dyn`) or
/// `target_crate::Handler<target_crate::Event>` (an impl header).
std::string VtableTraitName(const VtablePlan& vt, const std::string& trait, bool facade, bool bound);

/// The qualified call path of method `method` of trait `trait` for type
/// `self_type`: `crate::Shape::area` for a plain trait, `<D as
/// crate::Handler<crate::Event>>::handle` for an instance's own.
std::string VtableMethodPath(const VtablePlan& vt, const std::string& trait, const std::string& self_type,
                             const std::string& method, bool facade);

/// True when a value of this form may be a parameter (`is_return` false) or
/// the return of a vtable entry; else false with `why`.
bool VtableValue(const AbiValue& v, bool is_return, std::string* why);

/// The table field of a std supertrait's entry ("Debug" -> "std_fmt_debug"):
/// `(data, flags: *const WireFlags, ret, put)`, which formats the consumer's
/// value with the caller's flags and hands the text back through `put`;
/// "Clone" -> "std_clone": `(data, ret: *mut *mut c_void)`, which clones the
/// consumer's value and writes the new value's `data`, owned as a given box;
/// "PartialEq" -> "std_eq", "PartialOrd" -> "std_partial_cmp", "Ord" ->
/// "std_cmp": `(data, other, other_vt, ret)`, comparing with `other`, a
/// value of the same consumer type (checked through `other_vt`'s identity
/// entry when the table has one); "Hash" -> "std_hash": `(data, state,
/// write)`, which hashes into the library's Hasher through `write`;
/// "TypeId" -> "std_type_id": `(ret)`, the consumer type's TypeId; "Eq"
/// (a marker) -> "".
std::string StdSupertraitEntry(const std::string& trait);

/// Adds std supertrait `name` to `list` unless there, after the ones it
/// implies (`Ord`: PartialEq, Eq, PartialOrd): the table's order is canonical.
void AddStdSupertrait(const std::string& name, std::vector<std::string>* list);

/// True when `list` has a comparison entry ("PartialEq" and what implies it).
bool ComparesValues(const std::vector<std::string>& list);

/// Whether the proxy implements the std supertrait `std_path` (e.g.
/// "core::fmt::Debug") by calling back: true with its short name in `name`
/// ("Debug"), or for a marker that needs nothing (`name` empty); false with
/// the exact reason it cannot in `why`.
bool StdSupertrait(const std::string& std_path, std::string* name, std::string* why);

/// The canonical layout text of `vt` (fills layout_text and hash).
void AssignVtableLayout(VtablePlan* vt);

}  // namespace rdylib::plan
