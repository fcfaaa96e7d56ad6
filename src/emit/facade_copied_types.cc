// The facade's copied generic types: the library's definitions and impls,
// compiled by the consumer's rustc (docs/ABI.md, "Copied generic types").
#include "emit/facade_writer_internal.h"

namespace rdylib::emit::internal {

void FacadeWriter::PrintCopiedTypes(const std::string& module) {
  for (const plan::CopiedModulePlan& m : plan_.copied_modules) {
    if (m.host != module) continue;
    auto kept = [&](const plan::CopiedTypePlan& t) {
      return t.host == module && t.copied_module == m.name && t.dropped.empty();
    };
    if (std::none_of(plan_.copied_types.begin(), plan_.copied_types.end(), kept)) continue;
    // One module per library module, so the copies keep the privacy they
    // had among themselves there; the markers tell the check
    // (build/check_copied_types.h) which copy a compiler message is about.
    p_.Print("\n// The library's generic types as it wrote them, compiled here for the consumer's own types.\n"
             "// Their lints are the library's: whether a copy means the same is decided by its MIR.\n"
             "#[allow(warnings)]\n");
    p_.Block("mod $name$ {\n", {{"name", m.name}}, [&] {
      p_.Print("use super::*;\n");
      for (size_t i = 0; i < m.imports.size(); ++i) {
        if (m.imports[i].empty()) continue;
        p_.Print("// The library's import #$i$.\n", {{"i", std::to_string(i)}});
        p_.PrintRaw(m.imports[i]);
        p_.Print("\n");
      }
      for (const plan::CopiedTypePlan& t : plan_.copied_types) {
        if (!kept(t)) continue;
        p_.Print("// The library's type, copied from $from$.\n", {{"from", t.from}});
        p_.PrintRaw(t.derives);
        p_.PrintRaw(t.definition);
        for (const plan::CopiedImplPlan& impl : t.impls) {
          p_.Print("// The library's impl, copied from $from$.\n", {{"from", impl.from}});
          p_.PrintRaw(impl.text);
        }
      }
      p_.Print("// The end of the library's copies.\n");
    });
    for (const plan::CopiedTypePlan& t : plan_.copied_types) {
      if (kept(t)) p_.Print("pub use self::$module$::$name$;\n", {{"module", m.name}, {"name", t.name}});
    }
  }
}

}  // namespace rdylib::emit::internal
