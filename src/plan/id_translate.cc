// Moves types and items from one crate's rustdoc numbering to another's.
#include "plan/id_translate.h"

namespace rdylib::plan {

IdTranslator::IdTranslator(const model::Crate& from, const model::Crate& to) : from_(from) {
  for (const auto& [id, s] : to.paths) {
    // Two ids for one path and kind (rare re-export shapes): neither is
    // guessed, and `Id` reports the path missing.
    auto [it, inserted] = to_ids_.emplace(std::make_pair(s.Joined(), s.kind), id);
    if (!inserted && it->second != id) it->second = model::kNoId;
  }
}

bool IdTranslator::Id(model::ItemId* id) {
  if (*id == model::kNoId) return true;
  const model::ItemSummary* s = from_.FindPath(*id);
  std::string path = s == nullptr ? "?" : s->Joined();
  if (s != nullptr) {
    auto it = to_ids_.find({path, s->kind});
    if (it != to_ids_.end() && it->second != model::kNoId) {
      *id = it->second;
      return true;
    }
  }
  if (missing_.empty()) missing_ = path;
  return false;
}

bool IdTranslator::PathIds(model::Path* p) {
  bool ok = Id(&p->id);
  if (p->args) ok = Args(&*p->args) && ok;
  return ok;
}

bool IdTranslator::Args(model::GenericArgs* a) {
  bool ok = true;
  for (model::GenericArg& arg : a->args) {
    if (arg.type) ok = Type(&*arg.type) && ok;
  }
  for (model::AssocItemConstraint& c : a->constraints) {
    if (c.args) ok = Args(&*c.args) && ok;
    if (c.equality_type) ok = Type(&*c.equality_type) && ok;
    ok = Bounds(&c.bounds) && ok;
  }
  for (model::Type& in : a->inputs) ok = Type(&in) && ok;
  if (a->output) ok = Type(&*a->output) && ok;
  return ok;
}

bool IdTranslator::Bounds(std::vector<model::GenericBound>* bounds) {
  bool ok = true;
  for (model::GenericBound& b : *bounds) {
    if (b.kind != model::GenericBound::Kind::kTrait) continue;
    ok = PathIds(&b.trait) && ok;
    ok = Params(&b.generic_params) && ok;
  }
  return ok;
}

bool IdTranslator::Params(std::vector<model::GenericParamDef>* params) {
  bool ok = true;
  for (model::GenericParamDef& p : *params) {
    ok = Bounds(&p.bounds) && ok;
    if (p.default_type) ok = Type(&*p.default_type) && ok;
  }
  return ok;
}

bool IdTranslator::Generics(model::Generics* g) {
  bool ok = Params(&g->params);
  for (model::WherePredicate& w : g->where_predicates) {
    if (w.type) ok = Type(&*w.type) && ok;
    if (w.rhs_type) ok = Type(&*w.rhs_type) && ok;
    ok = Bounds(&w.bounds) && ok;
    ok = Params(&w.generic_params) && ok;
  }
  return ok;
}

bool IdTranslator::Signature(model::FunctionSignature* sig) {
  bool ok = true;
  for (auto& [name, in] : sig->inputs) ok = Type(&in) && ok;
  if (sig->output) ok = Type(&*sig->output) && ok;
  return ok;
}

bool IdTranslator::Type(model::Type* t) {
  bool ok = true;
  if (t->kind == model::Type::Kind::kResolvedPath) ok = PathIds(&t->path);
  if (t->kind == model::Type::Kind::kQualifiedPath && t->path.args) ok = Args(&*t->path.args) && ok;
  if (t->dyn_trait) {
    for (auto& poly : t->dyn_trait->traits) {
      ok = PathIds(&poly.trait) && ok;
      ok = Params(&poly.generic_params) && ok;
    }
  }
  ok = Bounds(&t->bounds) && ok;
  if (t->trait) ok = PathIds(&*t->trait) && ok;
  for (model::Type& e : t->elems) ok = Type(&e) && ok;
  if (t->fn_pointer) {
    ok = Signature(&t->fn_pointer->sig) && ok;
    ok = Params(&t->fn_pointer->generic_params) && ok;
  }
  return ok;
}

bool IdTranslator::Item(model::Item* item) {
  if (auto* f = std::get_if<model::Function>(&item->inner)) {
    bool ok = Signature(&f->sig);
    return Generics(&f->generics) && ok;
  }
  if (auto* a = std::get_if<model::AssocType>(&item->inner)) {
    bool ok = Bounds(&a->bounds);
    ok = Generics(&a->generics) && ok;
    if (a->type) ok = Type(&*a->type) && ok;
    return ok;
  }
  if (auto* c = std::get_if<model::AssocConst>(&item->inner)) return Type(&c->type);
  return false;
}

}  // namespace rdylib::plan
