// The planner: the passes that lower a crate's public API to the ABI plan.
// Internal to the plan stage; plan.h is its interface.
#pragma once

#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "api/public_api.h"
#include "api/type_render.h"
#include "model/crate.h"
#include "plan/abi_value.h"
#include "plan/closed_set.h"
#include "plan/plan.h"
#include "probe/layout.h"

namespace rdylib::plan::internal {

using model::Item;
using model::ItemId;
using model::ItemKind;

/// "engine::math::Vec3" -> "math::Vec3" (the path inside the crate).
std::string Inner(const std::string& path, const std::string& crate);
/// "a::b::c" -> "a::b"; "" for a single segment.
std::string Parent(const std::string& path);
/// Where copied source comes from, as the report shows it: the path from
/// the crate's `src/` on (or the file name), and the line.
std::string BodyFrom(const model::Span& span);
/// "a::b::c" -> "c".
std::string Last(const std::string& path);
/// "a::b" -> "a__b", for symbol names.
std::string Mangle(const std::string& path);
/// The size of a primitive in bytes; 0 when `s` is not one.
uint64_t ScalarSize(const std::string& s);
/// Input `i`'s name on both sides: as written, or `arg{i}` for a pattern
/// (`_`, `(a, b)`, `mut x`), which a body could not name.
std::string ParamName(const model::FunctionSignature& sig, size_t i);
/// `sig` with every input named by ParamName.
model::FunctionSignature NamedParams(model::FunctionSignature sig);
/// True when every generic parameter is a lifetime (or there are none).
bool OnlyLifetimes(const model::Generics& g);

/// An integer `literal` of a constant of signed type `scalar` as the facade
/// writes it: a literal beyond the type's range (`0x80000000` for i32, which
/// the library allows as overflowing) becomes the same bits as a cast
/// (`0x80000000u32 as i32`); anything else stays as written.
std::string WrappedLiteral(const std::string& literal, const std::string& scalar);

/// `text` with std items of private modules named by their public paths
/// (`core::num::nonzero::NonZeroU8` -> `core::num::NonZeroU8`).
std::string PublicStdPaths(const std::string& text);

/// Lowers a crate's public API to a Plan, pass by pass (see Run), naming
/// pinned types for Classify on the way.
class Planner : public TypeNamer {
 public:
  Planner(const model::Crate& crate, const api::PublicApi& api, const probe::Layouts& layouts)
      : crate_(crate),
        api_(api),
        layouts_(layouts),
        render_(crate, &facade_paths_),
        api_render_(crate, &api.canonical_paths),
        shim_render_(crate, &shim_paths_) {
    // The facade may define its own Result or Option: name std's in full.
    render_.set_full_std_paths(true);
  }

  /// Runs the passes in order; the plan is sorted.
  Plan Run();

  /// The dependencies' types this crate names (plan/plan_deps.h).
  void set_foreign(const std::vector<ForeignType>* foreign) { foreign_list_ = foreign; }

  std::string ShimName(ItemId id) const override {
    auto it = pinned_.find(id);
    if (const ForeignType* f = Foreign(id); f && it == pinned_.end()) return f->shim_name;
    if (it == pinned_.end() || !plan_.types[it->second].supported) return "";
    return "target_crate::" + Inner(plan_.types[it->second].path, crate_.name) +
           StaticLifetimes(plan_.types[it->second]);
  }
  std::string EnumWireName(ItemId id) const override {
    auto it = pinned_.find(id);
    if (const ForeignType* f = Foreign(id); f && it == pinned_.end()) return f->wire_name;
    if (it == pinned_.end()) return "";
    const TypePlan& t = plan_.types[it->second];
    return t.shape == TypePlan::Shape::kDataEnum && t.supported ? t.wire_name : "";
  }
  std::string StdPath(ItemId id) const override {
    const model::ItemSummary* s = crate_.FindPath(id);
    if (s == nullptr || s->crate_id == 0) return "";
    std::string krate = crate_.CrateName(s->crate_id);
    if (krate != "core" && krate != "alloc" && krate != "std") return "";
    return s->Joined();
  }
  const model::Type* AliasOf(ItemId id) const override;
  bool ImplementsStd(ItemId id, const std::string& trait) const override {
    auto it = pinned_.find(id);
    if (it == pinned_.end()) return false;
    const TypePlan& t = plan_.types[it->second];
    return std::find(t.traits.begin(), t.traits.end(), trait) != t.traits.end() ||
           std::find(t.derives.begin(), t.derives.end(), trait) != t.derives.end();
  }
  std::string ForeignReason(ItemId id) const override {
    auto it = foreign_.find(id);
    return it == foreign_.end() ? "" : it->second->reason;
  }
  std::string FacadeName(ItemId id) const override {
    auto it = pinned_.find(id);
    if (const ForeignType* f = Foreign(id); f && it == pinned_.end()) return f->facade_name;
    if (it == pinned_.end() || !plan_.types[it->second].supported) return "";
    return "crate::" + Inner(plan_.types[it->second].path, crate_.name);
  }

 private:
  void Status(const std::string& kind, const std::string& path, const std::string& status,
              const std::string& reason = "") {
    plan_.statuses.push_back({kind, path, status, reason});
  }

  // A dependency's type that crosses (plan_deps.cc), else null.
  const ForeignType* Foreign(ItemId id) const {
    auto it = foreign_.find(id);
    return it != foreign_.end() && it->second->supported && !it->second->is_trait ? it->second : nullptr;
  }
  // A dependency's trait the crate's API names, crossing or not (its
  // `reason` says why not), else null.
  const ForeignType* ForeignTrait(ItemId id) const {
    auto it = foreign_.find(id);
    return it != foreign_.end() && it->second->is_trait ? it->second : nullptr;
  }
  bool ForeignTraitCrosses(ItemId id) const {
    const ForeignType* f = ForeignTrait(id);
    return f != nullptr && f->supported;
  }

  // Pass 0: the dependencies' types get their names, and the plan lists
  // them with the dependencies they come from.
  void AddForeign();

  // Pass 1: which types are pinned (measured, not generic).
  void PlanTypes();

  // Pass 2: fields, traits and auto traits, now that every pinned type is known.
  void PlanTypeDetails();
  void PlanTypeDetailsOnce();

  // "variant V: P does not cross" for the first variant field of data enum
  // `t` whose type is a data enum found unsupported; "" when none is.
  std::string UnsupportedVariantType(const TypePlan& t) const;

  // A zero-sized fieldless enum: each variant's tag becomes its discriminant
  // as written in the library, or empty (no tag bytes to take it from).
  // A fieldless enum's tag type, signed where the library's is, and its
  // tags as signed values then.
  void SignedDiscriminants(TypePlan& t, const Item& item);

  void ZeroSizedDiscriminants(TypePlan& t, const model::Enum& e);

  // The variants of an enum with data; the reason when one cannot cross.
  std::string PlanVariants(TypePlan& t, const model::Enum& e);

  void PlanField(TypePlan& t, const probe::TypeLayout& layout, const std::string& name,
                 const model::Type& type);

  // A field whose type is a tuple of primitives: its type, measured size,
  // alignment and the measured offsets of its parts within the struct.
  static bool TupleField(const model::Type& type, const std::string& name,
                         const probe::TypeLayout& layout, std::string* facade_type, uint64_t* size, uint64_t* align,
                         std::vector<std::pair<std::string, uint64_t>>* parts);

  // The size and alignment of a field that crosses as bytes: a scalar, a
  // char, a pinned type or an array of those. Size 0 when unknown.
  void ValueSizeAlign(const model::Type& type, const AbiValue& v, uint64_t* size,
                      uint64_t* align) const;

  bool ValueNeedsDrop(const model::Type& type) const;

  // Appends the crate's pinned types that `t` names, in order.
  void CollectPinned(const model::Type& t, std::vector<ItemId>* out) const;

  static bool NaturalLayout(const TypePlan& t);

  // String, Vec<T>, Option<String>, Option<u64>/Option<i64> (covered by the
  // measured std facts), and Box<T>/Option<Box<T>> (guaranteed by std).
  // `facts` gets the std layout facts the field's type relies on.
  /// A shared reference field (`&'a str`, `&'a [T]`, `&'a T`): the facade
  /// declares the same reference. &str and &[T] are (pointer, length) pairs
  /// in an order Rust does not promise: they rely on the measured facts
  /// "&str" and "&[u64]"; `&T` to a sized T is a pointer.
  bool RefField(const model::Type& type, std::string* facade_type, uint64_t* size,
                std::vector<std::string>* facts);
  bool StdField(const model::Type& type, std::string* facade_type, uint64_t* size,
                std::vector<std::string>* facts);

  void PlanImpls(TypePlan& t, const std::vector<ItemId>& impls);

  // An enum with data derives what the library derives; Display, Debug and
  // Error written by hand are forwarded through a borrowed wire view.
  void PlanDataEnumImpl(TypePlan& t, const Item& item, const std::string& trait,
                        const std::string& impl_path);

  // Notes whether the library's Error impl writes source(), which the facade
  // then forwards.
  void NoteErrorSource(TypePlan& t, const model::Impl& impl);

  void PlanFunctions();

  void PlanConsts();

  // The measured bytes of a constant or static as a Rust constant
  // expression of type `ty`; empty when not measured or not pointer-free.
  std::string MeasuredValue(const std::string& path, const std::string& ty, std::string* why);

  // True when a value of this kind is Copy and so holds no UnsafeCell: a
  // copy of its bytes behaves as the library's object.
  bool CopyValue(const model::Type& type, const AbiValue& v) const;

  void PlanStatics();

  void PlanMacrosAndAliases();

  // The item's source text, from its span in the crate's files.
  static std::string SourceText(const Item& item);

  // True when `t` names a local item the facade does not define.
  bool MentionsUnplanned(const model::Type& t) const;

  static bool LooksLiteral(const std::string& v);

  std::string Canonical(ItemId id) const;

  // `impl From<X> for Y`: one thunk, and a trait impl in the facade.
  void PlanFromImpls();

  // `impl FromStr for T`: one thunk returning Result<T, Err>.
  void PlanFromStr(const model::Impl& impl);

  // A type as the shim names it.
  std::string ShimType(const model::Type& t, const AbiValue& v);

  bool IsCanonicalTypePath(const std::string& path);

  void PlanFunction(const Item& item, const api::ApiEntry& e, int owner);

  // Lowers one function or method to a thunk: false with `why` when a part
  // of its signature cannot cross.
  bool LowerFunction(const Item& item, int owner, const std::string& path, FunctionPlan* out,
                     std::string* why, bool* converted,
                     const std::map<std::string, model::Type>* assoc = nullptr);

  // A std trait whose methods are forwarded one thunk each: its path in the
  // facade, the methods an impl must forward (others are forwarded when
  // they cross, else the trait's default runs), and the trait the facade
  // must already implement for the type (a supertrait), if any.
  struct ForwardedTrait {
    const char* facade;
    std::vector<std::string> required;
    const char* needs = "";
  };

  static const std::map<std::string, ForwardedTrait>& ForwardedTraits();
  /// PartialEq and PartialOrd with another right-hand side than Self
  /// (`impl PartialOrd<LevelFilter> for Level`): forwarded method by method,
  /// as the traits above are; Self comparisons are forwarded whole (t.traits).
  static const std::map<std::string, ForwardedTrait>& CrossTypeComparisons();
  /// How an impl in trait_method_impls_ is forwarded: its entry in one of
  /// the two maps above.
  const ForwardedTrait& MethodForwarding(const model::Impl& impl);
  /// True for an impl of PartialEq<Rhs> or PartialOrd<Rhs> for one of the
  /// crate's pinned types, whose Rhs is a type other than that self type.
  bool IsCrossTypeComparison(const model::Impl& impl);

  // `impl AsRef<str> for T`, `impl Iterator for T` and the like: each method
  // becomes a thunk, and the facade writes the impl around them.
  void PlanTraitMethodImpls();

  // `<str>` for `impl AsRef<str>`, as the facade writes the trait's arguments.
  std::string TraitArgs(const model::Impl& impl);

  // `<T as Trait<Args>>`, as the report names a trait impl.
  std::string TraitImplPath(const std::string& type_path, const model::Impl& impl);

  static model::Type TraitAsType(const model::Path& trait);

  // The trait's generic arguments as the shim names them: std types and the
  // crate's types under `target_crate`.
  std::string ShimTraitArgs(const model::Impl& impl);

  // True when `t` has a `dyn Trait` in it (a closure argument, maybe erased).
  static bool MentionsDynFn(const model::Type& t);

  // `Self::Target` in a trait impl's method: the impl's associated type.
  static void ResolveAssoc(model::Type* t, const std::map<std::string, model::Type>* assoc);

  // `Self` in a method signature is the owner type.
  void ResolveSelf(model::Type* t, int owner);

  // Library traits (plan_traits.cc): each public trait's declaration, then
  // the library's impls of them for its pinned types and for std types.
  void PlanTraits();
  // True for a trait of this crate with a public path (the facade declares it).
  bool IsPublicTrait(ItemId id) const {
    const Item* item = crate_.Find(id);
    return item != nullptr && item->kind == ItemKind::kTrait && !Canonical(id).empty();
  }
  // True for a trait the facade declares (while traits are being planned:
  // any public one of the crate).
  bool IsDeclaredTrait(ItemId id) const {
    return traits_done_ ? declared_traits_.count(id) > 0 : IsPublicTrait(id);
  }
  // True when `t` names `<X as Trait>::Assoc` of a trait with generic
  // parameters without writing them (rustdoc's form for `Self::Item` of
  // `trait T<'a>`), which the facade cannot write back.
  bool BareQualified(const model::Type& t) const {
    if (t.kind == model::Type::Kind::kQualifiedPath && t.trait && !t.trait->args) {
      const Item* tr = crate_.Find(t.trait->id);
      if (tr != nullptr && tr->kind == ItemKind::kTrait && !tr->As<model::Trait>().generics.params.empty()) return true;
    }
    for (const model::Type& e : t.elems) {
      if (BareQualified(e)) return true;
    }
    if (t.path.args) {
      for (const model::GenericArg& a : t.path.args->args) {
        if (a.type && BareQualified(*a.type)) return true;
      }
    }
    return false;
  }
  // Refuses the traits that name a trait the facade does not declare, to a
  // fixpoint, then fixes the set of declared traits.
  void SettleTraits();
  void PlanTraitDecl(const api::ApiEntry& e, const Item& item);
  // A generic method of trait `tr` (plan_generic_methods.cc): "" when the
  // facade declares it and the library's impls forward it by erasure, with
  // `erased` naming each erased parameter; else the reason it cannot.
  std::string GenericTraitMethod(const std::string& trait_path, const model::Trait& tr, const Item& method,
                                 std::string* erased);
  // Type parameter `param` of generic method `f` in a vtable entry: the
  // library's closure crosses to the consumer's method as a closure the
  // library returns would (a kReturned ErasedParam, id from `prefix`);
  // false with `why` when its bounds are not a closure's.
  bool ReversedClosure(const std::string& prefix, const model::Function& f, const std::string& param,
                       AbiValue* value, ErasedParam* out, std::string* why);
  // Type parameter `param` of generic method `f` in a vtable entry, any
  // bound (plan_vtable_generics.cc): a closure as ReversedClosure, else the
  // library's value crosses as a kReturned ErasedParam whose table the shim
  // writes and whose proxy the facade implements the bounds on.
  bool ReversedParam(const std::string& prefix, const model::Function& f, const std::string& param,
                     AbiValue* value, ErasedParam* out, std::string* why);
  // Marks each trait method whose vtable entry takes the library's values
  // erased: the report says what a consumer's implementation sees.
  void MarkReversedEntries();
  // A provided generic method's `default_` thunk: the entry's parameters
  // with each closure erased the forward way (VtableEntry::default_params).
  bool DefaultBodyErasure(const std::string& prefix, const model::Function& f, VtableEntry* e, std::string* why);
  // Why a `&dyn Trait` parameter `t` of `f` cannot be lent for the call
  // only ("" when it can): its proxy lives on the thunk's stack, so the
  // library must not keep the reference (a named lifetime, or a return that
  // may borrow from it).
  static std::string LentDynRef(const model::Type& t, const model::Function& f, bool has_self);
  // The same for a parameter that lends trait objects inside another type
  // (`Option<&dyn Trait>`, `&[Box<dyn Trait>]`), whose proxies also live
  // only for the call.
  static std::string LentInside(const model::Type& t, const model::Function& f, bool has_self);

  // The library's default bodies of provided methods of traits without a
  // vtable, copied for the facade (plan_copied_defaults.cc).
  void PlanCopiedDefaults();
  std::string CopiedBody(const Item& method, TraitMethodPlan* mp);
  // A generic free function nothing else covers: copied as a candidate
  // (status set) when its source splits cleanly; false leaves it to the
  // caller, whose reason `fallback` is.
  bool CopiedFunction(const Item& item, const std::string& path, const std::string& fallback);
  // Generic structs and enums nothing forwards, copied with their impls for
  // the consumer's rustc to compile (plan_copied_types.cc). Runs after
  // every forwarding pass, so only types no forwarded item names are left.
  void PlanCopiedTypes();
  std::string CopiedType(const Item& item, const std::string& path);

  // The vtable of each trait that can have one (plan_vtables.cc).
  void PlanVtables();
  int PlanVtable(size_t trait_index, std::set<size_t>* visiting);
  /// The library impl of `tr` that overrides provided method `method`
  /// ("the impl for X"), or "" when none does.
  std::string LibraryOverride(const model::Trait& tr, const std::string& method) const;
  // A blanket impl over closures (`impl<F, T> Trait for F where F:
  // FnMut(..) -> T`), instantiated by erasure (plan_blanket.cc).
  bool ClosureBlanket(const model::Impl& impl) const;
  bool LowerClosureSelfMethod(const Item& method, const model::Impl& impl, const std::string& path,
                              const std::map<std::string, model::Type>& assoc, FunctionPlan* out, std::string* why,
                              bool* converted);

  // A trait's vtable, or an instance's (plan_vtable_instances.cc).
  bool DynTrait(const model::Path& trait, std::string* vtable, std::string* hash, std::string* shim_path,
                std::string* facade_path, std::string* why) const override;
  // Fills `vt` for trait `index`, or for one instance of it when `subst`
  // (its parameters and `Self::Name` associated types) is given; false
  // with the reason.
  bool MakeVtable(size_t index, const std::map<std::string, model::Type>* subst, std::set<size_t>* visiting,
                  VtablePlan* vt, std::string* why);
  // The instance of generic or associated-type trait `index` that `trait`
  // names: its vtable's index (made on first use), or -1 with `why`.
  int VtableInstance(size_t index, const model::Path& trait, std::string* why);
  // Table `vtable` extended for one use site's extra std bounds
  // (plan_vtable_extended.cc).
  bool ExtendedVtable(const std::string& vtable, const std::vector<std::string>& extra, std::string* out,
                      std::string* hash, std::string* shim_path, std::string* facade_path,
                      std::string* why) const override;
  std::vector<std::string> DynStdSupertraits(ItemId id) const override {
    for (const TraitPlan& t : plan_.traits) {
      if (t.id == id && t.vtable >= 0) return plan_.vtables[t.vtable].std_supertraits;
    }
    return {};
  }
  void PlanLibraryTraitImpls();
  // An impl without items of `tp`, a trait that declares no items in the
  // facade, whose generics and bounds name only what the facade has: written
  // as it is (plan_marker_impls.cc). False when it is not one.
  bool PlanMarkerImpl(const TraitPlan& tp, const Item& impl_item, const std::string& path);
  bool MarkerBoundsCross(const std::vector<model::GenericBound>& bounds, bool* std_only) const;
  // One impl of trait `tp`: false with `why` when it cannot be forwarded.
  bool PlanLibraryTraitImpl(const TraitPlan& tp, const Item& impl_item, std::vector<FunctionPlan>* out,
                            std::string* header, std::string* items, std::string* why,
                            const ForeignType* foreign = nullptr);

  // The crate's impls of its dependencies' traits for its own types
  // (`impl num_traits::Zero for Score`), after the std impls they may
  // need as supertraits (plan_foreign_impls.cc).
  void PlanForeignTraitImpls();
  // "impl<T> for T" when the library implements trait `tr` for every type
  // (no bound but Sized), which a vtable proxy's own impl would conflict
  // with; "" otherwise.
  std::string UnboundedBlanket(const model::Trait& tr) const;
  // Whether the facade implements supertrait `b` for pinned type `owner`,
  // given the foreign impls `planned` (trait id) that cross so far.
  bool FacadeHasSuper(int owner, const std::string& self_key, const model::GenericBound& b,
                      const std::set<ItemId>& planned, std::string* missing) const;
  // A method of an impl for a std type (`impl WidthExt for str`): `self`
  // crosses as the parameter `this`.
  bool LowerStdSelfMethod(const Item& method, const model::Type& self_type, const std::string& path,
                          const std::map<std::string, model::Type>& assoc, FunctionPlan* out,
                          std::string* why, bool* converted);

  // Closed sets (plan_closed_sets.cc): the generic functions and blanket
  // impls that erasure could not cover, instantiated per type where the
  // library's traits admit a closed set, else reported with both reasons.
  struct ClosedCandidate {
    const Item* item = nullptr;
    std::string path;
    int owner = -1;
    std::string why;        // why erasure did not apply
    const TraitPlan* trait = nullptr;  // a blanket impl of this trait
  };
  // A library trait's impl that crossed: the facade's header and items.
  struct CrossedImpl {
    model::Type for_type;
    std::string header;
    std::string items;
  };
  void PlanClosedSets();
  void PlanClosedFunction(const ClosedCandidate& c);
  void PlanClosedImpl(const ClosedCandidate& c);
  // The closed-set view of `g`'s type parameters; false with `why` when one
  // cannot be described (const parameters, `impl Trait` arguments, where
  // clauses on other types).
  bool ClosedParams(const model::Generics& g, std::vector<ClosedParam>* out, std::string* why);
  /// The type parameters of `g` that each instance of a closed set erases:
  /// those whose bounds name none of the crate's traits, beside at least one
  /// that has a bound on a declared trait (docs/ABI.md, "Closed sets").
  std::vector<std::string> ErasedBesideClosed(const model::Generics& g) const;
  // The crossed impl of library trait `trait` for the type the report names `type`.
  const CrossedImpl* FindCrossed(ItemId trait, const std::string& type) const;
  // The facade's impl block for `c` (a crossed impl) takes `f` as one more method.
  void AddToImpl(const CrossedImpl& c, FunctionPlan* f);
  void AddClosedSetChecks();
  // True for a bound on a private marker trait of the crate (no items, no
  // generics, no supertraits), which seals the trait it bounds.
  bool SealingTrait(const model::GenericBound& b) const;
  // `bounds` with each sealing marker named as the facade's own
  // (`crate::rdylib_sealed::private__Sealed`), which it declares.
  std::vector<model::GenericBound> SealedBounds(const std::vector<model::GenericBound>& bounds);
  // The facade's sealing marker impls for the crossed impls of sealed traits.
  void PlanSealingImpls();
  // A hidden method's name in `host`, unique there.
  std::string HiddenName(const TraitPlan& host, const std::string& wanted);
  // Whether std bound `b` of parameter `param` holds for type `t`: 1, 0, or
  // -1 when rdylib cannot tell.
  int StdBoundHolds(const model::Type& t, const model::GenericBound& b, const std::string& param) const;
  // The same for a where clause `&'a P: Trait`: 1, 0 or -1 (unknown).
  int RefStdBoundHolds(const model::Type& t, const model::GenericBound& b, const std::string& param) const;
  // The declared library trait the facade dispatches `param` through.
  const TraitPlan* HostTrait(const model::Generics& g, const std::string& param) const;
  // A hidden dispatch method of `host` whose default body panics, naming
  // `item` and the types the library instantiates it for.
  static std::string HiddenMethod(const std::string& signature, const std::string& item, const TraitPlan& host,
                                  const std::vector<std::string>& types);

  // Modules, re-exports, and the statuses of every other entry.
  void PlanPaths();
  /// A `pub use` of a std, core or alloc item or module: re-exported as
  /// written (Plan::std_reexports). False for anything else.
  bool PlanStdReexport(const api::ApiEntry& e);

  std::string UnsupportedReason(const api::ApiEntry& e);

  const model::Crate& crate_;
  const api::PublicApi& api_;
  const probe::Layouts& layouts_;
  std::unordered_map<ItemId, std::string> facade_paths_;
  std::unordered_map<ItemId, std::string> shim_paths_;  // the crate as `target_crate`
  api::TypeRenderer render_;      // names as the facade writes them
  api::TypeRenderer api_render_;  // names as the report writes them
  api::TypeRenderer shim_render_; // names as the shim writes them
  Plan plan_;
  std::map<ItemId, size_t> pinned_;
  std::set<ItemId> from_impls_;
  std::vector<std::pair<ItemId, int>> trait_method_impls_;  // impl, owner type
  const std::vector<ForeignType>* foreign_list_ = nullptr;
  std::map<ItemId, const ForeignType*> foreign_;
  bool traits_done_ = false;
  std::set<ItemId> declared_traits_;
  std::vector<ClosedCandidate> closed_candidates_;
  std::map<ItemId, std::vector<CrossedImpl>> crossed_impls_;  // by trait
  // Traits with a marker blanket impl bounded by std traits only: it covers
  // std self types (plan_marker_impls.cc).
  std::set<ItemId> marker_blankets_;
  // Traits whose vtables are per instance (generic, or with associated
  // types), and the instances made so far by canonical text.
  std::set<size_t> instanced_traits_;
  std::map<std::string, std::pair<int, std::string>> vtable_instances_;  // index, or -1 and why
  // Impls of a dependency's trait for a pinned type: (impl, owner).
  std::vector<std::pair<ItemId, int>> foreign_impls_;
  // The std traits the facade implements for a pinned type (owner, the
  // trait's canonical path), and those of which some impl did not cross.
  std::set<std::pair<int, std::string>> std_impls_;
  std::set<std::pair<int, std::string>> std_impls_refused_;
  // While PlanClosedImpl plans a blanket impl for one type: its parameter,
  // as that type, for PlanLibraryTraitImpl to write into the methods.
  const std::map<std::string, model::Type>* impl_params_ = nullptr;
  std::set<std::pair<ItemId, std::string>> hidden_names_;     // host trait, method
};

}  // namespace rdylib::plan::internal
