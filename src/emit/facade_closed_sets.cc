// The facade's side of closed sets: the generic items that dispatch through
// a hidden method of a library trait, and those hidden methods.
#include <algorithm>

#include "emit/facade_writer_internal.h"

namespace rdylib::emit::internal {
namespace {

// `fn name<..>(..) -> T { <T as crate::Trait>::__rdylib_name(..) }`.
std::string Dispatching(const std::pair<std::string, std::string>& f) {
  return f.first + " {\n    " + f.second + "\n}\n";
}

}  // namespace

void FacadeWriter::PrintClosedSetMethods(const plan::TraitPlan& t, bool* first) {
  for (const plan::ClosedSetPlan& cs : plan_.closed_sets) {
    if (cs.trait_path != t.path) continue;
    for (const std::string& m : cs.hidden_methods) {
      if (!*first) p_.Print("\n");
      *first = false;
      p_.PrintRaw(m);
    }
  }
  for (const plan::ClosedSetPlan& cs : plan_.closed_sets) {
    for (const auto& [trait, m] : cs.more_hidden_methods) {
      if (trait != t.path) continue;
      if (!*first) p_.Print("\n");
      *first = false;
      p_.PrintRaw(m);
    }
  }
}

void FacadeWriter::AddClosedSetImplHeaders(std::vector<std::string>* headers) const {
  for (const plan::ClosedSetPlan& cs : plan_.closed_sets) {
    for (const plan::ClosedSetPlan::ImplMethod& m : cs.impl_methods) {
      if (std::find(headers->begin(), headers->end(), m.impl_header) == headers->end()) {
        headers->push_back(m.impl_header);
      }
    }
  }
}

void FacadeWriter::PrintClosedSetImplMethods(const std::string& header, bool* first) {
  for (const plan::ClosedSetPlan& cs : plan_.closed_sets) {
    for (const plan::ClosedSetPlan::ImplMethod& m : cs.impl_methods) {
      if (m.impl_header != header) continue;
      if (*first) p_.PrintRaw(m.impl_items);
      if (!*first) p_.Print("\n");
      *first = false;
      p_.PrintRaw(m.method);
    }
  }
}

void FacadeWriter::PrintClosedSets(const std::string& module) {
  for (const plan::ClosedSetPlan& cs : plan_.closed_sets) {
    if (cs.owner >= 0 || !cs.impl_header.empty() || cs.module != module) continue;
    for (const auto& f : cs.functions) {
      p_.Print("\n");
      p_.PrintRaw(Dispatching(f));
    }
  }
  if (module != plan_.crate_name) return;
  for (const plan::ClosedSetPlan& cs : plan_.closed_sets) {
    if (cs.impl_header.empty()) continue;
    p_.Print("\n");
    p_.Block("$h$ {\n", {{"h", cs.impl_header}}, [&] {
      bool first = true;
      for (const auto& f : cs.functions) {
        if (!first) p_.Print("\n");
        first = false;
        p_.PrintRaw(Dispatching(f));
      }
    });
  }
}

void FacadeWriter::PrintSealingTraits() {
  if (plan_.sealing_traits.empty()) return;
  p_.Print("\n// The library's sealed traits stay sealed: their markers are private to\n"
           "// this crate, implemented for the library's impls only.\n"
           "#[allow(non_camel_case_types)]\n");
  p_.Block("mod rdylib_sealed {\n", {}, [&] {
    for (const std::string& name : plan_.sealing_traits) p_.Print("pub trait $n$ {}\n", {{"n", name}});
  });
}

bool FacadeWriter::HasClosedSetMembers(const TypePlan& t) const {
  for (const plan::ClosedSetPlan& cs : plan_.closed_sets) {
    if (cs.owner == &t - plan_.types.data()) return true;
  }
  return false;
}

void FacadeWriter::PrintClosedSetMembers(const TypePlan& t) {
  for (const plan::ClosedSetPlan& cs : plan_.closed_sets) {
    if (cs.owner != &t - plan_.types.data()) continue;
    for (const auto& f : cs.functions) p_.PrintRaw(Dispatching(f));
  }
}

}  // namespace rdylib::emit::internal
