// Vtable entries of generic trait methods: the library's arguments of each
// type parameter cross to the consumer's implementation erased the other way
// (docs/ABI.md, "Erasure", generic methods of library traits).
#include <fmt/format.h>

#include <set>
#include <vector>

#include "plan/planner.h"

namespace rdylib::plan::internal {

bool Planner::ReversedParam(const std::string& prefix, const model::Function& f, const std::string& param,
                            AbiValue* value, ErasedParam* out, std::string* why) {
  Erasure erasure(f, *this, prefix);
  if (erasure.ReversedValue(param, value, why)) {
    *out = erasure.params().back();
    return true;
  }
  if (!why->empty()) return false;
  // A closure: the form of a closure the library returns.
  return ReversedClosure(prefix + "__" + param, f, param, value, out, why);
}

void Planner::MarkReversedEntries() {
  // Every table, a trait's own and each instance's: called after PlanVtables
  // and again once every use site made its instances; a method is noted
  // once, however many tables carry it.
  std::set<std::string> noted;
  for (const VtablePlan& vt : plan_.vtables) {
    for (const VtableEntry& e : vt.entries) {
      if (e.trait_path != vt.trait_path || e.erased.empty()) continue;
      if (!noted.insert(vt.trait_path + "::" + e.name).second) continue;
      std::vector<std::string> what;
      for (const ErasedParam& ep : e.erased) what.push_back(fmt::format("{} ({})", ep.name, ep.Text()));
      std::string note = fmt::format(
          "a consumer's implementation is called through the vtable with the library's {} erased: size_of, TypeId "
          "and type_name of these see the facade's proxy, not the library's type",
          fmt::join(what, ", "));
      for (ItemStatus& st : plan_.statuses) {
        if (st.kind != "trait_method" || st.path != vt.trait_path + "::" + e.name) continue;
        if (st.reason.find(note) != std::string::npos) continue;  // the earlier call's
        st.reason += std::string(st.reason.empty() ? "" : "; ") + note;
      }
    }
  }
}

}  // namespace rdylib::plan::internal
