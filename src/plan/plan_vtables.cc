// The vtables of library traits (plan/vtable.h): which traits can have one,
// and the entries, supertraits' methods first.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "plan/planner.h"
#include "plan/vtable.h"
#include "util/files.h"

namespace rdylib::plan::internal {

namespace {

bool MentionsLifetime(const model::Type& t) {
  if (t.kind == model::Type::Kind::kBorrowedRef || t.kind == model::Type::Kind::kImplTrait ||
      t.kind == model::Type::Kind::kDynTrait) {
    return true;
  }
  if (t.path.args) {
    for (const model::GenericArg& a : t.path.args->args) {
      if (a.kind == model::GenericArg::Kind::kLifetime) return true;
      if (a.type && MentionsLifetime(*a.type)) return true;
    }
  }
  for (const model::Type& e : t.elems) {
    if (MentionsLifetime(e)) return true;
  }
  return false;
}

bool Named(const std::string& lifetime) { return !lifetime.empty() && lifetime != "'_"; }

}  // namespace

std::string Planner::LibraryOverride(const model::Trait& tr, const std::string& method) const {
  for (ItemId id : tr.implementations) {
    const Item* item = crate_.Find(id);
    if (item == nullptr || item->kind != ItemKind::kImpl) continue;
    const auto& impl = item->As<model::Impl>();
    if (impl.is_synthetic || impl.is_negative) continue;
    for (ItemId m : impl.items) {
      const Item* mi = crate_.Find(m);
      if (mi != nullptr && mi->kind == ItemKind::kFunction && mi->name == method) {
        return fmt::format("the impl for {}", api_render_.Type(impl.for_type));
      }
    }
  }
  return "";
}

std::string Planner::LentDynRef(const model::Type& t, const model::Function& f, bool has_self) {
  if (Named(t.lifetime) || (t.elems[0].dyn_trait && Named(t.elems[0].dyn_trait->lifetime))) {
    return "a borrowed trait object with a named lifetime may outlive the call; only call-scoped borrows cross yet";
  }
  if (!has_self && f.sig.output && MentionsLifetime(*f.sig.output)) {
    return "the return value may borrow from this trait object, which is lent for the call only";
  }
  return "";
}

namespace {

bool NamesLifetime(const model::Type& t) {
  if (Named(t.lifetime) || (t.dyn_trait && Named(t.dyn_trait->lifetime))) return true;
  if (t.path.args) {
    for (const model::GenericArg& a : t.path.args->args) {
      if (a.kind == model::GenericArg::Kind::kLifetime && Named(a.lifetime)) return true;
      if (a.type && NamesLifetime(*a.type)) return true;
    }
  }
  for (const model::Type& e : t.elems) {
    if (NamesLifetime(e)) return true;
  }
  return false;
}

}  // namespace

std::string Planner::LentInside(const model::Type& t, const model::Function& f, bool has_self) {
  if (NamesLifetime(t)) {
    return "it lends trait objects under a named lifetime, which may outlive the call; only call-scoped borrows "
           "cross yet";
  }
  if (!has_self && f.sig.output && MentionsLifetime(*f.sig.output)) {
    return "the return value may borrow from the trait objects it lends, which are lent for the call only";
  }
  return "";
}

void Planner::PlanVtables() {
  std::set<size_t> visiting;
  // Generic traits and those with associated types first: another trait's
  // method may name one of their instances (`&mut dyn Handler<Event>`),
  // which is made on that use (plan_vtable_instances.cc).
  for (size_t i = 0; i < plan_.traits.size(); ++i) {
    const Item* item = crate_.Find(plan_.traits[i].id);
    if (item == nullptr || item->kind != ItemKind::kTrait) continue;
    const auto& tr = item->As<model::Trait>();
    bool assoc_types = std::any_of(tr.items.begin(), tr.items.end(), [&](ItemId m) {
      const Item* mi = crate_.Find(m);
      return mi != nullptr && mi->kind == ItemKind::kAssocType;
    });
    if (!tr.generics.params.empty() || assoc_types) PlanVtable(i, &visiting);
  }
  for (size_t i = 0; i < plan_.traits.size(); ++i) PlanVtable(i, &visiting);
  MarkReversedEntries();
  for (TraitPlan& t : plan_.traits) {
    if (t.vtable < 0) continue;
    for (const TraitMethodPlan& m : t.methods) {
      if (!m.provided || !m.declared) continue;  // undeclared: its own reason stands
      for (ItemStatus& st : plan_.statuses) {
        if (st.kind != "trait_method" || st.path != t.path + "::" + m.name) continue;
        const std::string runs = "provided: the facade's default body runs the library's, on a proxy over the value";
        const std::string declared = kProvidedDeclared;
        if (st.status == "erased" && st.reason.starts_with(declared)) {
          st.reason = runs + st.reason.substr(declared.size());  // a generic one stays marked erased
        } else {
          st.status = "converted";
          st.reason = runs;
        }
      }
    }
  }
}

std::string Planner::UnboundedBlanket(const model::Trait& tr) const {
  for (ItemId id : tr.implementations) {
    const Item* item = crate_.Find(id);
    if (item == nullptr || item->kind != ItemKind::kImpl) continue;
    const auto& impl = item->As<model::Impl>();
    if (impl.is_synthetic || impl.is_negative || impl.for_type.kind != model::Type::Kind::kGeneric) continue;
    // `impl<T> Trait for T` (or `T: ?Sized`): no bound the proxy could fail.
    const std::string& param = impl.for_type.name;
    auto bounded = [&](const std::vector<model::GenericBound>& bounds) {
      return std::any_of(bounds.begin(), bounds.end(), [&](const model::GenericBound& b) {
        return b.kind == model::GenericBound::Kind::kTrait && b.modifier != model::GenericBound::Modifier::kMaybe &&
               StdPath(b.trait.id) != "core::marker::Sized";
      });
    };
    bool any = false;
    for (const model::GenericParamDef& p : impl.generics.params) any |= p.name == param && bounded(p.bounds);
    for (const model::WherePredicate& w : impl.generics.where_predicates) {
      any |= w.type && w.type->kind == model::Type::Kind::kGeneric && w.type->name == param && bounded(w.bounds);
    }
    if (!any) return fmt::format("impl<{0}> for {0}", param);
  }
  return "";
}

int Planner::PlanVtable(size_t index, std::set<size_t>* visiting) {
  TraitPlan& tp = plan_.traits[index];
  if (tp.vtable >= 0 || !tp.vtable_reason.empty()) return tp.vtable;
  if (!visiting->insert(index).second) {
    tp.vtable_reason = "its supertraits form a cycle";
    return -1;
  }
  VtablePlan vt;
  std::string why;
  bool made = MakeVtable(index, nullptr, visiting, &vt, &why);
  visiting->erase(index);
  if (!made) {
    plan_.traits[index].vtable_reason = why;
    return -1;
  }
  plan_.vtables.push_back(std::move(vt));
  plan_.traits[index].vtable = static_cast<int>(plan_.vtables.size() - 1);
  return plan_.traits[index].vtable;
}

bool Planner::MakeVtable(size_t index, const std::map<std::string, model::Type>* subst, std::set<size_t>* visiting,
                         VtablePlan* out, std::string* reason) {
  const TraitPlan& tp = plan_.traits[index];
  VtablePlan& vt = *out;
  auto refuse = [&](const std::string& why) {
    *reason = why;
    return false;
  };
  // A std supertrait the proxy cannot implement: the report says it on the
  // trait, since consumer types cannot be handed over (an instance's
  // reason is its use site's).
  auto refuse_noted = [&](const std::string& why) {
    for (ItemStatus& st : plan_.statuses) {
      if (subst != nullptr) break;
      if (st.kind == "trait" && st.path == plan_.traits[index].path) {
        st.reason += std::string(st.reason.empty() ? "" : "; ") + "no vtable: " + why;
      }
    }
    return refuse(why);
  };
  if (!tp.supported) return refuse("the trait does not cross");
  const Item& item = *crate_.Find(tp.id);
  const auto& tr = item.As<model::Trait>();
  if (tp.sealed) return refuse("it is sealed: consumer types cannot implement it");
  if (std::string blanket = UnboundedBlanket(tr); !blanket.empty()) {
    return refuse(fmt::format("the library's {} covers every type, the vtable's proxy too", blanket));
  }
  for (ItemId m : tr.items) {
    const Item* mi = crate_.Find(m);
    if (mi == nullptr || mi->kind != ItemKind::kAssocConst) continue;
    return refuse(fmt::format("its associated const {} is known only to the implementing type: the trait is not "
                              "dyn-compatible, and the shim's proxy is compiled before any consumer type exists",
                              mi->name));
  }
  if (!tr.generics.where_predicates.empty()) return refuse("generic traits with where clauses have no vtable yet");
  for (const model::GenericParamDef& p : tr.generics.params) {
    if (p.kind == model::GenericParamDef::Kind::kType) continue;
    return refuse(fmt::format("its {} parameter {}: traits with lifetime or const parameters have no vtable yet",
                              p.kind == model::GenericParamDef::Kind::kLifetime ? "lifetime" : "const", p.name));
  }
  bool assoc_types = std::any_of(tr.items.begin(), tr.items.end(), [&](ItemId m) {
    const Item* mi = crate_.Find(m);
    return mi != nullptr && mi->kind == ItemKind::kAssocType;
  });
  if (subst == nullptr && (!tr.generics.params.empty() || assoc_types)) {
    // One table per instance the API names (plan_vtable_instances.cc).
    instanced_traits_.insert(index);
    return refuse(kVtablePerInstance);
  }
  // A trait that is not dyn-compatible still has a table for generic
  // parameters (`R: Replacer`, docs/ABI.md "Erasure"); only the `dyn` forms
  // are left out. What makes it so is a method this check refuses, or one
  // left to the library's default below.
  vt.dyn_compatible = tr.is_dyn_compatible;
  vt.trait_path = tp.path;
  vt.name = Mangle(Inner(tp.path, crate_.name));
  // An instance's name: the trait's, and the hash of its canonical text.
  if (subst != nullptr) vt.name += "_" + HexHash(vt.instance).substr(0, 8);
  for (const model::GenericBound& b : tr.bounds) {
    // `trait Shape: 'static`: every implementor is 'static (comparisons check identity).
    if (b.kind == model::GenericBound::Kind::kOutlives && b.lifetime == "'static") vt.implies_static = true;
    if (b.kind != model::GenericBound::Kind::kTrait) continue;
    std::string std_path = StdPath(b.trait.id);
    if (!std_path.empty()) {
      // Debug, Display, Clone, comparisons: an entry each (docs/ABI.md "Vtables"); markers need nothing.
      std::string name, why;
      if (!StdSupertrait(std_path, &name, &why)) return refuse_noted(why);
      if ((name == "PartialEq" || name == "PartialOrd") && b.trait.args &&
          (!b.trait.args->args.empty() || !b.trait.args->constraints.empty())) {
        const model::GenericArgs& a = *b.trait.args;
        bool self_arg = a.constraints.empty() && a.args.size() == 1 && a.args[0].type &&
                        a.args[0].type->kind == model::Type::Kind::kGeneric && a.args[0].type->name == "Self";
        if (!self_arg) {
          return refuse_noted(fmt::format("its supertrait {}<..> compares with another type: only the Self form "
                                          "(`{}`, `{}<Self>`) has a table entry",
                                          std_path, name, name));
        }
      }
      if (!name.empty()) AddStdSupertrait(name, &vt.std_supertraits);
      continue;
    }
    auto super = std::find_if(plan_.traits.begin(), plan_.traits.end(),
                              [&](const TraitPlan& t) { return t.id == b.trait.id; });
    if (super == plan_.traits.end()) return refuse("its supertrait " + b.trait.name + " does not cross");
    int sv = PlanVtable(static_cast<size_t>(super - plan_.traits.begin()), visiting);
    if (sv < 0) return refuse("its supertrait " + super->path + " has no vtable");
    const VtablePlan& s = plan_.vtables[sv];
    for (const std::string& t : s.traits) {
      if (std::find(vt.traits.begin(), vt.traits.end(), t) == vt.traits.end()) vt.traits.push_back(t);
    }
    for (const std::string& t : s.unsafe_traits) {
      if (std::find(vt.unsafe_traits.begin(), vt.unsafe_traits.end(), t) == vt.unsafe_traits.end()) {
        vt.unsafe_traits.push_back(t);
      }
    }
    vt.implies_static |= s.implies_static;
    for (const std::string& t : s.std_supertraits) {
      if (t != "TypeId") AddStdSupertrait(t, &vt.std_supertraits);  // the identity entry goes last
    }
    for (const VtableEntry& e : s.entries) {
      bool seen = std::any_of(vt.entries.begin(), vt.entries.end(), [&](const VtableEntry& x) {
        return x.trait_path == e.trait_path && x.name == e.name;
      });
      if (!seen) vt.entries.push_back(e);
    }
  }
  vt.traits.push_back(tp.path);
  if (tr.is_unsafe) vt.unsafe_traits.push_back(tp.path);
  const TraitPlan& self = plan_.traits[index];  // PlanVtable above may not move traits, but be plain
  for (const TraitMethodPlan& mp : self.methods) {
    if (!mp.declared && mp.provided) {
      // The consumer cannot override a method the facade does not declare,
      // so the library's default on the proxy is what the consumer's type
      // has, unless a library impl overrides it (then a value of that type
      // handed over as the trait would lose the override).
      std::string overridden = LibraryOverride(tr, mp.name);
      if (!overridden.empty()) {
        return refuse(fmt::format("its method {} is not declared ({}) and {} overrides it", mp.name, mp.reason,
                                  overridden));
      }
      vt.library_defaults.push_back(fmt::format("{}::{}", self.path, mp.name));
      continue;
    }
    if (!mp.declared) return refuse(fmt::format("its method {} is not declared ({})", mp.name, mp.reason));
    const Item* method = nullptr;
    for (ItemId m : tr.items) {
      const Item* mi = crate_.Find(m);
      if (mi != nullptr && mi->kind == ItemKind::kFunction && mi->name == mp.name) method = mi;
    }
    if (method == nullptr) return refuse(mp.name + " is missing from rustdoc's output");
    // Parameters named by a pattern (`_`) get names: entries and proxies pass them on.
    model::Function f = method->As<model::Function>();
    // `where F: FnMut(u32)` on a method's own type parameter is that
    // parameter's bound (the signatures then write it inline, which Rust
    // takes as the same predicate); other where clauses stay.
    std::vector<model::WherePredicate> kept;
    for (model::WherePredicate& w : f.generics.where_predicates) {
      auto param = std::find_if(f.generics.params.begin(), f.generics.params.end(), [&](const model::GenericParamDef& p) {
        return w.kind == model::WherePredicate::Kind::kBound && w.type && w.type->kind == model::Type::Kind::kGeneric &&
               w.generic_params.empty() && p.kind == model::GenericParamDef::Kind::kType && p.name == w.type->name;
      });
      if (param == f.generics.params.end()) {
        kept.push_back(std::move(w));
        continue;
      }
      for (model::GenericBound& b : w.bounds) param->bounds.push_back(std::move(b));
    }
    f.generics.where_predicates = std::move(kept);
    if (subst != nullptr) {
      // The instance's arguments and associated types in place of the trait's.
      for (auto& input : f.sig.inputs) SubstituteVtableArgs(*subst, &input.second);
      if (f.sig.output) SubstituteVtableArgs(*subst, &*f.sig.output);
      // And in the bounds of a generic method's own parameters
      // (`F: FnMut(&Self::Item)` becomes `F: FnMut(&u32)`), which the
      // entry's erasure and both sides' signatures name.
      SubstituteVtableArgsInBounds(*subst, &f.generics);
    }
    for (size_t i = 1; i < f.sig.inputs.size(); ++i) {
      const std::string& n = f.sig.inputs[i].first;
      bool ident = !n.empty() && n != "_" &&
                   std::all_of(n.begin(), n.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
      if (!ident) f.sig.inputs[i].first = fmt::format("arg{}", i);
    }
    bool generic = !OnlyLifetimes(f.generics);
    // A generic method that keeps the trait from having a vtable: the report
    // says so on the trait (consumer types cannot be handed over).
    auto refuse_generic = [&](const std::string& why) {
      for (ItemStatus& st : plan_.statuses) {
        if (subst != nullptr) break;
        if (st.kind != "trait" || st.path != self.path) continue;
        st.reason += std::string(st.reason.empty() ? "" : "; ") + "no vtable: " + why;
      }
      return refuse(why);
    };
    if (generic && tr.is_dyn_compatible) {
      return refuse_generic(fmt::format("its method {} is generic and kept out of `dyn` (`where Self: Sized`): "
                                        "the facade's handle of the library's trait objects would still need it, "
                                        "which is not built yet",
                                        mp.name));
    }
    if (!f.generics.where_predicates.empty()) {
      bool self_sized = std::all_of(f.generics.where_predicates.begin(), f.generics.where_predicates.end(),
                                    [&](const model::WherePredicate& w) {
                                      return w.type && w.type->kind == model::Type::Kind::kGeneric &&
                                             w.type->name == "Self" && w.bounds.size() == 1 &&
                                             StdPath(w.bounds[0].trait.id) == "core::marker::Sized";
                                    });
      if (!self_sized || tr.is_dyn_compatible) {
        return refuse(fmt::format("{}: methods with where clauses have no vtable entry yet", mp.name));
      }
    }
    VtableEntry e;
    e.trait_path = self.path;
    e.name = mp.name;
    e.provided = mp.provided;
    // An `unsafe fn`: the proxy's and the handle's impls are `unsafe fn` too,
    // so only a caller that keeps the method's contract reaches the entry,
    // which calls the implementor's method under that same contract.
    e.is_unsafe = f.header.is_unsafe;
    if (f.sig.inputs.empty() || f.sig.inputs[0].first != "self" ||
        f.sig.inputs[0].second.kind != model::Type::Kind::kBorrowedRef) {
      return refuse(fmt::format("{}: only &self and &mut self methods have vtable entries yet", mp.name));
    }
    e.mutable_self = f.sig.inputs[0].second.is_mutable;
    e.self_sized = !f.generics.where_predicates.empty();  // only `Self: Sized` is left here
    std::set<std::string> closures;  // a generic method's type parameters, each passed by value
    for (size_t i = 1; i < f.sig.inputs.size(); ++i) {
      const auto& [name, type] = f.sig.inputs[i];
      AbiValue v;
      std::string why;
      bool type_param = type.kind == model::Type::Kind::kGeneric &&
                        std::any_of(f.generics.params.begin(), f.generics.params.end(),
                                    [&](const model::GenericParamDef& p) { return p.name == type.name; });
      if (generic && type_param) {
        ErasedParam ep;
        if (!closures.insert(type.name).second) {
          // Another value of the same parameter (`a: T, b: T`): the same table.
          auto prev = std::find_if(e.erased.begin(), e.erased.end(),
                                   [&](const ErasedParam& x) { return x.name == type.name; });
          auto same = std::find_if(e.params.begin(), e.params.end(), [&](const auto& p) {
            return prev != e.erased.end() && p.second.kind == AbiValue::Kind::kErased && p.second.wire_name == prev->id;
          });
          if (prev == e.erased.end() || prev->IsClosure() || same == e.params.end()) {
            return refuse_generic(
                fmt::format("{}: {} is passed twice: one closure per type parameter crosses yet", mp.name, type.name));
          }
          e.params.emplace_back(name, same->second);
          continue;
        }
        if (!ReversedParam(fmt::format("vt_{}__{}", vt.name, mp.name), f, type.name, &v, &ep, &why)) {
          return refuse_generic(fmt::format("{}: parameter {}: {}", mp.name, name, why));
        }
        e.params.emplace_back(name, v);
        e.erased.push_back(std::move(ep));
        continue;
      }
      if (!Classify(type, false, *this, &v, &why) || !VtableValue(v, false, &why)) {
        return refuse(fmt::format("{}: parameter {}: {}", mp.name, name, why));
      }
      e.params.emplace_back(name, v);
    }
    for (const model::GenericParamDef& p : f.generics.params) {
      if (p.kind == model::GenericParamDef::Kind::kLifetime || closures.count(p.name)) continue;
      return refuse_generic(fmt::format("{}: {} is not a parameter of its own: only values passed by value cross "
                                        "from the library to a consumer's generic method yet",
                                        mp.name, p.name));
    }
    if (f.sig.output) {
      std::string why;
      if (!Classify(*f.sig.output, true, *this, &e.ret, &why) || !VtableValue(e.ret, true, &why)) {
        return refuse(fmt::format("{}: return: {}", mp.name, why));
      }
    }
    if (generic && mp.provided && subst == nullptr) {
      // The facade's default body hands the consumer's closures to the
      // library's default, erased as for a generic function (an instance's
      // provided methods are the consumer type's: no default thunk).
      std::string why;
      if (!DefaultBodyErasure(fmt::format("vt_default_{}__{}", vt.name, mp.name), f, &e, &why)) {
        return refuse_generic(fmt::format("its provided method {} is generic: {}", mp.name, why));
      }
    }
    const char* safety = e.is_unsafe ? "unsafe " : "";
    e.facade_signature = PublicStdPaths(fmt::format("{}fn {}{}{}{}", safety, mp.name, render_.Params(f.generics),
                                                    render_.Signature(f.sig), render_.Where(f.generics)));
    e.shim_signature = PublicStdPaths(fmt::format("{}fn {}{}{}", safety, mp.name, shim_render_.Params(f.generics),
                                                  shim_render_.Signature(f.sig)));
    vt.entries.push_back(std::move(e));
  }
  // Clone and a provided method: the default body's proxy is lent, and a
  // clone of it is a proxy of the same type that owns the consumer's clone
  // (emit/vtable_writer.cc), dropped once.
  // Every implementor is 'static: a value could outlive the call that made
  // it (a global), so comparisons check that the other operand is of the
  // same consumer type, through the identity entry.
  if (vt.implies_static && ComparesValues(vt.std_supertraits)) vt.std_supertraits.push_back("TypeId");
  AssignVtableLayout(&vt);
  return true;
}

}  // namespace rdylib::plan::internal
