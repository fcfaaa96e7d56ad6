// The facade's declarations of the library's public traits.
#include <fmt/format.h>

#include "emit/facade_writer_internal.h"

namespace rdylib::emit::internal {

void FacadeWriter::PrintTraitDecl(const plan::TraitPlan& t) {
  p_.Print("\n");
  p_.PrintRaw(t.attrs);
  p_.Block("$h$ {\n", {{"h", t.header}}, [&] {
    bool first = true;
    for (const std::string& a : t.assoc_items) {
      p_.Print("$a$\n", {{"a", a}});
      first = false;
    }
    for (const plan::TraitMethodPlan& m : t.methods) {
      if (!m.declared) continue;
      if (!first) p_.Print("\n");
      first = false;
      p_.PrintRaw(m.attrs);
      if (m.provided && t.vtable >= 0) {
        PrintDefaultBody(t, m);
      } else if (!m.copied_body.empty()) {
        // Compiled here, for the consumer's own type: the library's source.
        p_.Print("// The library's default body, copied from $from$.\n", {{"from", m.body_from}});
        p_.Print("$d$ ", {{"d", m.declaration}});
        p_.PrintRaw(m.copied_body);
        p_.Print("\n");
      } else {
        p_.Print("$d$;\n", {{"d", m.declaration}});
      }
    }
    PrintClosedSetMethods(t, &first);
  });
}

}  // namespace rdylib::emit::internal
