// Blanket impls of the crate's traits over closures (`impl<F, T> Replacer
// for F where F: FnMut(&Captures<'_>) -> T, T: AsRef<str>`): the facade
// writes the same impl, and each method is a generic function over the
// lent closure, erased like any (docs/ABI.md, "Erasure").
#include <fmt/format.h>

#include "plan/planner.h"

namespace rdylib::plan::internal {
namespace {

void ReplaceSelf(model::Type* t, const model::Type& self_type) {
  if (t->kind == model::Type::Kind::kGeneric && t->name == "Self") {
    *t = self_type;
    return;
  }
  for (model::Type& e : t->elems) ReplaceSelf(&e, self_type);
  if (t->path.args) {
    for (model::GenericArg& a : t->path.args->args) {
      if (a.type) ReplaceSelf(&*a.type, self_type);
    }
  }
}

}  // namespace

bool Planner::ClosureBlanket(const model::Impl& impl) const {
  if (impl.for_type.kind != model::Type::Kind::kGeneric) return false;
  const std::string& self = impl.for_type.name;
  auto fn_bound = [&](const std::vector<model::GenericBound>& bounds) {
    for (const model::GenericBound& b : bounds) {
      if (b.kind != model::GenericBound::Kind::kTrait) continue;
      std::string p = StdPath(b.trait.id);
      for (const char* fn : {"Fn", "FnMut", "FnOnce"}) {
        if (p == std::string("core::ops::function::") + fn || p == std::string("std::ops::") + fn) return true;
      }
    }
    return false;
  };
  for (const model::GenericParamDef& p : impl.generics.params) {
    if (p.name == self && fn_bound(p.bounds)) return true;
  }
  for (const model::WherePredicate& w : impl.generics.where_predicates) {
    if (w.kind == model::WherePredicate::Kind::kBound && w.type && w.type->kind == model::Type::Kind::kGeneric &&
        w.type->name == self && fn_bound(w.bounds)) {
      return true;
    }
  }
  return false;
}

bool Planner::LowerClosureSelfMethod(const Item& method, const model::Impl& impl, const std::string& path,
                                     const std::map<std::string, model::Type>& assoc, FunctionPlan* out,
                                     std::string* why, bool* converted) {
  // The method as a generic function: the impl's parameters and where
  // clauses, `self` renamed `this` with Self the closure's parameter.
  Item copy = method;
  auto& f = std::get<model::Function>(copy.inner);
  model::Generics generics = impl.generics;
  for (const model::GenericParamDef& p : f.generics.params) generics.params.push_back(p);
  for (const model::WherePredicate& w : f.generics.where_predicates) generics.where_predicates.push_back(w);
  f.generics = std::move(generics);
  if (f.sig.inputs.empty() || f.sig.inputs[0].first != "self" ||
      f.sig.inputs[0].second.kind != model::Type::Kind::kBorrowedRef) {
    *why = "only &self and &mut self methods of a blanket impl over closures cross yet";
    return false;
  }
  for (auto& [name, type] : f.sig.inputs) ReplaceSelf(&type, impl.for_type);
  if (f.sig.output) ReplaceSelf(&*f.sig.output, impl.for_type);
  f.sig.inputs[0].first = "this";
  if (!LowerFunction(copy, -1, path, out, why, converted, &assoc)) return false;
  out->self_binding = "let this = self;";
  return true;
}

}  // namespace rdylib::plan::internal
