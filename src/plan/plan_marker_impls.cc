// Marker impls: the library's impls without items of its traits that declare
// no items in the facade (`impl<T, Rhs, Output> NumOps<Rhs, Output> for T
// where T: Add<..> + ..`), written into the facade as they are, since no code
// of theirs crosses.
#include <fmt/format.h>

#include <set>

#include "plan/planner.h"

namespace rdylib::plan::internal {

bool Planner::MarkerBoundsCross(const std::vector<model::GenericBound>& bounds, bool* std_only) const {
  for (const model::GenericBound& b : bounds) {
    if (b.kind != model::GenericBound::Kind::kTrait) continue;
    bool std_trait = !StdPath(b.trait.id).empty();
    if (!std_trait && !IsDeclaredTrait(b.trait.id) && !ForeignTraitCrosses(b.trait.id)) return false;
    *std_only &= std_trait;
    if (!b.trait.args) continue;
    for (const model::GenericArg& a : b.trait.args->args) {
      if (a.type && (MentionsUnplanned(*a.type) || BareQualified(*a.type))) return false;
    }
    for (const model::AssocItemConstraint& c : b.trait.args->constraints) {
      if (c.equality_type && (MentionsUnplanned(*c.equality_type) || BareQualified(*c.equality_type))) {
        return false;
      }
      if (!MarkerBoundsCross(c.bounds, std_only)) return false;
    }
  }
  return true;
}

bool Planner::PlanMarkerImpl(const TraitPlan& tp, const Item& impl_item, const std::string& path) {
  const auto& impl = impl_item.As<model::Impl>();
  if (!impl.items.empty() || impl.is_negative) return false;
  // The facade declares provided methods without their default bodies
  // (they run in the library): only a trait with nothing to implement in
  // the facade takes an impl without items (rand's `impl<R: RngCore> Rng
  // for R {}` keeps Rng's defaults, which the facade does not have).
  if (!tp.assoc_items.empty()) return false;
  // Impls for one type go through PlanLibraryTraitImpl, which checks their
  // supertraits' impls.
  if (!impl.blanket_impl && OnlyLifetimes(impl.generics)) return false;
  for (const TraitMethodPlan& m : tp.methods) {
    if (m.declared) return false;
  }
  bool std_only = true;
  bool crosses = !MentionsUnplanned(impl.for_type) && !BareQualified(impl.for_type);
  for (const model::GenericParamDef& p : impl.generics.params) {
    crosses &= p.kind != model::GenericParamDef::Kind::kConst && !p.default_type;
    crosses &= MarkerBoundsCross(p.bounds, &std_only);
  }
  for (const model::WherePredicate& w : impl.generics.where_predicates) {
    crosses &= w.kind == model::WherePredicate::Kind::kBound;
    crosses &= !w.type || (!MentionsUnplanned(*w.type) && !BareQualified(*w.type));
    crosses &= MarkerBoundsCross(w.bounds, &std_only);
  }
  if (impl.trait->args) {
    for (const model::GenericArg& a : impl.trait->args->args) {
      crosses &= !a.type || (!MentionsUnplanned(*a.type) && !BareQualified(*a.type));
    }
  }
  if (!crosses) return false;
  const auto& tr = crate_.Find(tp.id)->As<model::Trait>();
  // The trait's supertraits other than std's must be bounds of the impl's
  // self type (`impl<T> NumRef for T where T: Num + ..`): the facade may lack
  // an impl by which the library satisfies them otherwise (petgraph's `impl
  // GraphRef for &G` relies on a generic `impl GraphBase for &G`). Std's are
  // the same traits in both, checked by the consumer's compiler as by the
  // library's.
  std::set<ItemId> bounded;
  if (impl.for_type.kind == model::Type::Kind::kGeneric) {
    const std::string& self = impl.for_type.name;
    auto add = [&](const std::vector<model::GenericBound>& bounds) {
      for (const model::GenericBound& b : bounds) {
        if (b.kind == model::GenericBound::Kind::kTrait) bounded.insert(b.trait.id);
      }
    };
    for (const model::GenericParamDef& p : impl.generics.params) {
      if (p.name == self) add(p.bounds);
    }
    for (const model::WherePredicate& w : impl.generics.where_predicates) {
      if (w.type && w.type->kind == model::Type::Kind::kGeneric && w.type->name == self) add(w.bounds);
    }
  }
  for (const model::GenericBound& b : tr.bounds) {
    if (b.kind == model::GenericBound::Kind::kTrait && StdPath(b.trait.id).empty() && !bounded.count(b.trait.id)) {
      return false;
    }
  }
  std::string header = fmt::format("{}impl{} {} for {}{}", impl.is_unsafe || tr.is_unsafe ? "unsafe " : "",
                                   render_.Params(impl.generics), render_.Type(TraitAsType(*impl.trait)),
                                   render_.Type(impl.for_type), render_.Where(impl.generics));
  plan_.empty_impls.emplace_back(PublicStdPaths(header), "");
  // A blanket impl bounded by std's traits alone holds for a std type in the
  // facade exactly when it does in the library (the same std traits): it
  // stands for the supertrait impls of the library's impls for std types.
  bool blanket = impl.blanket_impl || impl.for_type.kind == model::Type::Kind::kGeneric;
  if (blanket && std_only) marker_blankets_.insert(tp.id);
  Status("impl", path, "exported", "a marker impl (no items): written in the facade as it is");
  return true;
}

}  // namespace rdylib::plan::internal
