// How one parameter or return value crosses the boundary: its kind, the
// types it names, and its wire type (emit/boundary_form.h writes the rest).
#pragma once

#include <string>
#include <vector>

#include "model/types.h"

namespace rdylib::plan {

/// Names the crate's pinned types on each side: `target_crate::math::Vec3` in
/// the shim, `crate::math::Vec3` in the facade. Empty when not pinned.
class TypeNamer {
 public:
  virtual ~TypeNamer() = default;
  virtual std::string ShimName(model::ItemId id) const = 0;
  virtual std::string FacadeName(model::ItemId id) const = 0;
  /// For enums with data that cross as a wire form: the mangled name that
  /// their wire type and conversions are named after; empty otherwise.
  virtual std::string EnumWireName(model::ItemId id) const { (void)id; return ""; }
  /// The defining path of an item of std, core or alloc (e.g.
  /// "alloc::vec::Vec"); empty for any other crate's item, so that a
  /// crate's own `Vec` or `Error` is never taken for std's.
  virtual std::string StdPath(model::ItemId id) const { (void)id; return ""; }
  /// A library trait with a vtable, as `trait` names it with its arguments
  /// (`Handler<Event>`, `Feed<Item = u32>`: an instance's own table): its
  /// vtable's name and layout hash and the trait's path on each side, with
  /// those arguments. False for any other trait, with the reason in `why`
  /// when there is a particular one (an unbound associated type).
  virtual bool DynTrait(const model::Path& trait, std::string* vtable, std::string* hash, std::string* shim_path,
                        std::string* facade_path, std::string* why) const {
    (void)trait, (void)vtable, (void)hash, (void)shim_path, (void)facade_path, (void)why;
    return false;
  }
  /// Table `vtable` (DynTrait's), extended with entries for the std traits
  /// `extra` ("Debug", "Display") that a use site bounds besides the trait
  /// (`R: Replacer + Display`): that use's own table (made on first use),
  /// its layout hash and the bound on each side. False with `why` if not.
  virtual bool ExtendedVtable(const std::string& vtable, const std::vector<std::string>& extra, std::string* out,
                              std::string* hash, std::string* shim_path, std::string* facade_path,
                              std::string* why) const {
    (void)vtable, (void)extra, (void)out, (void)hash, (void)shim_path, (void)facade_path;
    *why = "no table extends another here";
    return false;
  }
  /// A library trait with a vtable: the std supertraits its proxy
  /// implements by calling back ("Debug", "Display", "Clone").
  virtual std::vector<std::string> DynStdSupertraits(model::ItemId id) const {
    (void)id;
    return {};
  }
  /// For a dependency's type that does not cross: why, naming the
  /// dependency's item; empty otherwise.
  virtual std::string ForeignReason(model::ItemId id) const { (void)id; return ""; }
  /// A public type alias without parameters that the facade declares too
  /// (`pub type c_int = i32;`): the type it stands for; null otherwise.
  virtual const model::Type* AliasOf(model::ItemId id) const { (void)id; return nullptr; }
  /// Whether the facade implements std's `trait` ("Hash", "Eq", "Ord") for
  /// the crate's type `id` with the library's results (derived alike or
  /// forwarded), as a rebuilt HashSet or BTreeSet of it needs.
  virtual bool ImplementsStd(model::ItemId id, const std::string& trait) const {
    (void)id, (void)trait;
    return false;
  }
};

/// One value crossing the boundary.
struct AbiValue {
  enum class Kind {
    kUnit,
    kScalar,   // integers, floats, bool: by value (128-bit: by pointer)
    kChar,     // as u32
    kStr,      // &str: pointer and length, borrowed
    kString,   // String: copied (returns only; arguments cross as &str)
    kRef,      // &T or &mut T of a pinned type: a pointer to the same bytes
    kValue,    // T of a pinned type: its bytes, moved
    kOption,   // Option<X>: WireOption
    kResult,   // Result<X, E>: WireResult
    kEnum,     // an enum with data: converted to and from its wire struct
    kSlice,    // &[T] or &mut [T] of scalars or pinned types: pointer and length
    kTuple,    // (A, B) or (A, B, C): WireTuple2/3
    kVec,      // Vec<T>: elements copied out, the buffer freed by its maker
    kBox,      // Box<T>: the value moved out, the box freed by its maker
    kCowStr,   // Cow<str>: borrowed stays borrowed, owned is copied (returns)
    kDynError, // Box<dyn Error + Send + Sync>: its text and sources (returns)
    kErased,   // an erased type parameter or closure: a data pointer and its
               // table (plan/erasure.h); wire_name names the table
    /// `impl Iterator<Item = X>` (returns): the library's iterator, boxed,
    /// with its functions; each item crosses in X's return form (children[0]).
    kIter,
    /// `&mut String`, `&mut Vec<T>` of scalars (children[0]; none for a
    /// String), arguments only: the contents are copied in for the call and
    /// written back through the caller's setter when it ends, even by a panic.
    kBufferMut,
    /// Box<dyn Trait> of a library trait with a vtable (plan/vtable.h): as
    /// an argument, the consumer's value and its vtable, owned by the
    /// library's proxy; as a return, a handle to the library's box.
    kDynBox,
    kDynRef,   // &dyn Trait, &mut dyn Trait (arguments): a borrowed value and its vtable
    /// The receiver of a trait method in an impl for String, Vec<u8>,
    /// Cow<str>, Cow<[u8]> or a reference to one (or to str, [u8]):
    /// a view of the bytes, rebuilt by the shim (plan/std_self.h).
    kStdSelf,
    /// One of std's small error or category types (ParseIntError,
    /// FpCategory, ...): a one-byte code of its kind, rebuilt by the
    /// receiver's std (runtime/wire.rs, `std_wire!`); wire_name names the
    /// conversions (`to_wire_<wire_name>`), facade_type is its public path.
    kStdWire,
    /// HashMap, BTreeMap, HashSet, BTreeSet, VecDeque (`container`; the
    /// elements' forms in children: key and value, or the element): drained
    /// into a Vec of their elements' forms and rebuilt on the other side
    /// (plan/std_generic.h); `lent` for a `&` parameter, which the library
    /// gets as a rebuilt copy.
    kCollection,
    /// Rc<T> or Arc<T> (`container`; T in children[0]): the one allocation,
    /// handed over by into_raw/from_raw, relying on the std fact of its
    /// counts' place (`std_fact`).
    kShared,
    /// Cell, RefCell, Mutex or RwLock by value (`container`; T in
    /// children[0]): moved out with into_inner, crossed in T's form and
    /// rebuilt; a Mutex's or RwLock's poison crosses as a flag and is set
    /// again on the other side.
    kCellValue,
  };
  Kind kind = Kind::kUnit;
  std::string scalar;      // kScalar: the primitive
  bool is_mutable = false; // kRef
  std::string shim_type;   // kRef/kValue: the pinned type's path in the shim
  std::string facade_type; // ... and in the facade
  std::string wire_name;   // kEnum: names WireX, to_wire_X, from_wire_X
  /// kRef, kValue, kEnum of one of the crate's types: its item id, which
  /// the fingerprints resolve to the type's full shape.
  model::ItemId type_id = model::kNoId;
  /// kValue of a std type shared in place (a `String` in a `&[String]`):
  /// the std layout fact it relies on, which the facade checks at load.
  std::string std_fact;
  std::string array_len;   // kValue of an array: its length; children[0] is the element
  std::vector<AbiValue> children;  // kOption: 1, kResult: 2, kTuple: 2-3, arrays: 1
  /// kDynBox, kDynRef: the vtable's layout hash (wire_name names the
  /// vtable; shim_type and facade_type are the `dyn Trait + Send` types).
  std::string dyn_hash;
  /// kDynBox: an `impl Trait` return; the facade returns the handle itself.
  bool impl_trait = false;
  /// kDynRef parameter `&'static dyn Trait`: the library may keep it for
  /// the rest of the program (log's `set_logger`), so the facade interns the
  /// value's pointer and the shim its proxy, each in a cell that is never
  /// freed (one per distinct value): the value itself lives that long.
  bool static_borrow = false;
  /// kDynRef "generic": the parameter is `?Sized`; the facade lends it with
  /// the table for unsized implementors (plan/vtable.h, VtableEntry::self_sized).
  bool maybe_unsized = false;
  /// kErased: how the value is handed over ("owned", "copied", "ref",
  /// "ref_mut", "boxed") and the canonical text of its bounds' forms.
  /// kDynBox, kDynRef: "generic" for a type parameter bounded by the trait
  /// (`R: Replacer`, `&R`, `impl Replacer`): the shim passes the proxy
  /// itself, not a `Box<dyn ..>` or `&dyn ..` of it.
  std::string erased_mode;
  std::string erased_text;
  /// kStdSelf: what Self is ("slice": str or [u8]; "owned": String or
  /// Vec<u8>; "cow": Cow<str> or Cow<[u8]>), and whether Self is a shared
  /// reference to it; `scalar` is "str" or "u8", `is_mutable` the receiver.
  std::string self_container;
  bool self_through_ref = false;
  /// kCowStr returns: a Borrowed value is handed back Owned (a copy), since
  /// it may borrow from a temporary the call ends (plan/std_self.h).
  bool copy_borrowed = false;
  /// kCollection, kShared: std's type, by its short name ("HashMap", "Arc").
  std::string container;
  /// kCollection: a `&` parameter, lent as a slice and rebuilt for the call.
  bool lent = false;

  /// The Rust type at the boundary, for the shim (`facade` false) or the
  /// facade; the same layout on both sides.
  std::string WireType(bool facade) const;
  /// True when the value costs a conversion (not just a copy of bytes).
  bool IsConverted() const;
  /// True when the value borrows from something (a reference, &str, a
  /// slice, a borrowed Cow), here or in a child.
  bool Borrows() const;
  /// True when the value, or a part of it, is a consumer's trait object lent
  /// for the call only (`&dyn Trait`, `Option<&dyn Trait>`, `&[Box<dyn
  /// Trait>]`): its proxy lives on the thunk's stack.
  bool LendsProxies() const;
};

/// For a std type that crosses as kStdWire, given by its defining path
/// (`core::num::error::ParseIntError`): its wire name
/// (`parse_int_error`) and public path; false for any other.
bool StdWireType(const std::string& std_path, std::string* wire_name, std::string* public_path);

/// Classifies `t` as a return value (`is_return`) or an argument. Returns
/// false with `reason` set when it cannot cross yet.
bool Classify(const model::Type& t, bool is_return, const TypeNamer& namer,
              AbiValue* out, std::string* reason);

}  // namespace rdylib::plan
