// The plan stage: the driver that runs the planner's passes, and helpers.
#include "plan/plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <tuple>

#include "plan/fingerprint.h"
#include "plan/planner.h"
#include "util/files.h"

namespace rdylib::plan {
namespace internal {

std::string Inner(const std::string& path, const std::string& crate) {
  return path.size() > crate.size() ? path.substr(crate.size() + 2) : "";
}

std::string Parent(const std::string& path) {
  size_t p = path.rfind("::");
  return p == std::string::npos ? "" : path.substr(0, p);
}

std::string Last(const std::string& path) {
  size_t at = path.rfind("::");
  return at == std::string::npos ? path : path.substr(at + 2);
}

std::string Mangle(const std::string& path) {
  std::string out;
  for (char c : path) out += (c == ':') ? '_' : c;
  return out;
}

uint64_t ScalarSize(const std::string& s) {
  static const std::map<std::string, uint64_t> kSizes = {
      {"i8", 1}, {"u8", 1}, {"bool", 1}, {"i16", 2}, {"u16", 2}, {"i32", 4},
      {"u32", 4}, {"f32", 4}, {"char", 4}, {"i64", 8}, {"u64", 8}, {"f64", 8},
      {"isize", 8}, {"usize", 8}, {"i128", 16}, {"u128", 16}};
  auto it = kSizes.find(s);
  return it == kSizes.end() ? 0 : it->second;
}

bool OnlyLifetimes(const model::Generics& g) {
  return std::all_of(g.params.begin(), g.params.end(), [](const model::GenericParamDef& p) {
    return p.kind == model::GenericParamDef::Kind::kLifetime;
  });
}

Plan Planner::Run() {
  plan_.crate_name = crate_.name;
  plan_.crate_version = crate_.crate_version;
  plan_.rustc_version = layouts_.rustc_version;
  for (const auto& [id, path] : api_.canonical_paths) {
    facade_paths_[id] = "crate" + path.substr(crate_.name.size());
    shim_paths_[id] = "target_crate" + path.substr(crate_.name.size());
  }
  AddForeign();
  PlanTypes();
  for (const TypePlan& t : plan_.types) pinned_[t.id] = &t - plan_.types.data();
  PlanTypeDetails();
  PlanTraits();
  PlanCopiedDefaults();
  PlanFunctions();
  PlanTraitMethodImpls();
  PlanFromImpls();
  PlanLibraryTraitImpls();
  PlanForeignTraitImpls();
  PlanClosedSets();
  MarkReversedEntries();  // again: instances are made by their use sites
  PlanConsts();
  PlanStatics();
  PlanMacrosAndAliases();
  PlanCopiedTypes();
  PlanPaths();
  AssignFingerprints(&plan_);
  AddClosedSetChecks();
  std::sort(plan_.std_facts.begin(), plan_.std_facts.end());
  plan_.std_facts.erase(std::unique(plan_.std_facts.begin(), plan_.std_facts.end()), plan_.std_facts.end());
  std::sort(plan_.shared_allocations.begin(), plan_.shared_allocations.end());
  plan_.shared_allocations.erase(std::unique(plan_.shared_allocations.begin(), plan_.shared_allocations.end()),
                                 plan_.shared_allocations.end());
  std::map<std::string, bool> hidden;  // path -> every entry there is hidden
  for (const api::ApiEntry& e : api_.entries) {
    auto [it, inserted] = hidden.emplace(e.path, e.hidden);
    if (!inserted) it->second = it->second && e.hidden;
  }
  for (ItemStatus& s : plan_.statuses) {
    auto it = hidden.find(s.path);
    s.hidden = it != hidden.end() && it->second;
  }
  std::sort(plan_.statuses.begin(), plan_.statuses.end(),
            [](const ItemStatus& a, const ItemStatus& b) {
              return std::tie(a.path, a.kind) < std::tie(b.path, b.kind);
            });
  return std::move(plan_);
}

}  // namespace internal

std::string StaticLifetimes(const TypePlan& t) {
  if (t.lifetimes.empty()) return "";
  std::vector<std::string> statics(t.lifetimes.size(), "'static");
  return fmt::format("<{}>", fmt::join(statics, ", "));
}

std::string Plan::SymbolPrefix() const {
  std::string prefix = fmt::format("rdylib_v{}_{}", kAbiVersion, crate_name);
  if (host_crate.empty()) return prefix;
  prefix += "_";
  for (char c : crate_version) prefix += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return prefix;
}

std::string Plan::TraitSymbol(const TypePlan& t, const std::string& what) const {
  // The type's shape hash: a thunk of a changed type is not found.
  return fmt::format("{}{}__{}_{}", SymbolPrefix(), internal::Mangle(t.path).substr(crate_name.size()),
                     what, t.shape_hash);
}

Plan MakePlan(const model::Crate& crate, const api::PublicApi& api,
              const probe::Layouts& layouts) {
  return internal::Planner(crate, api, layouts).Run();
}

Plan MakePlan(const model::Crate& crate, const api::PublicApi& api,
              const probe::Layouts& layouts, const std::vector<ForeignType>& foreign) {
  internal::Planner planner(crate, api, layouts);
  planner.set_foreign(&foreign);
  return planner.Run();
}

}  // namespace rdylib::plan
