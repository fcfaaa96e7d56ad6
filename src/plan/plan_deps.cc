// Dependency facades: reached crates, foreign types, hosted plans.
#include "plan/plan_deps.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "plan/id_translate.h"
#include "plan/planner.h"

namespace rdylib::plan {
namespace {

bool IsStdCrate(const std::string& name) {
  return name == "std" || name == "core" || name == "alloc" || name == "proc_macro" ||
         name == "test";
}

bool IsTypeKind(const std::string& kind) {
  return kind == "struct" || kind == "enum" || kind == "union";
}

void CollectIds(const model::Type& t, std::set<model::ItemId>* out);

void CollectArgs(const model::GenericArgs& a, std::set<model::ItemId>* out) {
  for (const model::GenericArg& g : a.args) {
    if (g.type) CollectIds(*g.type, out);
  }
  for (const model::Type& t : a.inputs) CollectIds(t, out);
  if (a.output) CollectIds(*a.output, out);
  for (const model::AssocItemConstraint& c : a.constraints) {
    if (c.equality_type) CollectIds(*c.equality_type, out);
  }
}

void CollectPath(const model::Path& p, std::set<model::ItemId>* out) {
  out->insert(p.id);
  if (p.args) CollectArgs(*p.args, out);
}

void CollectBounds(const std::vector<model::GenericBound>& bounds, std::set<model::ItemId>* out) {
  for (const model::GenericBound& b : bounds) {
    if (b.kind == model::GenericBound::Kind::kTrait) CollectPath(b.trait, out);
  }
}

// The traits and types of generic parameters' bounds and where clauses.
void CollectGenerics(const model::Generics& g, std::set<model::ItemId>* out) {
  for (const model::GenericParamDef& p : g.params) {
    CollectBounds(p.bounds, out);
    if (p.default_type) CollectIds(*p.default_type, out);
  }
  for (const model::WherePredicate& w : g.where_predicates) {
    CollectBounds(w.bounds, out);
    if (w.type) CollectIds(*w.type, out);
  }
}

void CollectIds(const model::Type& t, std::set<model::ItemId>* out) {
  if (t.kind == model::Type::Kind::kResolvedPath) CollectPath(t.path, out);
  if (t.dyn_trait) {
    for (const auto& poly : t.dyn_trait->traits) CollectPath(poly.trait, out);
  }
  CollectBounds(t.bounds, out);
  if (t.trait) CollectPath(*t.trait, out);
  for (const model::Type& e : t.elems) CollectIds(e, out);
  if (t.fn_pointer) {
    for (const auto& [name, in] : t.fn_pointer->sig.inputs) CollectIds(in, out);
    if (t.fn_pointer->sig.output) CollectIds(*t.fn_pointer->sig.output, out);
  }
}

// The ids an item's own text names: a signature, a field, an impl header.
void ItemIds(const model::Item& item, std::set<model::ItemId>* out) {
  if (const auto* f = item.TryAs<model::Function>()) {
    for (const auto& [name, in] : f->sig.inputs) CollectIds(in, out);
    if (f->sig.output) CollectIds(*f->sig.output, out);
    CollectGenerics(f->generics, out);
  } else if (const auto* t = item.TryAs<model::Trait>()) {
    // Supertraits and bounds: `trait Integer: num_traits::Num`.
    CollectBounds(t->bounds, out);
    CollectGenerics(t->generics, out);
  } else if (const auto* a = item.TryAs<model::AssocType>()) {
    CollectBounds(a->bounds, out);
    if (a->type) CollectIds(*a->type, out);
  } else if (const auto* f = item.TryAs<model::StructField>()) {
    CollectIds(f->type, out);
  } else if (const auto* i = item.TryAs<model::Impl>()) {
    if (i->trait) CollectPath(*i->trait, out);
    CollectIds(i->for_type, out);
    CollectGenerics(i->generics, out);
  } else if (const auto* a = item.TryAs<model::TypeAlias>()) {
    CollectIds(a->type, out);
  } else if (const auto* c = item.TryAs<model::Constant>()) {
    CollectIds(c->type, out);
  } else if (const auto* s = item.TryAs<model::Static>()) {
    CollectIds(s->type, out);
  } else if (const auto* c = item.TryAs<model::AssocConst>()) {
    CollectIds(c->type, out);
  }
}

// `crate::a::b::Name` for an item in `…/src/a/b.rs` or `…/src/a/b/mod.rs`;
// empty for a file outside `src/`.
std::string DefiningPath(const std::string& crate, const std::string& file, const std::string& name) {
  size_t src = file.rfind("/src/");
  size_t start = src == std::string::npos ? (file.rfind("src/", 0) == 0 ? 4 : std::string::npos) : src + 5;
  if (start == std::string::npos || file.size() < 3 || file.substr(file.size() - 3) != ".rs") return "";
  std::string rel = file.substr(start, file.size() - 3 - start);
  std::vector<std::string> parts;
  size_t at = 0;
  while (at <= rel.size()) {
    size_t next = rel.find('/', at);
    if (next == std::string::npos) next = rel.size();
    parts.push_back(rel.substr(at, next - at));
    at = next + 1;
  }
  if (!parts.empty() && (parts.back() == "mod" || (parts.size() == 1 && parts.back() == "lib"))) {
    parts.pop_back();
  }
  std::string out = crate;
  for (const std::string& p : parts) out += "::" + p;
  return out + "::" + name;
}

// A dependency's trait as `crate`'s plan names it (`id` in crate's rustdoc,
// `dep_id` in the dependency's): supported when the dependency's facade
// declares it.
ForeignType ForeignTrait(model::ItemId id, model::ItemId dep_id, const model::Crate& crate,
                         const model::Crate& dep, const api::PublicApi& dep_api, const Plan& dep_plan,
                         const std::map<model::ItemId, const TraitPlan*>& traits) {
  const std::string& dep_crate = dep_plan.crate_name;
  ForeignType f;
  f.id = id;
  f.crate = dep_crate;
  f.version = dep_plan.crate_version;
  f.is_trait = true;
  auto canonical = dep_api.canonical_paths.find(dep_id);
  f.path = canonical != dep_api.canonical_paths.end() ? canonical->second : "";
  auto t = traits.find(dep_id);
  if (t == traits.end() || !t->second->supported) {
    std::string why = "it is not public";
    for (const ItemStatus& st : dep_plan.statuses) {
      if (st.kind == "trait" && st.path == f.path && !st.reason.empty()) why = st.reason;
    }
    f.reason = fmt::format("the trait {} (of the dependency {} {}) does not cross: {}",
                           f.path.empty() ? "?" : f.path, dep_crate, dep_plan.crate_version, why);
    return f;
  }
  const TraitPlan& tp = *t->second;
  std::string inner = internal::Inner(tp.path, dep_crate);
  f.path = tp.path;
  f.supported = true;
  f.shim_name = fmt::format("rdylib_dep_{}::target_crate::{}", dep_crate, inner);
  f.facade_name = fmt::format("::{}::{}", dep_crate, inner);
  f.shape_text = "trait " + tp.shape_text;
  f.shape_hash = tp.shape_hash;
  // The dependency's facade writes its own types as `crate::X`.
  for (const std::string& self : tp.impl_self_types) {
    f.impl_self_types.push_back(self.starts_with("crate::") ? "::" + dep_crate + self.substr(5) : self);
  }
  // For the crate's own impls of it: the declaration in the crate's ids.
  f.trait_methods = tp.methods;
  f.trait_assoc_items = tp.assoc_items;
  if (const model::Item* item = dep.Find(dep_id); item != nullptr && item->kind == model::ItemKind::kTrait) {
    IdTranslator move(dep, crate);
    f.trait_decl = item->As<model::Trait>();
    f.trait_decl.items.clear();
    f.trait_decl.implementations.clear();
    if (!move.Bounds(&f.trait_decl.bounds) || !move.Generics(&f.trait_decl.generics)) {
      f.trait_decl_missing = move.missing();
    }
    for (model::ItemId m : item->As<model::Trait>().items) {
      const model::Item* mi = dep.Find(m);
      if (mi == nullptr) continue;
      model::Item moved = *mi;
      move.ClearMissing();
      if (move.Item(&moved)) {
        f.trait_items.push_back(std::move(moved));
      } else {
        f.trait_items_missing[mi->name] = move.missing();
      }
    }
  } else {
    f.trait_decl_missing = f.path;
  }
  return f;
}

}  // namespace

std::vector<std::string> ReachedDependencies(const model::Crate& crate, const api::PublicApi& api) {
  std::set<model::ItemId> ids;
  for (const api::ApiEntry& e : api.entries) {
    if (e.origin == "blanket" || e.origin == "synthetic") continue;
    if (const model::Item* item = crate.Find(e.id)) ItemIds(*item, &ids);
  }
  std::set<std::string> crates;
  for (model::ItemId id : ids) {
    const model::ItemSummary* s = crate.FindPath(id);
    if (s == nullptr || s->crate_id == 0 || !(IsTypeKind(s->kind) || s->kind == "trait")) continue;
    std::string name = crate.CrateName(s->crate_id);
    if (!IsStdCrate(name)) crates.insert(name);
  }
  return {crates.begin(), crates.end()};
}

void AddForeignTypes(const model::Crate& crate, const model::Crate& dep,
                     const api::PublicApi& dep_api, const Plan& dep_plan,
                     std::vector<ForeignType>* out) {
  // The dependency's types by every name the library's rustdoc may use for
  // them: the defining path (its paths table) and each public path.
  std::map<std::string, model::ItemId> by_path;
  for (const auto& [id, s] : dep.paths) {
    if (s.crate_id == 0 && (IsTypeKind(s.kind) || s.kind == "trait")) by_path[s.Joined()] = id;
  }
  for (const api::ApiEntry& e : dep_api.entries) {
    if (IsTypeKind(e.kind) || e.kind == "trait") by_path.emplace(e.path, e.id);
  }
  // Older rustdoc (format 37) lists few local items in its paths table,
  // while the library's lists the defining path: derive it from the file
  // the item is in (`src/re_unicode.rs` -> `regex::re_unicode::Regex`).
  // A path two items would derive (an inline module) names neither.
  std::map<std::string, model::ItemId> derived;
  std::set<std::string> ambiguous;
  for (const auto& [id, item] : dep.index) {
    if (item.crate_id != 0 || !item.span) continue;
    std::string kind = model::ItemKindName(item.kind);
    if (!IsTypeKind(kind) && kind != "trait") continue;
    std::string path = DefiningPath(dep.name, item.span->file, item.name);
    if (path.empty()) continue;
    if (!derived.emplace(path, id).second) ambiguous.insert(path);
  }
  for (const auto& [path, id] : derived) {
    if (!ambiguous.count(path)) by_path.emplace(path, id);
  }
  std::map<model::ItemId, const TypePlan*> planned;
  for (const TypePlan& t : dep_plan.types) planned[t.id] = &t;
  std::map<std::string, const ItemStatus*> statuses;
  for (const ItemStatus& s : dep_plan.statuses) {
    if (IsTypeKind(s.kind)) statuses[s.path] = &s;
  }
  std::map<model::ItemId, const TraitPlan*> traits;
  for (const TraitPlan& t : dep_plan.traits) traits[t.id] = &t;
  std::string dep_crate = dep_plan.crate_name;
  size_t first = out->size();
  for (const auto& [id, s] : crate.paths) {
    if (s.crate_id == 0 || crate.CrateName(s.crate_id) != dep_crate) continue;
    if (s.kind == "trait") {
      auto found = by_path.find(s.Joined());
      if (found != by_path.end()) out->push_back(ForeignTrait(id, found->second, crate, dep, dep_api, dep_plan, traits));
      continue;
    }
    if (!IsTypeKind(s.kind)) continue;
    auto found = by_path.find(s.Joined());
    if (found == by_path.end()) continue;
    ForeignType f;
    f.id = id;
    f.crate = dep_crate;
    f.version = dep_plan.crate_version;
    auto canonical = dep_api.canonical_paths.find(found->second);
    f.path = canonical != dep_api.canonical_paths.end() ? canonical->second : s.Joined();
    auto t = planned.find(found->second);
    if (t != planned.end() && t->second->supported) {
      const TypePlan& tp = *t->second;
      std::string inner = internal::Inner(tp.path, dep_crate);
      f.path = tp.path;
      f.supported = true;
      f.shim_name = fmt::format("rdylib_dep_{}::target_crate::{}{}", dep_crate, inner, StaticLifetimes(tp));
      f.facade_name = fmt::format("::{}::{}", dep_crate, inner);
      f.is_enum = tp.shape == TypePlan::Shape::kDataEnum;
      if (f.is_enum) {
        f.dep_wire_name = tp.wire_name;
        f.wire_name = fmt::format("dep_{}__{}", dep_crate, tp.wire_name);
      }
      f.size = tp.size;
      f.align = tp.align;
      f.needs_drop = tp.needs_drop;
      f.is_copy = tp.is_copy;
      f.shape_text = tp.shape_text;
      f.shape_hash = tp.shape_hash;
    } else {
      auto st = statuses.find(f.path);
      std::string why = st != statuses.end() && !st->second->reason.empty()
                            ? st->second->reason
                            : "it is generic or not measured";
      f.reason = fmt::format("{} (of the dependency {} {}) does not cross: {}", f.path, dep_crate,
                             dep_plan.crate_version, why);
    }
    out->push_back(std::move(f));
  }
  std::sort(out->begin() + first, out->end(),
            [](const ForeignType& a, const ForeignType& b) { return a.id < b.id; });
}

void HostIn(Plan* plan, const std::string& host) {
  plan->host_crate = host;
  std::string old = fmt::format("rdylib_v{}_{}", kAbiVersion, plan->crate_name);
  std::string now = plan->SymbolPrefix();
  auto rename = [&](std::string* symbol) {
    if (symbol->rfind(old, 0) == 0) *symbol = now + symbol->substr(old.size());
  };
  for (FunctionPlan& f : plan->functions) rename(&f.symbol);
  for (StaticPlan& s : plan->statics) rename(&s.symbol);
}

}  // namespace rdylib::plan

namespace rdylib::plan::internal {

void Planner::AddForeign() {
  if (foreign_list_ == nullptr) return;
  std::set<std::string> crates;
  for (const ForeignType& f : *foreign_list_) {
    foreign_[f.id] = &f;
    if (!f.supported) continue;
    // Signatures name them as the facade and the shim do.
    facade_paths_[f.id] = f.facade_name;
    shim_paths_[f.id] = f.shim_name;
    plan_.foreign_types.push_back(f);
    if (crates.insert(f.crate).second) plan_.deps.push_back({f.crate, "", f.version});
  }
}

}  // namespace rdylib::plan::internal
