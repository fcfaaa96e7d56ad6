// Modules, re-exports, and the status of every remaining API entry.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "api/type_render.h"
#include "plan/planner.h"
#include "util/files.h"

namespace rdylib::plan::internal {

void Planner::PlanPaths() {
  std::set<std::string> planned;
  std::set<std::string> crossing_variants;  // of enums with data
  for (const ItemStatus& s : plan_.statuses) {
    planned.insert(s.path);
    if (s.kind == "variant" && s.status != "unsupported") crossing_variants.insert(s.path);
  }
  std::set<std::string> pinned_paths;
  for (const TypePlan& t : plan_.types) {
    if (t.shape == TypePlan::Shape::kEnum) pinned_paths.insert(t.path);
  }
  // Types and traits re-exported under other paths: their members' entries
  // there share the status of the same member under the canonical path.
  std::map<std::string, std::string> type_aliases;
  for (const api::ApiEntry& e : api_.entries) {
    auto canonical = api_.canonical_paths.find(e.id);
    if ((e.kind == "struct" || e.kind == "enum" || e.kind == "union" || e.kind == "trait") &&
        canonical != api_.canonical_paths.end() && canonical->second != e.path) {
      type_aliases[e.path] = canonical->second;
    }
  }
  std::vector<std::pair<const api::ApiEntry*, std::string>> through_aliases;  // entry, same
  for (const api::ApiEntry& e : api_.entries) {
    if (e.kind == "module") {
      if (e.path != crate_.name) plan_.modules.push_back(e.path);
      continue;
    }
    if (!planned.count(e.path)) {
      std::string alias = Parent(e.path);
      while (!alias.empty() && !type_aliases.count(alias)) alias = Parent(alias);
      if (!alias.empty()) {
        through_aliases.emplace_back(&e, type_aliases[alias] + e.path.substr(alias.size()));
        continue;
      }
    }
    auto canonical = api_.canonical_paths.find(e.id);
    bool is_item = e.kind == "struct" || e.kind == "enum" || e.kind == "function" ||
                   e.kind == "trait" || e.kind == "union" || e.kind == "constant" ||
                   e.kind == "static" || e.kind == "type_alias" || e.kind == "macro";
    if (is_item && canonical != api_.canonical_paths.end() && canonical->second != e.path) {
      bool target_planned = planned.count(canonical->second) &&
                            std::any_of(plan_.statuses.begin(), plan_.statuses.end(),
                                        [&](const ItemStatus& s) {
                                          return s.path == canonical->second &&
                                                 s.status != "unsupported";
                                        });
      if (target_planned) {
        plan_.reexports.emplace_back(e.path, canonical->second);
        Status(e.kind, e.path, "exported", "re-export of " + canonical->second);
      } else {
        Status(e.kind, e.path, "unsupported", "re-export of " + canonical->second + ", which does not cross");
      }
      continue;
    }
    if (planned.count(e.path)) continue;
    if (e.kind == "reexport" && PlanStdReexport(e)) continue;
    if (e.kind == "variant_field" && planned.count(Parent(e.path)) && !pinned_paths.count(Parent(e.path))) {
      if (crossing_variants.count(Parent(e.path))) Status("variant_field", e.path, "converted");
      else Status("variant_field", e.path, "unsupported", "its enum does not cross");
      continue;
    }
    if (e.kind == "variant" && pinned_paths.count(Parent(e.path))) {
      Status("variant", e.path, "exported");
      continue;
    }
    if (planned.count(e.path) || e.kind == "impl" || e.kind.starts_with("impl_") ||
        e.kind == "field" || e.kind == "method") {
      continue;
    }
    Status(e.kind, e.path, "unsupported", UnsupportedReason(e));
  }
  std::map<std::string, std::pair<std::string, std::string>> status_of;  // status, reason
  for (const ItemStatus& st : plan_.statuses) status_of.emplace(st.path, std::pair(st.status, st.reason));
  for (const auto& [e, same] : through_aliases) {
    auto st = status_of.find(same);
    if (st != status_of.end()) {
      const auto& [status, reason] = st->second;
      Status(e->kind, e->path, status,
             status == "unsupported" ? fmt::format("as {}: {}", same, reason) : "as " + same);
    } else {
      Status(e->kind, e->path, "unsupported", UnsupportedReason(*e));
    }
  }
  // Impls of pinned types that were neither forwarded nor refused, and
  // impls of everything else, are listed by the report from the API.
  std::sort(plan_.modules.begin(), plan_.modules.end());
  std::sort(plan_.reexports.begin(), plan_.reexports.end());
  std::sort(plan_.std_reexports.begin(), plan_.std_reexports.end());
}

bool Planner::PlanStdReexport(const api::ApiEntry& e) {
  const Item* item = crate_.Find(e.id);
  if (item == nullptr || item->kind != ItemKind::kUse) return false;
  const auto& use = item->As<model::Use>();
  // The path as written when it starts at std, core or alloc (a glob names a
  // module, which the paths table may not list); else the target's defining
  // path made public (`self::std::sync::ONCE_INIT` through a module's own
  // `extern crate std`).
  std::string source = use.source.starts_with("::") ? use.source.substr(2) : use.source;
  bool rooted = false;
  for (const char* root : {"std::", "core::", "alloc::"}) rooted = rooted || source.starts_with(root);
  std::string std_path;
  if (rooted) {
    std_path = source;
  } else if (!use.is_glob && use.target != model::kNoId && !StdPath(use.target).empty()) {
    std_path = api::PublicStdPath(StdPath(use.target));
  }
  if (std_path.empty()) return false;
  std::string alias = use.is_glob ? Parent(e.path) + "::*" : e.path;
  plan_.std_reexports.emplace_back(alias, std_path);
  Status(e.kind, e.path, "exported", "re-export of std's " + std_path + (use.is_glob ? "::*" : ""));
  return true;
}

std::string Planner::UnsupportedReason(const api::ApiEntry& e) {
  const Item* item = crate_.Find(e.id);
  if (e.kind == "struct" || e.kind == "enum" || e.kind == "union") {
    const model::Generics* g = nullptr;
    if (item != nullptr) {
      if (const auto* st = item->TryAs<model::Struct>()) g = &st->generics;
      if (const auto* en = item->TryAs<model::Enum>()) g = &en->generics;
      if (const auto* un = item->TryAs<model::Union>()) g = &un->generics;
    }
    if (g != nullptr && !g->params.empty()) {
      return OnlyLifetimes(*g) ? "enums with data and lifetime parameters do not cross yet"
                            : "types with type or const parameters are not instantiated yet";
    }
    if (layouts_.Find(e.path) == nullptr) {
      const probe::Skipped* skipped = layouts_.FindSkipped(e.path);
      return skipped ? skipped->reason : "its layout was not measured";
    }
  }
  if (e.kind == "variant" || e.kind == "variant_field") {
    return "its enum does not cross (see the enum's reason)";
  }
  if (e.kind == "trait" || e.kind.starts_with("trait_")) return "traits of other crates do not cross yet";
  if (e.kind == "constant" || e.kind == "assoc_const") return "constants do not cross yet";
  if (e.kind == "static") return "statics do not cross yet";
  if (e.kind == "macro") return "macros are not carried into the facade yet";
  if (e.kind == "type_alias") return "type aliases are not carried into the facade yet";
  if (e.kind == "union") return "unions do not cross yet";
  return "not supported yet";
}

const model::Type* Planner::AliasOf(ItemId id) const {
  const Item* item = crate_.Find(id);
  if (item == nullptr || item->kind != ItemKind::kTypeAlias || item->crate_id != 0 || Canonical(id).empty()) {
    return nullptr;
  }
  const auto& alias = item->As<model::TypeAlias>();
  if (!alias.generics.params.empty()) return nullptr;
  return &alias.type;
}

bool Planner::MentionsUnplanned(const model::Type& t) const {
  if (const model::Type* aliased = t.kind == model::Type::Kind::kResolvedPath && !t.path.args ? AliasOf(t.path.id) : nullptr) {
    return MentionsUnplanned(*aliased);
  }
  if (t.kind == model::Type::Kind::kResolvedPath) {
    const Item* target = crate_.Find(t.path.id);
    const model::ItemSummary* summary = crate_.FindPath(t.path.id);
    bool local = target != nullptr ? target->crate_id == 0 : summary != nullptr && summary->crate_id == 0;
    if (local && ShimName(t.path.id).empty()) return true;
    // Another crate's type (a dependency's, such as `lock_api::Mutex`): the
    // facade depends on nothing but std, so it cannot name it yet.
    if (!local && StdPath(t.path.id).empty() && Foreign(t.path.id) == nullptr &&
        !ForeignTraitCrosses(t.path.id)) {
      return true;
    }
    if (t.path.args) {
      for (const model::GenericArg& a : t.path.args->args) {
        if (a.type && MentionsUnplanned(*a.type)) return true;
      }
    }
  }
  if (t.kind == model::Type::Kind::kDynTrait && t.dyn_trait) {
    for (const auto& poly : t.dyn_trait->traits) {
      // std's traits, and the crate's public traits, which the facade declares.
      if (StdPath(poly.trait.id).empty() && !IsDeclaredTrait(poly.trait.id) &&
          !ForeignTraitCrosses(poly.trait.id)) {
        return true;
      }
      if (poly.trait.args) {
        for (const model::GenericArg& a : poly.trait.args->args) {
          if (a.type && MentionsUnplanned(*a.type)) return true;
        }
      }
    }
  }
  for (const model::Type& e : t.elems) {
    if (MentionsUnplanned(e)) return true;
  }
  return false;
}

std::string Planner::Canonical(ItemId id) const {
  auto it = api_.canonical_paths.find(id);
  return it == api_.canonical_paths.end() ? "" : it->second;
}

bool Planner::IsCanonicalTypePath(const std::string& path) {
  for (const auto& [id, p] : api_.canonical_paths) {
    if (p == path) return true;
  }
  return false;
}

}  // namespace rdylib::plan::internal
