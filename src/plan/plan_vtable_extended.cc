// A library trait's table extended, for one use site, with entries for std
// bounds the trait's own table does not carry (`R: Replacer + Display`,
// `T: Walk + Clone`), or with the identity entry of a 'static parameter.
#include <fmt/format.h>

#include <algorithm>

#include "plan/planner.h"
#include "plan/vtable.h"
#include "util/files.h"

namespace rdylib::plan::internal {

bool Planner::ExtendedVtable(const std::string& vtable, const std::vector<std::string>& extra, std::string* out,
                             std::string* hash, std::string* shim_path, std::string* facade_path,
                             std::string* why) const {
  auto base = std::find_if(plan_.vtables.begin(), plan_.vtables.end(),
                           [&](const VtablePlan& v) { return v.name == vtable; });
  if (base == plan_.vtables.end()) {
    *why = "the trait's table is not made";
    return false;
  }
  VtablePlan vt = *base;
  std::string facade_bounds, shim_bounds, canonical;
  for (const std::string& t : extra) {
    if (t == "'static") {
      // The parameter is 'static: its values may outlive the call (a
      // global), so the table's comparisons check the other operand's type
      // through the identity entry (docs/ABI.md, "Vtables").
      if (!ComparesValues(vt.std_supertraits) ||
          std::find(vt.std_supertraits.begin(), vt.std_supertraits.end(), "TypeId") != vt.std_supertraits.end()) {
        continue;
      }
      vt.std_supertraits.push_back("TypeId");
      facade_bounds += " + 'static";
      shim_bounds += " + 'static";
      canonical += " + 'static";
      continue;
    }
    if (t != "Debug" && t != "Display" && t != "Clone") {
      *why = fmt::format("{} has no table entry yet", t);
      return false;
    }
    // The entry is the one a std supertrait has: the consumer's own
    // formatting, with the library's flags, or its clone, owned by a new
    // proxy (docs/ABI.md, "Vtables").
    if (std::find(vt.std_supertraits.begin(), vt.std_supertraits.end(), t) != vt.std_supertraits.end()) continue;
    // The identity entry stays last.
    auto identity = std::find(vt.std_supertraits.begin(), vt.std_supertraits.end(), "TypeId");
    vt.std_supertraits.insert(identity, t);
    std::string path = t == "Clone" ? "clone::Clone" : "fmt::" + t;
    facade_bounds += " + core::" + path;
    shim_bounds += " + std::" + path;
    canonical += " + core::" + path;
  }
  if (canonical.empty()) {
    *why = "the trait's table carries those bounds already";
    return false;
  }
  // An instance of its own: named and hashed by its canonical text, which
  // names the extra bounds; its layout lists their entries, so the symbols
  // of every function passing it, and their load check, cover them. It
  // serves generic parameters only: no `dyn` value has these bounds.
  vt.instance = (base->instance.empty() ? base->trait_path : base->instance) + canonical;
  vt.name = base->name + "_x" + HexHash(vt.instance).substr(0, 8);
  vt.facade_args += facade_bounds;
  vt.shim_args += shim_bounds;
  vt.dyn_compatible = false;
  AssignVtableLayout(&vt);
  auto known = vtable_instances_.find(vt.instance);
  int index = -1;
  if (known != vtable_instances_.end()) {
    index = known->second.first;
  } else {
    // Made on first use, in planning's fixed order: names and order are
    // deterministic. Nothing holds a reference into the vtables meanwhile.
    auto* self = const_cast<Planner*>(this);
    std::string key = vt.instance;
    self->plan_.vtables.push_back(std::move(vt));
    index = static_cast<int>(plan_.vtables.size() - 1);
    self->vtable_instances_[key] = {index, ""};
  }
  const VtablePlan& made = plan_.vtables[index];
  *out = made.name;
  *hash = made.hash;
  *shim_path = VtableTraitName(made, made.trait_path, false, true);
  *facade_path = VtableTraitName(made, made.trait_path, true, true);
  return true;
}

}  // namespace rdylib::plan::internal
