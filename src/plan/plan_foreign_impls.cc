// The crate's impls of its dependencies' traits for its own types: the
// facade implements the dependency facade's trait by forwarding each method
// to the library's impl (docs/ABI.md, "Dependency facades").
#include <fmt/format.h>

#include <algorithm>

#include "plan/planner.h"

namespace rdylib::plan::internal {

bool Planner::FacadeHasSuper(int owner, const std::string& self_key, const model::GenericBound& b,
                             const std::set<ItemId>& planned, std::string* missing) const {
  if (b.kind != model::GenericBound::Kind::kTrait || b.modifier == model::GenericBound::Modifier::kMaybe) {
    return true;
  }
  std::string std_path = StdPath(b.trait.id);
  if (!std_path.empty()) {
    // Std's traits: the facade forwards the library's impls one by one; any
    // that did not cross may be the one the bound needs.
    std::string canonical = api_render_.PathName(b.trait);
    if (canonical == "core::marker::Sized" || (std_impls_.count({owner, canonical}) &&
                                               !std_impls_refused_.count({owner, canonical}))) {
      return true;
    }
    *missing = fmt::format("needs its supertrait {}, which the facade does not implement for this type",
                           canonical);
    return false;
  }
  if (const ForeignType* f = ForeignTrait(b.trait.id)) {
    if (planned.count(b.trait.id) ||
        std::binary_search(f->impl_self_types.begin(), f->impl_self_types.end(), self_key)) {
      return true;
    }
    *missing = fmt::format("needs its supertrait {}, whose impl for this type does not cross", f->path);
    return false;
  }
  *missing = fmt::format("needs its supertrait {}, which the facade cannot name", b.trait.name);
  return false;
}

void Planner::PlanForeignTraitImpls() {
  struct Planned {
    const ForeignType* trait;
    int owner;
    std::string self_key;
    std::string path;
    std::string header;
    std::string items;
    std::vector<FunctionPlan> functions;
  };
  std::vector<Planned> planned;
  for (const auto& [id, owner] : foreign_impls_) {
    const Item& item = *crate_.Find(id);
    const auto& impl = item.As<model::Impl>();
    const ForeignType& f = *ForeignTrait(impl.trait->id);
    std::string path = TraitImplPath(plan_.types[owner].path, impl);
    std::string why;
    if (!f.supported) {
      why = f.reason;
    } else if (!OnlyLifetimes(impl.generics)) {
      why = "generic impls of a dependency's trait are not instantiated yet";
    } else if (!f.trait_decl_missing.empty()) {
      why = fmt::format("the trait's declaration names {}, which this crate's rustdoc does not list",
                        f.trait_decl_missing);
    }
    if (!why.empty()) {
      Status("impl", path, "unsupported", why);
      continue;
    }
    // The dependency's plan of the trait, as PlanLibraryTraitImpl reads it.
    TraitPlan tp;
    tp.id = f.id;
    tp.path = f.path;
    tp.methods = f.trait_methods;
    tp.shape_hash = f.shape_hash;
    Planned p{&f, owner, render_.Type(impl.for_type), path, "", "", {}};
    if (!PlanLibraryTraitImpl(tp, item, &p.functions, &p.header, &p.items, &why, &f)) {
      Status("impl", path, "unsupported", why);
      continue;
    }
    planned.push_back(std::move(p));
  }
  // Each impl needs the facade to satisfy the trait's supertraits for the
  // type (`Zero: Add<Self, Output = Self>`): drop those that it does not,
  // to a fixpoint, since one may be another's supertrait.
  std::vector<bool> dropped(planned.size(), false);
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t i = 0; i < planned.size(); ++i) {
      if (dropped[i]) continue;
      std::set<ItemId> have;
      for (size_t j = 0; j < planned.size(); ++j) {
        if (!dropped[j] && planned[j].owner == planned[i].owner) have.insert(planned[j].trait->id);
      }
      std::string missing;
      for (const model::GenericBound& b : planned[i].trait->trait_decl.bounds) {
        if (FacadeHasSuper(planned[i].owner, planned[i].self_key, b, have, &missing)) continue;
        Status("impl", planned[i].path, "unsupported", missing);
        dropped[i] = true;
        changed = true;
        break;
      }
    }
  }
  for (size_t i = 0; i < planned.size(); ++i) {
    if (dropped[i]) continue;
    Planned& p = planned[i];
    bool converted = false;
    for (const FunctionPlan& fp : p.functions) {
      for (const ParamPlan& param : fp.params) converted |= param.value.IsConverted();
      converted |= fp.ret.IsConverted();
    }
    Status("impl", p.path, converted ? "converted" : "exported",
           converted ? "values are converted at the boundary" : "");
    if (p.functions.empty()) plan_.empty_impls.emplace_back(PublicStdPaths(p.header), PublicStdPaths(p.items));
    for (FunctionPlan& fp : p.functions) plan_.functions.push_back(std::move(fp));
  }
}

}  // namespace rdylib::plan::internal
