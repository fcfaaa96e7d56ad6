// The vtables of instances of generic traits and of traits with associated
// types (`dyn Handler<Event>`, `T: Feed<Item = u32>`): one table per instance
// a use site names, made on its first use (docs/ABI.md, "Vtables").
#include <fmt/format.h>

#include "plan/planner.h"
#include "plan/vtable.h"

namespace rdylib::plan::internal {

namespace {

// A trait's argument, named on each side and in the canonical text.
struct Named {
  std::string canonical, facade, shim;
};

}  // namespace

bool Planner::DynTrait(const model::Path& trait, std::string* vtable, std::string* hash, std::string* shim_path,
                       std::string* facade_path, std::string* why) const {
  for (size_t i = 0; i < plan_.traits.size(); ++i) {
    const TraitPlan& t = plan_.traits[i];
    if (t.id != trait.id) continue;
    int index = t.vtable;
    if (index < 0) {
      if (instanced_traits_.count(i) == 0) {
        // Associated consts: an erased `T: Trait` could not know them (a
        // closed set may still instantiate the library's generic per type).
        if (t.vtable_reason.starts_with("its associated const ")) *why = t.path + ": " + t.vtable_reason;
        return false;
      }
      // Made on first use: planning runs in a fixed order, so the tables'
      // order and names are deterministic. Nothing holds a reference into
      // the vtables across a classification.
      index = const_cast<Planner*>(this)->VtableInstance(i, trait, why);
      if (index < 0) return false;
    }
    const VtablePlan& vt = plan_.vtables[index];
    *vtable = vt.name;
    *hash = vt.hash;
    *shim_path = VtableTraitName(vt, vt.trait_path, false, true);
    *facade_path = VtableTraitName(vt, vt.trait_path, true, true);
    return true;
  }
  return false;
}

int Planner::VtableInstance(size_t index, const model::Path& trait, std::string* why) {
  const TraitPlan& tp = plan_.traits[index];
  const auto& tr = crate_.Find(tp.id)->As<model::Trait>();
  // A type both sides name as the same type: the proxy's impl and the
  // facade's entries name it (numbers, bool, char, the crate's own types).
  auto name = [&](const model::Type& t, const std::string& what, Named* out) {
    using TK = model::Type::Kind;
    if (t.kind == TK::kPrimitive && t.name != "str" && t.name != "never") {
      *out = {t.name, t.name, t.name};
      return true;
    }
    if (t.kind == TK::kTuple && t.elems.empty()) {
      *out = {"()", "()", "()"};
      return true;
    }
    if (t.kind == TK::kResolvedPath && !t.path.args && !FacadeName(t.path.id).empty() &&
        !ShimName(t.path.id).empty()) {
      *out = {api_render_.Type(t), FacadeName(t.path.id), ShimName(t.path.id)};
      return true;
    }
    *why = fmt::format("{}: {} {} is not a type both sides name alike (numbers, bool, char, (), the crate's "
                       "own types) yet",
                       tp.path, what, api_render_.Type(t));
    return false;
  };
  const model::GenericArgs* args = trait.args ? &*trait.args : nullptr;
  if (args != nullptr && args->kind != model::GenericArgs::Kind::kAngleBracketed) {
    *why = fmt::format("{}: only angle-bracketed arguments name a vtable instance", tp.path);
    return -1;
  }
  std::vector<const model::Type*> given;
  for (size_t i = 0; args != nullptr && i < args->args.size(); ++i) {
    const model::GenericArg& a = args->args[i];
    if (a.kind == model::GenericArg::Kind::kLifetime) continue;
    if (a.kind != model::GenericArg::Kind::kType || !a.type) {
      *why = fmt::format("{}: only type arguments name a vtable instance yet", tp.path);
      return -1;
    }
    given.push_back(&*a.type);
  }
  std::map<std::string, model::Type> subst;
  std::vector<std::string> canonical, facade, shim, facade_types, shim_types;
  size_t k = 0;
  for (const model::GenericParamDef& p : tr.generics.params) {
    if (k >= given.size()) {
      *why = fmt::format("{}: its parameter {} has no argument here (defaults are not instantiated yet)", tp.path,
                         p.name);
      return -1;
    }
    Named n;
    if (!name(*given[k], "its argument " + p.name + " =", &n)) return -1;
    subst[p.name] = *given[k++];
    canonical.push_back(n.canonical);
    facade_types.push_back(n.facade);
    shim_types.push_back(n.shim);
  }
  facade = facade_types;
  shim = shim_types;
  VtablePlan vt;
  // Associated types in the trait's order: each must be bound here, since
  // the library's shim is compiled before any consumer type exists.
  for (ItemId m : tr.items) {
    const Item* mi = crate_.Find(m);
    if (mi == nullptr || mi->kind != ItemKind::kAssocType) continue;
    const model::AssocItemConstraint* bound = nullptr;
    for (size_t i = 0; args != nullptr && i < args->constraints.size(); ++i) {
      const model::AssocItemConstraint& c = args->constraints[i];
      if (c.name == mi->name && c.is_equality && c.equality_type) bound = &c;
    }
    if (bound == nullptr) {
      *why = fmt::format("{}: its associated type {} is not bound here (`{}<{} = ..>`): the library's shim cannot "
                         "know the consumer's type",
                         tp.path, mi->name, Last(tp.path), mi->name);
      return -1;
    }
    Named n;
    if (!name(*bound->equality_type, "its associated type " + mi->name + " =", &n)) return -1;
    subst["Self::" + mi->name] = *bound->equality_type;
    canonical.push_back(mi->name + " = " + n.canonical);
    facade.push_back(mi->name + " = " + n.facade);
    shim.push_back(mi->name + " = " + n.shim);
    vt.facade_assoc.push_back(fmt::format("type {} = {};", mi->name, n.facade));
    vt.shim_assoc.push_back(fmt::format("type {} = {};", mi->name, n.shim));
  }
  auto angle = [](const std::vector<std::string>& v) {
    return v.empty() ? std::string() : fmt::format("<{}>", fmt::join(v, ", "));
  };
  vt.instance = tp.path + angle(canonical);
  vt.facade_args = angle(facade);
  vt.shim_args = angle(shim);
  vt.facade_impl_args = angle(facade_types);
  vt.shim_impl_args = angle(shim_types);
  auto known = vtable_instances_.find(vt.instance);
  if (known != vtable_instances_.end()) {
    *why = known->second.second;
    return known->second.first;
  }
  // While it is being made, a method naming the same instance is refused.
  vtable_instances_[vt.instance] = {-1, fmt::format("{} names itself inside its own methods: not built yet",
                                                    vt.instance)};
  std::set<size_t> visiting;
  std::string reason;
  if (!MakeVtable(index, &subst, &visiting, &vt, &reason)) {
    vtable_instances_[vt.instance] = {-1, fmt::format("{} has no vtable: {}", vt.instance, reason)};
    *why = vtable_instances_[vt.instance].second;
    return -1;
  }
  std::string key = vt.instance;
  plan_.vtables.push_back(std::move(vt));
  int made = static_cast<int>(plan_.vtables.size() - 1);
  vtable_instances_[key] = {made, ""};
  return made;
}

}  // namespace rdylib::plan::internal
