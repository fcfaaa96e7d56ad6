// Library traits: each public trait declared by the facade at its path, and
// the library's impls of them, for its pinned types and for std types.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>

#include "api/type_render.h"
#include "plan/planner.h"
#include "plan/std_self.h"
#include "plan/vtable.h"
#include "util/files.h"

namespace rdylib::plan::internal {
namespace {

// Copies `t` with every lifetime erased: the shim names types in expression
// position, where lifetimes are inferred (`<&str as Source>::text`).
model::Type EraseLifetimes(const model::Type& t) {
  model::Type out = t;
  out.lifetime.clear();
  for (model::Type& e : out.elems) e = EraseLifetimes(e);
  if (out.path.args) {
    std::erase_if(out.path.args->args, [](const model::GenericArg& a) {
      return a.kind == model::GenericArg::Kind::kLifetime;
    });
    for (model::GenericArg& a : out.path.args->args) {
      if (a.type) a.type = EraseLifetimes(*a.type);
    }
  }
  return out;
}

// Replaces the trait's type parameters by the impl's arguments throughout.
void SubstituteParams(model::Type* t, const std::map<std::string, model::Type>& args) {
  if (t->kind == model::Type::Kind::kGeneric) {
    auto it = args.find(t->name);
    if (it != args.end()) *t = it->second;
    return;
  }
  for (model::Type& e : t->elems) SubstituteParams(&e, args);
  if (t->path.args) {
    for (model::GenericArg& a : t->path.args->args) {
      if (a.type) SubstituteParams(&*a.type, args);
    }
  }
}

// Replaces `Self` by `self_type` throughout.
void SubstituteSelf(model::Type* t, const model::Type& self_type) {
  if (t->kind == model::Type::Kind::kGeneric && t->name == "Self") {
    *t = self_type;
    return;
  }
  for (model::Type& e : t->elems) SubstituteSelf(&e, self_type);
  if (t->path.args) {
    for (model::GenericArg& a : t->path.args->args) {
      if (a.type) SubstituteSelf(&*a.type, self_type);
    }
  }
}

// A std type both generated crates can name by the path rustdoc gives:
// primitives, references to them, and std's prelude types (others, such as
// `core::num::nonzero::NonZeroU8`, are defined in private modules).
bool StdSelfNameable(const model::Type& t) {
  switch (t.kind) {
    case model::Type::Kind::kPrimitive: return true;
    case model::Type::Kind::kBorrowedRef:
    case model::Type::Kind::kSlice:
      return StdSelfNameable(t.elems[0]);
    default: return false;
  }
}

// Std items in private modules, named by the public module that re-exports
// them: rustdoc gives the defining path, which no other crate can write.
std::string PublicStd(const std::string& text) { return api::PublicStdPathsIn(text); }

// The crate's traits a type names through `dyn` and `impl`, and in arguments.
void CollectTraitUses(const model::Type& t, std::vector<model::ItemId>* out);

void CollectBoundUses(const std::vector<model::GenericBound>& bounds, std::vector<model::ItemId>* out) {
  for (const model::GenericBound& b : bounds) {
    if (b.kind != model::GenericBound::Kind::kTrait) continue;
    out->push_back(b.trait.id);
    if (b.trait.args) {
      for (const model::GenericArg& a : b.trait.args->args) {
        if (a.type) CollectTraitUses(*a.type, out);
      }
      for (const model::AssocItemConstraint& c : b.trait.args->constraints) {
        if (c.equality_type) CollectTraitUses(*c.equality_type, out);
        CollectBoundUses(c.bounds, out);
      }
    }
  }
}

void CollectTraitUses(const model::Type& t, std::vector<model::ItemId>* out) {
  if (t.dyn_trait) {
    for (const auto& poly : t.dyn_trait->traits) out->push_back(poly.trait.id);
  }
  CollectBoundUses(t.bounds, out);
  if (t.trait) out->push_back(t.trait->id);
  for (const model::Type& e : t.elems) CollectTraitUses(e, out);
  if (t.path.args) {
    for (const model::GenericArg& a : t.path.args->args) {
      if (a.type) CollectTraitUses(*a.type, out);
    }
  }
}

bool IsSelfReceiver(const std::pair<std::string, model::Type>& input) {
  const model::Type& t = input.second;
  if (input.first != "self") return false;
  if (t.kind == model::Type::Kind::kGeneric && t.name == "Self") return true;
  return t.kind == model::Type::Kind::kBorrowedRef && t.elems[0].kind == model::Type::Kind::kGeneric &&
         t.elems[0].name == "Self";
}

}  // namespace

std::string PublicStdPaths(const std::string& text) { return PublicStd(text); }

void Planner::PlanTraits() {
  for (const api::ApiEntry& e : api_.entries) {
    if (e.kind != "trait" || Canonical(e.id) != e.path) continue;
    const Item* item = crate_.Find(e.id);
    if (item == nullptr || item->kind != ItemKind::kTrait) continue;
    PlanTraitDecl(e, *item);
  }
  std::sort(plan_.traits.begin(), plan_.traits.end(),
            [](const TraitPlan& a, const TraitPlan& b) { return a.path < b.path; });
  SettleTraits();
  PlanVtables();
}

void Planner::PlanTraitDecl(const api::ApiEntry& e, const Item& item) {
  const auto& tr = item.As<model::Trait>();
  TraitPlan tp;
  tp.id = item.id;
  tp.path = e.path;
  tp.module = Parent(e.path);
  tp.name = item.name;
  // The whole declaration must name only what the facade defines.
  std::string why;
  auto bounds_cross = [&](const std::vector<model::GenericBound>& bounds) {
    for (const model::GenericBound& b : bounds) {
      if (b.kind != model::GenericBound::Kind::kTrait) continue;
      if (MentionsUnplanned(TraitAsType(b.trait)) && Canonical(b.trait.id).empty() &&
          StdPath(b.trait.id).empty() && !ForeignTraitCrosses(b.trait.id)) {
        return false;
      }
      if (b.trait.args) {
        for (const model::GenericArg& a : b.trait.args->args) {
          if (a.type && (MentionsUnplanned(*a.type) || BareQualified(*a.type))) return false;
        }
        for (const model::AssocItemConstraint& c : b.trait.args->constraints) {
          if (c.equality_type && (MentionsUnplanned(*c.equality_type) || BareQualified(*c.equality_type))) {
            return false;
          }
        }
      }
    }
    return true;
  };
  if (tr.is_auto) why = "auto traits cannot be declared outside std";
  // A private marker supertrait seals the trait: the facade seals it with a
  // marker of its own (plan_closed_sets.cc).
  std::vector<model::GenericBound> bounds = tr.bounds;
  std::erase_if(bounds, [&](const model::GenericBound& b) { return SealingTrait(b); });
  tp.sealed = bounds.size() != tr.bounds.size();
  for (const model::GenericBound& b : bounds) {
    if (b.kind == model::GenericBound::Kind::kTrait && Canonical(b.trait.id).empty() &&
        StdPath(b.trait.id).empty() && why.empty()) {
      // A dependency's trait is named through its facade (plan_deps.cc).
      if (const ForeignType* f = ForeignTrait(b.trait.id)) {
        if (!f->supported) why = "its supertrait " + f->reason;
      } else {
        why = fmt::format("its supertrait {} is not public (a sealed trait), which the facade cannot name",
                          b.trait.name);
      }
    }
  }
  if (why.empty() && !bounds_cross(bounds)) why = "a supertrait names a type that does not cross";
  for (const model::WherePredicate& w : tr.generics.where_predicates) {
    if (why.empty() && (!bounds_cross(w.bounds) || (w.type && (MentionsUnplanned(*w.type) || BareQualified(*w.type))))) {
      why = "its where clause names a type that does not cross";
    }
  }
  // An associated item the facade cannot declare: impls name it, and so may
  // the methods; the trait is refused as a whole.
  for (ItemId m : tr.items) {
    const Item* mi = crate_.Find(m);
    if (mi == nullptr || !why.empty()) continue;
    if (mi->kind == ItemKind::kAssocType) {
      const auto& at = mi->As<model::AssocType>();
      if (!at.generics.params.empty()) why = "its associated type " + mi->name + " is generic, which does not cross yet";
      else if (!bounds_cross(at.bounds) || (at.type && MentionsUnplanned(*at.type))) {
        why = "the bounds of its associated type " + mi->name + " name a type that does not cross";
      }
    } else if (mi->kind == ItemKind::kAssocConst && MentionsUnplanned(mi->As<model::AssocConst>().type)) {
      why = "the type of its associated const " + mi->name + " does not cross";
    }
  }
  for (const model::GenericParamDef& p : tr.generics.params) {
    if (!bounds_cross(p.bounds) || (p.default_type && MentionsUnplanned(*p.default_type))) {
      if (why.empty()) why = "the bound or default of parameter " + p.name + " does not cross";
    }
    if (p.kind == model::GenericParamDef::Kind::kConst && why.empty()) {
      why = "traits with const parameters do not cross yet";
    }
  }
  if (!why.empty()) {
    Status("trait", e.path, "unsupported", why);
    for (ItemId m : tr.items) {
      if (const Item* mi = crate_.Find(m)) {
        std::string kind = mi->kind == ItemKind::kFunction     ? "trait_method"
                           : mi->kind == ItemKind::kAssocConst ? "trait_const"
                                                               : "trait_type";
        Status(kind, e.path + "::" + mi->name, "unsupported", "its trait does not cross");
      }
    }
    return;
  }
  CollectBoundUses(bounds, &tp.uses);
  for (const model::GenericParamDef& p : tr.generics.params) CollectBoundUses(p.bounds, &tp.uses);
  for (const model::WherePredicate& w : tr.generics.where_predicates) CollectBoundUses(w.bounds, &tp.uses);
  std::string supers = render_.Bounds(tp.sealed ? SealedBounds(tr.bounds) : tr.bounds);
  // A default naming the crate's own type may rely on an impl the facade
  // does not have: it is omitted (callers name the argument).
  model::Generics generics = tr.generics;
  std::vector<std::string> partial;
  for (model::GenericParamDef& p : generics.params) {
    if (p.kind != model::GenericParamDef::Kind::kType || !p.default_type) continue;
    std::vector<ItemId> named;
    CollectPinned(*p.default_type, &named);
    bool local = p.default_type->kind == model::Type::Kind::kResolvedPath &&
                 crate_.Find(p.default_type->path.id) != nullptr && crate_.Find(p.default_type->path.id)->crate_id == 0;
    if (!named.empty() || local) {
      p.default_type = model::Box<model::Type>();
      partial.push_back("the default of parameter " + p.name + " (it names the crate's type)");
    }
  }
  tp.header = fmt::format("pub {}trait {}{}{}{}", tr.is_unsafe ? "unsafe " : "", item.name,
                          render_.Params(generics), supers.empty() ? "" : ": " + supers,
                          render_.Where(generics));
  if (item.deprecation) tp.attrs += "#[deprecated]\n";
  if (item.attrs.must_use) tp.attrs += "#[must_use]\n";
  for (ItemId m : tr.items) {
    const Item* mi = crate_.Find(m);
    if (mi == nullptr) continue;
    std::string mpath = e.path + "::" + mi->name;
    if (mi->kind == ItemKind::kAssocType) {
      const auto& at = mi->As<model::AssocType>();
      std::string bounds = render_.Bounds(at.bounds);
      if (!at.generics.params.empty()) {
        partial.push_back(mi->name + " (generic associated types do not cross yet)");
        Status("trait_type", mpath, "unsupported", "generic associated types do not cross yet");
        continue;
      }
      if (!bounds_cross(at.bounds) || (at.type && MentionsUnplanned(*at.type))) {
        partial.push_back(mi->name + " (its bounds do not cross)");
        Status("trait_type", mpath, "unsupported", "its bounds name a type that does not cross");
        continue;
      }
      CollectBoundUses(at.bounds, &tp.uses);
      tp.assoc_items.push_back(fmt::format("type {}{}{};", mi->name, bounds.empty() ? "" : ": " + bounds,
                                           at.type ? " = " + render_.Type(*at.type) : ""));
      Status("trait_type", mpath, "exported");
    } else if (mi->kind == ItemKind::kAssocConst) {
      const auto& ac = mi->As<model::AssocConst>();
      if (MentionsUnplanned(ac.type)) {
        partial.push_back(mi->name + " (its type does not cross)");
        Status("trait_const", mpath, "unsupported", "its type does not cross");
        continue;
      }
      std::string value;
      std::string note;
      if (ac.value && LooksLiteral(*ac.value)) {
        value = " = " + *ac.value;
      } else if (ac.value) {
        note = "its default is not a literal: the facade declares it without one";
      }
      tp.assoc_items.push_back(fmt::format("const {}: {}{};", mi->name, render_.Type(ac.type), value));
      Status("trait_const", mpath, note.empty() ? "exported" : "converted", note);
    } else if (mi->kind == ItemKind::kFunction) {
      const auto& f = mi->As<model::Function>();
      TraitMethodPlan mp;
      mp.name = mi->name;
      mp.provided = f.has_body;
      std::string erased;  // a generic method: its erased parameters (plan_generic_methods.cc)
      if (f.header.is_async) {
        mp.reason = "async methods do not cross yet";
      } else if (!f.sig.inputs.empty() && f.sig.inputs[0].first == "self" && !IsSelfReceiver(f.sig.inputs[0])) {
        mp.reason = "this kind of self does not cross yet";
      } else {
        for (const model::WherePredicate& w : f.generics.where_predicates) {
          if (mp.reason.empty() && (!bounds_cross(w.bounds) ||
                                    (w.type && (MentionsUnplanned(*w.type) || BareQualified(*w.type))))) {
            mp.reason = "its where clause names a type that does not cross";
          }
        }
        for (const auto& [name, type] : f.sig.inputs) {
          if (MentionsUnplanned(type) && mp.reason.empty()) mp.reason = "parameter " + name + " names a type that does not cross";
          if (BareQualified(type) && mp.reason.empty()) {
            mp.reason = "parameter " + name + " names an associated type of a generic trait without its arguments";
          }
        }
        if (f.sig.output && BareQualified(*f.sig.output) && mp.reason.empty()) {
          mp.reason = "its return type names an associated type of a generic trait without its arguments";
        }
        if (f.sig.output && MentionsUnplanned(*f.sig.output) && mp.reason.empty()) {
          mp.reason = "its return type names a type that does not cross";
        }
        if (!OnlyLifetimes(f.generics) && mp.reason.empty()) mp.reason = GenericTraitMethod(e.path, tr, *mi, &erased);
      }
      if (!mp.reason.empty()) {
        mp.declared = false;
        partial.push_back(fmt::format("{} ({})", mi->name, mp.reason));
        Status("trait_method", mpath, "unsupported", mp.reason + "; not declared in the facade");
        tp.methods.push_back(std::move(mp));
        continue;
      }
      // An `unsafe fn` stays unsafe: callers keep the promise its doc asks.
      mp.declaration = fmt::format("{}fn {}{}{}{}", f.header.is_unsafe ? "unsafe " : "", mi->name,
                                   render_.Params(f.generics), render_.Signature(NamedParams(f.sig)),
                                   render_.Where(f.generics));
      for (const auto& input : f.sig.inputs) CollectTraitUses(input.second, &tp.uses);
      if (f.sig.output) CollectTraitUses(*f.sig.output, &tp.uses);
      for (const model::WherePredicate& w : f.generics.where_predicates) CollectBoundUses(w.bounds, &tp.uses);
      if (mi->deprecation) mp.attrs += "#[deprecated]\n";
      if (mi->attrs.must_use) mp.attrs += "#[must_use]\n";
      std::string provided = mp.provided ? kProvidedDeclared : "";
      if (!erased.empty()) {
        // The report marks every erased item, with what erasure changes.
        Status("trait_method", mpath, "erased",
               fmt::format("{}{}: each library impl's method runs once, over a proxy that calls back (size_of, "
                           "TypeId and type_name of these see the proxy)",
                           provided.empty() ? "" : provided + "; ", erased));
      } else {
        Status("trait_method", mpath, "exported", provided);
      }
      tp.methods.push_back(std::move(mp));
    }
  }
  tp.header = PublicStd(tp.header);
  for (std::string& a : tp.assoc_items) a = PublicStd(a);
  for (TraitMethodPlan& m : tp.methods) m.declaration = PublicStd(m.declaration);
  // The fingerprint: the declaration as the facade writes it.
  std::vector<std::string> clauses = {tp.header};
  for (const std::string& a : tp.assoc_items) clauses.push_back(a);
  for (const TraitMethodPlan& m : tp.methods) {
    if (m.declared) clauses.push_back((m.provided ? "provided " : "") + m.declaration);
  }
  tp.shape_text = fmt::format("{}", fmt::join(clauses, " | "));
  tp.shape_hash = HexHash(tp.path + "\n" + tp.shape_text).substr(0, 8);
  Status("trait", e.path, partial.empty() ? "exported" : "converted",
         partial.empty() ? "" : fmt::format("partially: not declared: {}", fmt::join(partial, "; ")));
  plan_.traits.push_back(std::move(tp));
}

void Planner::SettleTraits() {
  std::map<ItemId, TraitPlan*> by_id;
  for (TraitPlan& t : plan_.traits) by_id[t.id] = &t;
  for (bool changed = true; changed;) {
    changed = false;
    for (TraitPlan& t : plan_.traits) {
      if (!t.supported) continue;
      for (ItemId used : t.uses) {
        if (!IsPublicTrait(used)) continue;  // std's, or another crate's (refused by MentionsUnplanned)
        auto it = by_id.find(used);
        if (it != by_id.end() && it->second->supported) continue;
        t.supported = false;
        std::string why = fmt::format("it names the trait {}, which does not cross", Canonical(used));
        for (ItemStatus& st : plan_.statuses) {
          if (st.path == t.path && st.kind == "trait") {
            st.status = "unsupported";
            st.reason = why;
          } else if (st.path.starts_with(t.path + "::") && st.kind.starts_with("trait_")) {
            st.status = "unsupported";
            st.reason = "its trait does not cross";
          }
        }
        changed = true;
        break;
      }
    }
  }
  for (const TraitPlan& t : plan_.traits) {
    if (t.supported) declared_traits_.insert(t.id);
  }
  traits_done_ = true;
}

void Planner::PlanLibraryTraitImpls() {
  struct Planned {
    const TraitPlan* trait;
    std::string self_key;  // the facade's self type
    bool std_self = false;  // a std type (a primitive, str, a slice, a reference)
    std::string path;      // for the report
    std::string header;
    std::string items;
    std::vector<FunctionPlan> functions;
    model::Type for_type;
  };
  std::vector<Planned> planned;
  for (const TraitPlan& tp : plan_.traits) {
    const auto& tr = crate_.Find(tp.id)->As<model::Trait>();
    if (!tp.supported) continue;
    for (ItemId id : tr.implementations) {
      const Item* item = crate_.Find(id);
      if (item == nullptr || item->kind != ItemKind::kImpl) continue;
      const auto& impl = item->As<model::Impl>();
      if (impl.is_synthetic || impl.is_negative) continue;
      std::string path = fmt::format("<{} as {}>", api_render_.Type(impl.for_type),
                                     api_render_.Type(TraitAsType(*impl.trait)));
      if (PlanMarkerImpl(tp, *item, path)) continue;
      if ((impl.blanket_impl || !OnlyLifetimes(impl.generics)) && !ClosureBlanket(impl)) {
        // PlanClosedSets instantiates it per type, or reports why not.
        closed_candidates_.push_back({item, path, -1, "generic impls are not instantiated yet", &tp});
        continue;
      }
      Planned p{&tp, render_.Type(impl.for_type), !MentionsUnplanned(impl.for_type) && StdSelfNameable(impl.for_type),
                path, "", "", {}, impl.for_type};
      std::string why;
      if (!PlanLibraryTraitImpl(tp, *item, &p.functions, &p.header, &p.items, &why)) {
        Status("impl", path, "unsupported", why);
        continue;
      }
      planned.push_back(std::move(p));
    }
  }
  // An impl needs the facade to have its supertraits' impls for the same
  // type: drop those whose supertrait impl did not cross, to a fixpoint.
  std::set<std::pair<std::string, std::string>> have;  // trait path, self type
  for (const Planned& p : planned) have.insert({p.trait->path, p.self_key});
  std::vector<bool> dropped(planned.size(), false);
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t i = 0; i < planned.size(); ++i) {
      if (dropped[i]) continue;
      const auto& tr = crate_.Find(planned[i].trait->id)->As<model::Trait>();
      for (const model::GenericBound& b : tr.bounds) {
        if (b.kind != model::GenericBound::Kind::kTrait) continue;
        if (const ForeignType* f = ForeignTrait(b.trait.id)) {
          // A dependency's supertrait: its facade must have the impl.
          if (!f->supported || std::binary_search(f->impl_self_types.begin(), f->impl_self_types.end(),
                                                  planned[i].self_key)) {
            continue;  // (an unsupported one refused the trait already)
          }
          Status("impl", planned[i].path, "unsupported",
                 fmt::format("needs its supertrait {}, whose impl for this type does not cross in the "
                             "dependency {} {}",
                             f->path, f->crate, f->version));
          have.erase({planned[i].trait->path, planned[i].self_key});
          dropped[i] = true;
          changed = true;
          break;
        }
        std::string super = Canonical(b.trait.id);
        if (super.empty() || have.count({super, planned[i].self_key})) continue;
        if (marker_blankets_.count(b.trait.id) && planned[i].std_self) continue;
        Status("impl", planned[i].path, "unsupported",
               fmt::format("needs its supertrait {}, whose impl for this type does not cross", super));
        have.erase({planned[i].trait->path, planned[i].self_key});
        dropped[i] = true;
        changed = true;
        break;
      }
    }
  }
  std::map<ItemId, TraitPlan*> trait_by_id;
  for (TraitPlan& t : plan_.traits) trait_by_id[t.id] = &t;
  for (size_t i = 0; i < planned.size(); ++i) {
    if (dropped[i]) continue;
    Planned& p = planned[i];
    trait_by_id.at(p.trait->id)->impl_self_types.push_back(p.self_key);
    bool converted = false;
    for (const FunctionPlan& f : p.functions) {
      for (const ParamPlan& param : f.params) converted |= param.value.IsConverted();
      converted |= f.ret.IsConverted();
    }
    // Generic methods forwarded by erasure: the report marks the impl erased
    // (a blanket impl over closures erases its self, and says so as before).
    std::vector<std::string> erased;
    for (const FunctionPlan& f : p.functions) {
      if (p.for_type.kind == model::Type::Kind::kGeneric) break;
      std::vector<std::string> what;
      for (const ErasedParam& ep : f.erased) {
        if (ep.mode != ErasedMode::kReturned && ep.mode != ErasedMode::kReturnedBoxed) {
          what.push_back(fmt::format("{} ({})", ep.name, ep.Text()));
        }
      }
      if (!what.empty()) erased.push_back(fmt::format("{}: {}", f.name, fmt::join(what, ", ")));
    }
    if (!erased.empty()) {
      Status("impl", p.path, "erased",
             fmt::format("{}: the library's generic method runs once, over a proxy that calls back (size_of, TypeId "
                         "and type_name of these see the proxy){}",
                         fmt::join(erased, "; "), converted ? "; values are converted at the boundary" : ""));
    } else {
      Status("impl", p.path, converted ? "converted" : "exported",
             converted ? "values are converted at the boundary" : "");
    }
    if (crate_.Find(p.trait->id)->As<model::Trait>().generics.params.empty()) {
      // Closed sets dispatch through traits without parameters.
      crossed_impls_[p.trait->id].push_back({p.for_type, PublicStd(p.header), PublicStd(p.items)});
    }
    if (p.functions.empty()) plan_.empty_impls.emplace_back(PublicStd(p.header), PublicStd(p.items));
    for (FunctionPlan& f : p.functions) plan_.functions.push_back(std::move(f));
  }
  for (TraitPlan& t : plan_.traits) {
    std::sort(t.impl_self_types.begin(), t.impl_self_types.end());
    t.impl_self_types.erase(std::unique(t.impl_self_types.begin(), t.impl_self_types.end()),
                            t.impl_self_types.end());
  }
}

bool Planner::PlanLibraryTraitImpl(const TraitPlan& tp, const Item& impl_item, std::vector<FunctionPlan>* out,
                                   std::string* header, std::string* items, std::string* why,
                                   const ForeignType* foreign) {
  const auto& impl = impl_item.As<model::Impl>();
  // The trait's associated items: the crate's own, or a dependency's moved
  // into this crate's ids (plan/id_translate.h).
  std::vector<const Item*> trait_items;
  if (foreign != nullptr) {
    for (const Item& mi : foreign->trait_items) trait_items.push_back(&mi);
  } else {
    for (ItemId m : crate_.Find(tp.id)->As<model::Trait>().items) {
      if (const Item* mi = crate_.Find(m)) trait_items.push_back(mi);
    }
  }
  auto trait_method = [&](const std::string& name) -> const Item* {
    for (const Item* mi : trait_items) {
      if (mi->kind == ItemKind::kFunction && mi->name == name) return mi;
    }
    return nullptr;
  };
  int owner = -1;
  bool std_self = false;
  bool closure_self = ClosureBlanket(impl);  // impl<F: FnMut(..) -> T, ..> Trait for F
  if (closure_self) {
    // Each method is a generic function over a lent closure (plan_blanket.cc).
  } else if (impl.for_type.kind == model::Type::Kind::kResolvedPath && pinned_.count(impl.for_type.path.id) &&
             !ShimName(impl.for_type.path.id).empty()) {
    owner = static_cast<int>(pinned_.at(impl.for_type.path.id));
  } else if (impl.for_type.kind == model::Type::Kind::kResolvedPath && Foreign(impl.for_type.path.id) != nullptr) {
    *why = "impls of the crate's traits for a dependency's types do not cross yet";
    return false;
  } else if (!MentionsUnplanned(impl.for_type) && StdSelfNameable(impl.for_type)) {
    std_self = true;
  } else if (StdSelfContainer(impl.for_type, *this)) {
    std_self = true;  // String, Vec<u8>, Cow<str>, Cow<[u8]> and &'a of them (plan/std_self.h)
  } else {
    bool std_type = impl.for_type.kind == model::Type::Kind::kResolvedPath && !StdPath(impl.for_type.path.id).empty();
    *why = std_type ? "impls for std types other than primitives, str, slices and references to them do not cross yet"
                    : "its type does not cross";
    return false;
  }
  if (owner >= 0 && plan_.types[owner].shape == TypePlan::Shape::kDataEnum) {
    *why = "impls of library traits for enums with data do not cross yet";
    return false;
  }
  std::string trait_ref = render_.Type(TraitAsType(*impl.trait));
  const auto& tr = foreign != nullptr ? foreign->trait_decl : crate_.Find(tp.id)->As<model::Trait>();
  // The trait's type parameters, as this impl instantiates them.
  std::map<std::string, model::Type> trait_args;
  if (impl.trait->args) {
    size_t i = 0;
    for (const model::GenericParamDef& p : tr.generics.params) {
      if (p.kind == model::GenericParamDef::Kind::kLifetime) continue;
      while (i < impl.trait->args->args.size() && !impl.trait->args->args[i].type) ++i;
      if (i < impl.trait->args->args.size()) trait_args[p.name] = *impl.trait->args->args[i++].type;
    }
  }
  // Parameters the impl leaves to their defaults (`impl MulAddAssign for
  // f32` of `MulAddAssign<A = Self, B = Self>`): the default, with Self this type.
  for (const model::GenericParamDef& p : tr.generics.params) {
    if (p.kind != model::GenericParamDef::Kind::kType || trait_args.count(p.name) || !p.default_type) continue;
    model::Type d = *p.default_type;
    SubstituteSelf(&d, impl.for_type);
    trait_args[p.name] = d;
  }
  // A blanket impl instantiated for one type of its closed set: its own
  // parameter (`I` of `impl<I: Integer> Average for I`) is that type.
  if (impl_params_ != nullptr) {
    for (const auto& [name, type] : *impl_params_) trait_args.emplace(name, type);
  }
  *header = fmt::format("{}impl{} {} for {}{}", impl.is_unsafe || tr.is_unsafe ? "unsafe " : "",
                        render_.Params(impl.generics), trait_ref, render_.Type(impl.for_type),
                        closure_self ? render_.Where(impl.generics) : "");
  std::map<std::string, model::Type> assoc;
  std::map<std::string, const Item*> methods;
  std::set<std::string> consts_given;
  for (ItemId m : impl.items) {
    const Item* mi = crate_.Find(m);
    if (mi == nullptr) continue;
    if (mi->kind == ItemKind::kFunction) methods[mi->name] = mi;
    if (mi->kind == ItemKind::kAssocType) {
      const auto& at = mi->As<model::AssocType>();
      if (!at.type || MentionsUnplanned(*at.type)) {
        *why = "its associated type " + mi->name + " does not cross";
        return false;
      }
      assoc[mi->name] = *at.type;
      *items += fmt::format("type {} = {};\n\n", mi->name, render_.Type(*at.type));
    }
    if (mi->kind == ItemKind::kAssocConst) {
      const auto& ac = mi->As<model::AssocConst>();
      if (!ac.value || !LooksLiteral(*ac.value)) {
        *why = "its associated const " + mi->name + " is not a literal";
        return false;
      }
      *items += fmt::format("const {}: {} = {};\n\n", mi->name, render_.Type(ac.type), *ac.value);
      consts_given.insert(mi->name);
    }
  }
  // Consts the impl leaves to a default the facade could not declare.
  for (const Item* mi : trait_items) {
    if (mi->kind != ItemKind::kAssocConst || consts_given.count(mi->name)) continue;
    const auto& ac = mi->As<model::AssocConst>();
    if (!ac.value || !LooksLiteral(*ac.value)) {
      *why = "it keeps the default of " + mi->name + ", which is not a literal";
      return false;
    }
  }
  std::string shim_self;
  if (closure_self) {
    shim_self = "_";  // the shim's closure over the consumer's, inferred
  } else if (owner >= 0) {
    shim_self = ShimName(plan_.types[owner].id);
  } else {
    shim_self = shim_render_.Type(EraseLifetimes(impl.for_type));
  }
  std::string path = fmt::format("<{} as {}>", api_render_.Type(impl.for_type), api_render_.Type(TraitAsType(*impl.trait)));
  std::string shim_trait = (foreign != nullptr ? foreign->shim_name : "target_crate" + tp.path.substr(crate_.name.size())) +
                           ShimTraitArgs(impl);
  // Every declared method is forwarded, overridden or not: the library's
  // default body runs in the library, on the library's value.
  for (const TraitMethodPlan& mp : tp.methods) {
    if (!mp.declared) continue;
    const Item* method = nullptr;
    if (auto it = methods.find(mp.name); it != methods.end()) method = it->second;
    if (method == nullptr) method = trait_method(mp.name);  // not overridden: the trait's, Self this type
    if (method == nullptr && foreign != nullptr && foreign->trait_items_missing.count(mp.name)) {
      *why = fmt::format("{} keeps the trait's default, whose signature names {}, which this crate's rustdoc "
                         "does not list",
                         mp.name, foreign->trait_items_missing.at(mp.name));
      return false;
    }
    if (method == nullptr) {
      *why = mp.name + " is missing from rustdoc's output";
      return false;
    }
    // The method with the trait's parameters written as this impl's
    // arguments (`-> T` of `Convert<u32>` is `-> u32`).
    Item instance = *method;
    auto& f = std::get<model::Function>(instance.inner);
    for (size_t i = 0; i < f.sig.inputs.size(); ++i) {
      std::string& n = f.sig.inputs[i].first;
      bool ident = !n.empty() && n != "_" && std::all_of(n.begin(), n.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
      });
      if (!ident) n = fmt::format("arg{}", i);
    }
    for (auto& input : f.sig.inputs) SubstituteParams(&input.second, trait_args);
    if (f.sig.output) SubstituteParams(&*f.sig.output, trait_args);
    if (!OnlyLifetimes(f.generics)) {
      // And in a generic method's bounds (`F: FnMut(&Self::Item)`, `F:
      // Fn(T)`), which its erasure names.
      std::map<std::string, model::Type> subst = trait_args;
      for (const auto& [name, type] : assoc) subst["Self::" + name] = type;
      SubstituteVtableArgsInBounds(subst, &f.generics);
    }
    FunctionPlan fp;
    std::string reason;
    bool converted = false;
    std::string mpath = path + "::" + mp.name;
    bool ok = closure_self ? LowerClosureSelfMethod(instance, impl, mpath, assoc, &fp, &reason, &converted)
              : std_self   ? LowerStdSelfMethod(instance, impl.for_type, mpath, assoc, &fp, &reason, &converted)
                           : LowerFunction(instance, owner, mpath, &fp, &reason, &converted, &assoc);
    if (!ok) {
      *why = mp.name + ": " + reason;
      return false;
    }
    // The facade writes the trait's own signature (an impl may refine a
    // return's lifetime, which an older rustc refuses), with the trait's
    // arguments substituted and the impl's parameter names, which the body
    // passes on.
    model::Function decl = f;
    if (const Item* mi = trait_method(mp.name)) decl = mi->As<model::Function>();
    if (decl.sig.inputs.size() == f.sig.inputs.size()) {
      for (size_t i = 0; i < decl.sig.inputs.size(); ++i) {
        decl.sig.inputs[i].first = f.sig.inputs[i].first;
        SubstituteParams(&decl.sig.inputs[i].second, trait_args);
      }
      if (decl.sig.output) SubstituteParams(&*decl.sig.output, trait_args);
      // A generic method's bounds may name the trait's parameters (`F:
      // Fn(T) -> T`), which the impl writes as its arguments (`Self::Item`
      // stays: the impl defines it).
      SubstituteVtableArgsInBounds(trait_args, &decl.generics);
    } else {
      decl = f;
    }
    fp.facade_signature = fmt::format("{}fn {}{}{}{}", decl.header.is_unsafe ? "unsafe " : "", mp.name,
                                      render_.Params(decl.generics), render_.Signature(NamedParams(decl.sig)),
                                      render_.Where(decl.generics));
    fp.attrs.clear();
    // A dependency's trait: the symbol is still this crate's.
    fp.symbol = fmt::format("rdylib_v{}_{}__{}_{}", kAbiVersion,
                            Mangle(foreign != nullptr ? crate_.name + "::" + tp.path : tp.path), mp.name,
                            HexHash(path + "\n" + tp.shape_hash).substr(0, 8));
    fp.facade_signature = PublicStd(fp.facade_signature);
    fp.impl_header = PublicStd(*header);
    fp.impl_items = PublicStd(*items);
    fp.shim_callee = PublicStd(fmt::format("<{} as {}>::{}", shim_self, shim_trait, mp.name));
    fp.module = crate_.name;
    out->push_back(std::move(fp));
  }
  return true;
}

bool Planner::LowerStdSelfMethod(const Item& method, const model::Type& self_type, const std::string& path,
                                 const std::map<std::string, model::Type>& assoc, FunctionPlan* out,
                                 std::string* why, bool* converted) {
  // The same function with `self` renamed `this` and `Self` written out.
  Item copy = method;
  auto& f = std::get<model::Function>(copy.inner);
  // `Self::FromStrRadixErr` is the impl's type: resolved before `Self` is
  // written out (`<f32 as Num>::FromStrRadixErr` would no longer match).
  for (auto& input : f.sig.inputs) ResolveAssoc(&input.second, &assoc);
  if (f.sig.output) ResolveAssoc(&*f.sig.output, &assoc);
  std::string binding;
  bool borrow = false;
  std::optional<AbiValue> std_view;
  if (!f.sig.inputs.empty() && f.sig.inputs[0].first == "self") {
    model::Type receiver = f.sig.inputs[0].second;
    SubstituteSelf(&receiver, self_type);
    AbiValue v;
    std::string ignored;
    if (Classify(receiver, false, *this, &v, &ignored) && v.kind != AbiValue::Kind::kUnit) {
      binding = "let this = self;";
    } else if (receiver.kind == model::Type::Kind::kBorrowedRef && !receiver.is_mutable &&
               Classify(self_type, false, *this, &v, &ignored) &&
               (v.kind == AbiValue::Kind::kStr || v.kind == AbiValue::Kind::kScalar ||
                v.kind == AbiValue::Kind::kChar)) {
      // `&self` of a `&str` or a number: the value crosses, the shim lends it.
      binding = "let this = *self;";
      receiver = self_type;
      borrow = true;
    } else if (receiver.kind == model::Type::Kind::kBorrowedRef &&
               ClassifyStdSelf(self_type, receiver.is_mutable, *this, &v, &ignored)) {
      // A view of the bytes; the shim rebuilds the library's value.
      binding = "let this = self;";
      std_view = v;
    } else {
      *why = "its self does not cross yet";
      return false;
    }
    f.sig.inputs[0] = {"this", receiver};
  }
  for (size_t i = binding.empty() ? 0 : 1; i < f.sig.inputs.size(); ++i) {
    SubstituteSelf(&f.sig.inputs[i].second, self_type);
  }
  if (f.sig.output) SubstituteSelf(&*f.sig.output, self_type);
  if (std_view) {
    // Classify has no form for this receiver: lower a stand-in (`&str`) and
    // put the view in its place.
    f.sig.inputs[0].second = model::Type{};
    f.sig.inputs[0].second.kind = model::Type::Kind::kPrimitive;
    f.sig.inputs[0].second.name = "bool";
  }
  if (!LowerFunction(copy, -1, path, out, why, converted, &assoc)) return false;
  if (!binding.empty()) {
    out->self_binding = binding;
    out->params[0].shim_borrow = borrow;
  }
  // A self the library gets as its own copy (String, Vec, a Cow, a
  // reference to one): a return may not borrow from that temporary.
  bool rebuilt = (std_view && std_view->self_container != "slice") ||
                 (!out->params.empty() && binding == "let this = self;" &&
                  out->params[0].value.kind == AbiValue::Kind::kBufferMut);
  if (std_view) {
    out->params[0].value = *std_view;
    *converted = true;
  }
  if (!SettleStdSelfReturn(&out->ret, rebuilt, why)) return false;
  return true;
}

}  // namespace rdylib::plan::internal
