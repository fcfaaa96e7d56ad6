// The plan stage: lowers the public API to the ABI. Every type gets a
// shape, every callable a thunk made of boundary-safe values, and every API
// item a status with its reason.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "api/public_api.h"
#include "model/crate.h"
#include "plan/abi_value.h"
#include "plan/vtable.h"
#include "plan/erasure.h"
#include "probe/layout.h"

namespace rdylib::plan {

/// The ABI version every symbol and the manifest carry.
inline constexpr int kAbiVersion = 1;

struct FieldPlan {
  std::string name;
  uint64_t offset = 0;
  uint64_t size = 0;
  uint64_t align = 1;
  std::string facade_type;
  bool needs_drop = false;  // the field's type has drop glue
  size_t status = 0;        // its entry in Plan::statuses
  /// A std field of a type whose drop runs in the library: after that drop
  /// the facade overwrites it with this value, which owns nothing, so the
  /// facade's own drop glue frees nothing twice. E.g. `String::new()`.
  std::string emptied;
  /// A tuple field: the measured offset in the struct of each part
  /// ("pair.0", ...), which the facade asserts at compile time.
  std::vector<std::pair<std::string, uint64_t>> parts;
  /// The crate's types its type names (`Vec<Point>` names Point): their
  /// shapes are part of this one's fingerprint.
  std::vector<model::ItemId> mentions;
};

/// One field of a variant of an enum with data.
struct VariantField {
  std::string name;  // "0", "1", ... for tuple variants
  AbiValue value;    // kScalar, kChar, kValue, kString or kEnum
};

struct VariantPlan {
  enum class Kind { kPlain, kTuple, kStruct };
  std::string name;
  Kind kind = Kind::kPlain;
  std::vector<VariantField> fields;
};

/// A pinned type: the facade holds a repr(C) image with the measured size
/// and alignment and the public fields at their measured offsets.
struct TypePlan {
  /// kDataEnum is not pinned: the facade declares its own enum and values
  /// cross as a wire struct (see docs/ABI.md).
  enum class Shape { kStruct, kTupleStruct, kUnitStruct, kEnum, kDataEnum };
  model::ItemId id = model::kNoId;
  std::string path;    // canonical public path
  std::string module;  // its module's path
  std::string name;
  /// Lifetime parameters (the only generics a pinned type may have): as
  /// declared (`<'r, 't: 'r>`), as arguments (`<'r, 't>`), and each name.
  std::string lifetime_params;
  std::string lifetime_args;
  std::vector<std::string> lifetimes;
  Shape shape = Shape::kStruct;
  uint64_t size = 0;
  uint64_t align = 0;
  bool needs_drop = false;
  /// No UnsafeCell in its own bytes (measured). Otherwise the facade's
  /// opaque bytes are UnsafeCell, so that a `&self` call may write them.
  bool freeze = true;
  bool sync = true;  // the library type is Sync
  bool is_copy = false;
  bool non_exhaustive = false;
  /// An enum with hidden variants: pinned as an opaque struct (kStruct).
  bool opaque_enum = false;
  bool all_fields_cross = false;  // no private or hidden fields
  /// The fields in offset order, laid out as repr(C) lays them out, land at
  /// the measured offsets: the facade needs no opaque padding members.
  bool natural_layout = false;
  std::vector<FieldPlan> fields;  // by offset
  /// Fieldless enums: name and tag. A zero-sized one (a single variant, no
  /// repr) has no tag bytes: its tag is the discriminant as written, or "".
  std::vector<std::pair<std::string, std::string>> variants;
  /// kEnum with a tag: its integer type, `u8` or, where the library's is
  /// signed, `i8` (and the tags above are then signed values).
  std::string tag_repr;
  /// PhantomData type that removes auto traits the library type lacks.
  std::string marker;
  /// Forwarded std traits, by short name: Clone, Debug, Display, ...
  std::vector<std::string> traits;
  std::string attrs;  // #[must_use], #[deprecated] as written in the facade
  /// The facade forwards Drop to the library (else field drops suffice).
  bool forward_drop = false;
  /// kDataEnum: the variants and the wire name. Any shape: the traits the
  /// library derives that the facade derives too.
  std::vector<VariantPlan> data_variants;
  std::string wire_name;
  std::vector<std::string> derives;
  bool supported = true;  // false: a data enum whose fields cannot cross
  /// The library's Error impl writes source(): the facade forwards it.
  bool error_source = false;
  /// Everything the facade relies on, as canonical text (` | `-separated
  /// clauses), and the hash of it and of the shapes of the types it names
  /// (see plan/fingerprint.h).
  std::string shape_text;
  std::string shape_hash;
};

struct ParamPlan {
  std::string name;
  AbiValue value;
  /// The shim passes `&value` (a trait method's `&self` of a std type that
  /// crosses by value, such as `&self` of `&'a str`).
  bool shim_borrow = false;
};

struct FunctionPlan {
  enum class Receiver { kNone, kRef, kRefMut, kValue };
  std::string path;          // public path of the function or method
  int owner = -1;            // index into Plan::types for methods
  std::string module;        // for free functions
  std::string name;
  Receiver receiver = Receiver::kNone;
  std::vector<ParamPlan> params;
  AbiValue ret;
  std::string facade_signature;  // "pub fn parse(text: &str) -> Result<..>"
  std::string attrs;
  std::string symbol;
  /// For trait impls forwarded as one function (From): the facade's impl
  /// header, e.g. "impl core::convert::From<crate::Level> for u8", and the
  /// shim's callee, e.g. "<u8 as core::convert::From<target_crate::Level>>::from".
  std::string impl_header;
  std::string impl_items;  // other items of that impl, e.g. "type Err = crate::Error;"
  std::string shim_callee;
  /// Its erased type parameters and closures (plan/erasure.h), each the
  /// kErased value of one or more params.
  std::vector<ErasedParam> erased;
  /// A trait method of a std type (`impl WidthExt for str`): the facade's
  /// statement that binds `self` to the parameter `this`, e.g.
  /// `let this: &str = self;`.
  std::string self_binding;
};

/// A constant the facade defines itself: a literal, or the measured bytes of
/// a pinned type's value (which hold no pointer).
struct ConstPlan {
  std::string path;
  int owner = -1;      // index into Plan::types for associated consts
  std::string module;  // for free constants
  std::string name;
  std::string facade_type;
  std::string value;   // a Rust constant expression
};

/// A `pub static`. Copy values without interior mutability are copied into
/// the facade like constants (`value` set); any other is the library's own
/// object, reached through a thunk that returns its address (`symbol` set).
struct StaticPlan {
  std::string path;
  std::string module;
  std::string name;
  std::string facade_type;
  std::string shim_type;
  std::string value;
  std::string symbol;
  /// The library's own object: its type's boundary form (kValue of a
  /// pinned type; kUnit for an atomic, named by facade_type).
  AbiValue value_form;
};

/// A macro_rules! macro, copied from the crate's source: it expands in the
/// consumer, where `$crate` names the facade.
struct MacroPlan {
  std::string path;
  std::string source;  // `macro_rules! name { ... }`
};

/// A type alias, written with the facade's paths.
struct AliasPlan {
  std::string path;
  std::string module;
  std::string declaration;  // `pub type Name<T> = ...;`
};

/// One item the facade checks at load: the library must have the same
/// canonical text for it (a type's shape, a constant's value).
struct ShapeCheck {
  std::string path;
  std::string text;
};

/// One method of a library trait as the facade declares it.
struct TraitMethodPlan {
  std::string name;
  std::string declaration;  // `fn area(&self) -> f64` (facade paths, no body)
  std::string attrs;        // #[must_use], #[deprecated]
  bool provided = false;    // the library's trait has a default body
  /// False: not declared in the facade (its signature cannot cross);
  /// `reason` says why and the report names it.
  bool declared = true;
  std::string reason;
  /// A provided method of a trait without a vtable: the library's default
  /// body (`{ ... }`, as written) that the facade declares as the method's
  /// default, so consumer impls that do not override it run the library's
  /// code, compiled for their own type. `body_from` is its "file:line". It
  /// stays only when the facade with it compiles (build/check_defaults.h).
  std::string copied_body;
  std::string body_from;
};

/// A generic function that neither erasure nor a closed set covers, whose
/// body the facade copies from the library's source, as a default body is
/// (plan_copied_defaults.cc): the consumer's rustc compiles it for the
/// consumer's own types, as natively. Kept only when the facade compiles it
/// to the library's own MIR (driver/copied_defaults.h).
struct CopiedFunctionPlan {
  std::string path;
  std::string module;
  std::string attrs;        // #[must_use], #[deprecated]
  std::string declaration;  // `pub fn first<T: Clone>(items: &[T]) -> Option<T>` (facade paths)
  std::string body;         // `{ ... }` as written; empty once dropped
  std::string body_from;    // "src/lib.rs:12"
  std::string fallback;     // the report's reason if it is not kept
};

/// An impl of a copied generic type, as the library wrote it.
struct CopiedImplPlan {
  std::string text;  // `impl<T: Sync> Lazy<T> { ... }`, from its source span
  std::string from;  // "src/inline_lazy.rs:21"
  std::string file;  // the library's source file, absolute, and the impl's
  uint32_t line = 0;  // first line: rustc's MIR names its functions by them
};

/// A generic struct or enum of the crate that the facade carries as the
/// library wrote it, with its impls, so the consumer's rustc compiles it
/// for the consumer's own types (docs/ABI.md, "Copied generic types"). It
/// never crosses the boundary: no item the library forwards names it.
struct CopiedTypePlan {
  std::string path;    // canonical, `lazy_static::lazy::Lazy`
  std::string name;
  std::string host;    // the facade module its copy is in
  std::string copied_module;  // that module's `mod rdylib_copied_<library module>`
  std::string derives;     // `#[derive(Clone, Debug)]\n`, from its derived impls
  std::string definition;  // `pub struct Lazy<T: Sync>(Cell<Option<T>>, Once);`
  std::string from;        // "src/inline_lazy.rs:19"
  std::vector<CopiedImplPlan> impls;
  /// The report's entries it carries: itself, its fields, variants,
  /// methods, associated items and impls.
  std::vector<std::string> members;
  /// Those of them (kind, path) the report lists only because the type is
  /// copied (its impls): a dropped copy takes them out again, as the report
  /// lists no impls of a type that does not cross.
  std::vector<std::pair<std::string, std::string>> listed_by_copy;
  /// Why the copy is not kept; empty while it is.
  std::string dropped;
};

/// A `mod rdylib_copied_<library module>` of one facade module: the
/// library module's own `use` and `extern crate` items, so copied code names
/// what it did there.
struct CopiedModulePlan {
  std::string host;  // facade module path, `lazy_static::lazy`
  std::string name;  // `rdylib_copied_lazy` (`rdylib_copied` for the root)
  /// The library's module they come from, inside the crate (`lazy`; "" for
  /// the root): its `extern crate` items name crates in the library's MIR.
  std::string from_module;
  std::vector<std::string> imports;  // statements, attributes included; "" once dropped
};

/// A public trait of the crate, declared by the facade at the same path
/// (plan/plan_traits.cc). Its impls are FunctionPlans with an impl_header.
struct TraitPlan {
  model::ItemId id = model::kNoId;
  std::string path;
  std::string module;
  std::string name;
  /// `pub unsafe trait Name<'a, T: Bound>: crate::Super where T: Clone`
  std::string header;
  std::string attrs;
  /// `type Corner: Copy;`, `const SIDES: u32;`, `const LABEL: &'static str = "x";`
  std::vector<std::string> assoc_items;
  std::vector<TraitMethodPlan> methods;
  bool supported = true;
  /// Its vtable in Plan::vtables (consumer values cross as `dyn Trait`,
  /// provided methods get default bodies that run the library's), or -1
  /// with `vtable_reason`.
  int vtable = -1;
  std::string vtable_reason;
  /// The crate's traits its declaration names (supertraits, bounds, `dyn`).
  std::vector<model::ItemId> uses;
  /// A private marker supertrait seals it in the library: the facade seals
  /// it with its own marker, `crate::rdylib_sealed::<name>`, implemented
  /// for exactly the library's impls that cross (docs/ABI.md, "Closed sets").
  bool sealed = false;
  /// Everything the facade relies on (the declaration), and its hash: part
  /// of the load checks and of every impl thunk's symbol.
  std::string shape_text;
  std::string shape_hash;
  /// The self types (as the facade writes them: `i32`, `crate::Point`) of
  /// the library's impls of it that cross, sorted.
  std::vector<std::string> impl_self_types;
};

/// A generic item instantiated once per type of a closed set (docs/ABI.md,
/// "Closed sets", plan/closed_set.h). The facade keeps the generic
/// signature; its body calls a hidden method of the library trait
/// `trait_path`, which the facade's impls of that trait for the set's types
/// override to call their own thunk (FunctionPlans with that impl's header).
struct ClosedSetPlan {
  std::string path;    // the generic function, method or `<T as Trait>` impl
  int owner = -1;      // a method: index into Plan::types
  std::string module;  // a free function: its module
  /// A blanket impl: its facade header (its methods are `functions`).
  std::string impl_header;
  /// Each generic function of it as the facade writes it: attributes and
  /// signature, and the body (the dispatching call).
  std::vector<std::pair<std::string, std::string>> functions;
  std::string trait_path;  // the trait whose hidden methods dispatch
  /// Those hidden methods, whole (`#[doc(hidden)] fn ..(..) where Self: Sized { panic!(..) }`).
  std::vector<std::string> hidden_methods;
  /// "instantiated for i8, i32 (the closed set of T: lib::Number)": the
  /// report's reason and the load check's text.
  std::string text;
  /// Several closed parameters: the dispatch goes on through the later
  /// parameters' traits. Their hidden methods (trait path, whole method),
  /// and the methods of the facade's impls of the earlier parameters'
  /// traits that pass the call on (impl header, its other items, method).
  std::vector<std::pair<std::string, std::string>> more_hidden_methods;
  struct ImplMethod {
    std::string impl_header;
    std::string impl_items;
    std::string method;
  };
  std::vector<ImplMethod> impl_methods;
};

/// A dependency crate whose types the public API names: its facade and shim
/// sit beside this crate's in dist/, over this crate's library
/// (docs/ABI.md, "Dependency facades").
struct DepLink {
  std::string crate;    // its library crate name, e.g. "regex"
  std::string package;  // its package name
  std::string version;
};

/// A dependency's type that this crate's API names, as the dependency's own
/// plan lowered it. `id` is the type's id in this crate's rustdoc.
struct ForeignType {
  model::ItemId id = model::kNoId;
  std::string crate;        // the dependency, e.g. "regex"
  std::string version;
  std::string path;         // canonical path in the dependency: "regex::Error"
  std::string shim_name;    // "rdylib_dep_regex::target_crate::Error"
  std::string facade_name;  // "::regex::Error"
  /// A data enum: this crate's alias of the dependency's wire form
  /// (`Wire<wire_name>`), and the dependency's own name for it.
  std::string wire_name;
  std::string dep_wire_name;
  bool supported = false;  // pinned or converted by the dependency's plan
  std::string reason;      // else why not, from the dependency's report
  bool is_enum = false;
  uint64_t size = 0;
  uint64_t align = 0;
  bool needs_drop = false;
  bool is_copy = false;
  std::string shape_text;
  std::string shape_hash;
  /// A trait of the dependency (a supertrait or bound of the crate's API):
  /// the facade names it by facade_name and the shim by shim_name; the
  /// self types (as this crate's facade writes them) of the dependency's
  /// impls of it that cross, which the crate's impls may rely on.
  bool is_trait = false;
  std::vector<std::string> impl_self_types;
  /// A trait that crosses, for the crate's own impls of it: its supertraits
  /// and generics, and its associated items, with ids moved into this
  /// crate's numbering (plan/id_translate.h); the dependency's plan of its
  /// methods. `trait_items_missing` names, per item that could not be
  /// moved, the item it names that this crate's rustdoc does not list.
  model::Trait trait_decl;
  std::string trait_decl_missing;
  std::vector<model::Item> trait_items;
  std::map<std::string, std::string> trait_items_missing;
  std::vector<TraitMethodPlan> trait_methods;
  std::vector<std::string> trait_assoc_items;
};

/// What became of one API item, for the report.
struct ItemStatus {
  std::string kind;
  std::string path;
  std::string status;  // exported, converted, unsupported
  std::string reason;
  bool hidden = false;  // #[doc(hidden)] in the public API (every entry at this path is)
};

struct Plan {
  std::string crate_name;
  std::string crate_version;
  std::string rustc_version;
  std::vector<TypePlan> types;          // by path
  std::vector<TraitPlan> traits;        // by path
  std::vector<VtablePlan> vtables;      // supertraits before their subtraits
  std::vector<FunctionPlan> functions;  // by path
  std::vector<ClosedSetPlan> closed_sets;  // generic items per closed set
  /// The facade's sealing markers (`rdylib_sealed::private__Sealed`), by name.
  std::vector<std::string> sealing_traits;
  std::vector<CopiedFunctionPlan> copied_functions;  // by path
  std::vector<CopiedTypePlan> copied_types;          // by path
  std::vector<CopiedModulePlan> copied_modules;      // by host
  std::vector<ConstPlan> consts;        // by path
  std::vector<StaticPlan> statics;      // by path
  std::vector<MacroPlan> macros;        // by path
  std::vector<AliasPlan> aliases;       // by path
  std::vector<std::string> modules;     // public modules, by path
  std::vector<std::pair<std::string, std::string>> reexports;  // alias, canonical
  /// `pub use` of std, core or alloc items (`lazy_static::__Deref`): the
  /// alias path and the public std path it names (`core::ops::Deref`), or
  /// the std module of a glob (`alias` then ends in `::*`). The consumer's
  /// std item is the one a native build would name too.
  std::vector<std::pair<std::string, std::string>> std_reexports;  // alias, std path
  /// Forwarded trait impls with no method to forward (FusedIterator, ...):
  /// the impl header and its associated items.
  std::vector<std::pair<std::string, std::string>> empty_impls;
  std::vector<ItemStatus> statuses;     // every API entry, by path
  std::vector<ShapeCheck> checks;       // by path
  /// The std layout facts the facade relies on (fact, item that relies on
  /// it): only these are compared with the consumer's std at load.
  std::vector<std::pair<std::string, std::string>> std_facts;  // sorted, unique
  /// Items whose Rc or Arc allocation changes hands: like a public String
  /// field, they need one allocator on both sides (sorted, unique).
  std::vector<std::string> shared_allocations;

  /// A dependency's plan: the crate whose library holds its thunks (its
  /// dist directory and RDYLIB_<CRATE>_LIB), else empty.
  std::string host_crate;
  /// The dependencies whose facades this one uses, and the types of theirs
  /// it names (sorted by crate, by id).
  std::vector<DepLink> deps;
  std::vector<ForeignType> foreign_types;

  /// `rdylib_v1_<crate>`; for a dependency's plan also its version
  /// (`rdylib_v1_regex_1_7_1`), so two crates' shims never clash.
  std::string SymbolPrefix() const;

  /// The symbol of a trait forwarding thunk, e.g. for ("engine::Vec3", "clone").
  std::string TraitSymbol(const TypePlan& t, const std::string& what) const;
};

/// `<'static, 'static>` for a type with two lifetime parameters, "" for
/// none: the shim names pinned types so, since lifetimes mean nothing at the
/// boundary.
std::string StaticLifetimes(const TypePlan& t);

Plan MakePlan(const model::Crate& crate, const api::PublicApi& api,
              const probe::Layouts& layouts);
/// The same, naming the dependencies' types in `foreign` (plan/plan_deps.h).
Plan MakePlan(const model::Crate& crate, const api::PublicApi& api,
              const probe::Layouts& layouts, const std::vector<ForeignType>& foreign);

/// The report's reason for a declared provided method before anything
/// decides how its default runs (a vtable, a copied body, or neither).
inline constexpr char kProvidedDeclared[] =
    "provided: declared without its default body, which runs in the library";

/// The report's reason for provided method `m`, whose copied default body
/// the facade keeps.
std::string CopiedDefaultReason(const TraitMethodPlan& m);
/// Keeps method `m` of trait `trait_path` declared without its copied
/// default body, and says why in the report (plan_copied_defaults.cc).
void DropCopiedBody(Plan* plan, const std::string& trait_path, TraitMethodPlan* m, const std::string& why);
/// Says in the report that `m`'s copied default body is kept.
void ConfirmCopiedBody(Plan* plan, const std::string& trait_path, const TraitMethodPlan& m);
/// The same for a copied generic function: dropped (unsupported, with its
/// fallback reason and `why`) or kept.
void DropCopiedFunction(Plan* plan, CopiedFunctionPlan* f, const std::string& why);
void ConfirmCopiedFunction(Plan* plan, const CopiedFunctionPlan& f);
/// Drops copied type `t` (and the report's entries for it and its members
/// become unsupported, saying `why`), or confirms it.
void DropCopiedType(Plan* plan, CopiedTypePlan* t, const std::string& why);
void ConfirmCopiedType(Plan* plan, const CopiedTypePlan& t);

}  // namespace rdylib::plan
