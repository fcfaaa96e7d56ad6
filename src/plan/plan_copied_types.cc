// Generic structs and enums that no forwarded item names, copied into the
// facade with their impls (docs/ABI.md, "Copied generic types").
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "plan/planner.h"
#include "plan/rust_source.h"
#include "util/files.h"

namespace rdylib::plan {
namespace {

// std's derive macros, by the trait each one implements.
const std::map<std::string, std::string>& Derivable() {
  static const std::map<std::string, std::string> kDerives = {
      {"core::clone::Clone", "Clone"},     {"core::marker::Copy", "Copy"},
      {"core::fmt::Debug", "Debug"},       {"core::default::Default", "Default"},
      {"core::cmp::Eq", "Eq"},             {"core::hash::Hash", "Hash"},
      {"core::cmp::Ord", "Ord"},           {"core::cmp::PartialEq", "PartialEq"},
      {"core::cmp::PartialOrd", "PartialOrd"}};
  return kDerives;
}

// The first token after leading attributes and visibility.
size_t FirstKeyword(const std::vector<SourceToken>& t) {
  size_t i = 0;
  while (i + 1 < t.size() && t[i].text == "#" && t[i + 1].text == "[") {
    int depth = 0;
    for (++i; i < t.size(); ++i) {
      if (t[i].text == "[") ++depth;
      if (t[i].text == "]" && --depth == 0) break;
    }
    ++i;
  }
  if (i < t.size() && t[i].text == "pub") {
    ++i;
    if (i < t.size() && t[i].text == "(") {
      while (i < t.size() && t[i].text != ")") ++i;
      ++i;
    }
  }
  return i;
}

// Why copied source text cannot stand in the facade as written, or "".
std::string Unfit(const std::vector<SourceToken>& tokens) {
  std::string own = FirstPathSegmentAmong(tokens, {"rt", "api", "rdylib*", "super"});
  if (own == "$") return "its source is a macro's (it has a `$` metavariable)";
  if (own == "super") return "it names `super::`, which means another module in the facade";
  if (!own.empty()) return fmt::format("it names `{}::`, which the facade's module declares for itself", own);
  return "";
}

const char* const kNotInstantiated = "types with type or const parameters are not instantiated yet";

void SetStatuses(Plan* plan, const CopiedTypePlan& t, const std::string& status, const std::string& reason) {
  std::set<std::string> members(t.members.begin(), t.members.end());
  for (ItemStatus& st : plan->statuses) {
    if (!members.count(st.path)) continue;
    st.status = status;
    st.reason = st.path == t.path ? reason : (status == "unsupported" ? "its type is not copied" : "copied with " + t.path);
  }
}

}  // namespace

void DropCopiedType(Plan* plan, CopiedTypePlan* t, const std::string& why) {
  if (!t->dropped.empty()) return;
  t->dropped = why;
  SetStatuses(plan, *t, "unsupported", fmt::format("{}; not copied: {}", kNotInstantiated, why));
  std::erase_if(plan->statuses, [&](const ItemStatus& st) {
    return std::find(t->listed_by_copy.begin(), t->listed_by_copy.end(), std::pair(st.kind, st.path)) !=
           t->listed_by_copy.end();
  });
  // Its re-exports go too: the facade has nothing to re-export.
  for (ItemStatus& st : plan->statuses) {
    if (st.reason == "re-export of " + t->path) {
      st.status = "unsupported";
      st.reason = fmt::format("re-export of {}, which is not copied: {}", t->path, why);
    }
  }
  std::erase_if(plan->reexports, [&](const auto& r) { return r.second == t->path; });
}

void ConfirmCopiedType(Plan* plan, const CopiedTypePlan& t) {
  SetStatuses(plan, t, "exported",
              fmt::format("generic: the library's definition and impls, copied from {}, compiled in the consumer "
                          "for its own types (the same MIR as the library's); it never crosses the boundary",
                          t.from));
}

namespace internal {

void Planner::PlanCopiedTypes() {
  std::set<std::string> planned;
  for (const ItemStatus& st : plan_.statuses) planned.insert(st.path);
  for (const api::ApiEntry& e : api_.entries) {
    if ((e.kind != "struct" && e.kind != "enum") || planned.count(e.path)) continue;
    const Item* item = crate_.Find(e.id);
    if (item == nullptr || item->crate_id != 0 || Canonical(e.id) != e.path) continue;
    const model::Generics& g = item->kind == ItemKind::kStruct ? item->As<model::Struct>().generics
                                                              : item->As<model::Enum>().generics;
    if (g.params.empty() || OnlyLifetimes(g)) continue;
    std::string why = CopiedType(*item, e.path);
    if (!why.empty()) Status(e.kind, e.path, "unsupported", fmt::format("{}; not copied: {}", kNotInstantiated, why));
  }
  std::sort(plan_.copied_types.begin(), plan_.copied_types.end(),
            [](const CopiedTypePlan& a, const CopiedTypePlan& b) { return a.path < b.path; });
  std::sort(plan_.copied_modules.begin(), plan_.copied_modules.end(), [](const CopiedModulePlan& a, const CopiedModulePlan& b) {
    return std::tie(a.host, a.name) < std::tie(b.host, b.name);
  });
}

std::string Planner::CopiedType(const Item& item, const std::string& path) {
  if (!item.span) return "rustdoc gives no source span";
  CopiedTypePlan ct;
  ct.path = path;
  ct.name = item.name;
  ct.host = Parent(path);
  ct.from = BodyFrom(*item.span);
  ct.definition = SourceText(item);
  std::string why;
  std::optional<std::vector<SourceToken>> tokens = Tokenize(ct.definition, &why);
  if (!tokens) return why;
  size_t k = FirstKeyword(*tokens);
  if (k + 1 >= tokens->size() || ((*tokens)[k].text != "struct" && (*tokens)[k].text != "enum") ||
      (*tokens)[k + 1].text != item.name) {
    return "its source is not the type as written (a macro writes it)";
  }
  if (std::string unfit = Unfit(*tokens); !unfit.empty()) return unfit;
  // Outer attributes are not in rustdoc's span: the ones that change what
  // the type is come back from what rustdoc says about it.
  std::string attrs;
  if (!item.attrs.repr.empty()) attrs += "#[repr(" + item.attrs.repr + ")]\n";
  if (item.attrs.non_exhaustive) attrs += "#[non_exhaustive]\n";
  const std::vector<ItemId>& impls = item.kind == ItemKind::kStruct ? item.As<model::Struct>().impls
                                                                    : item.As<model::Enum>().impls;
  std::set<std::string> derives;
  for (ItemId id : impls) {
    const Item* ii = crate_.Find(id);
    if (ii == nullptr || ii->kind != ItemKind::kImpl) continue;
    const model::Impl& im = ii->As<model::Impl>();
    if (im.is_synthetic || im.blanket_impl || im.is_negative) continue;
    if (ii->attrs.automatically_derived) {
      std::string trait = im.trait ? StdPath(im.trait->id) : "";
      if (trait == "core::marker::StructuralPartialEq") continue;  // derive(PartialEq)'s own
      auto d = Derivable().find(trait);
      if (d == Derivable().end()) {
        return fmt::format("its derived impl of {} comes from a derive macro of another crate",
                           im.trait ? im.trait->name : "a trait");
      }
      derives.insert(d->second);
      continue;
    }
    if (!ii->span) return "one of its impls has no source span";
    CopiedImplPlan ci;
    ci.text = SourceText(*ii);
    ci.from = BodyFrom(*ii->span);
    ci.file = ii->span->file;
    ci.line = ii->span->line;
    std::optional<std::vector<SourceToken>> it = Tokenize(ci.text, &why);
    if (!it) return why;
    size_t first = (!it->empty() && (*it)[0].text == "unsafe") ? 1 : 0;
    if (it->size() <= first || (*it)[first].text != "impl") {
      return fmt::format("its impl at {} is not written as an impl (a macro writes it)", ci.from);
    }
    if (std::string unfit = Unfit(*it); !unfit.empty()) return fmt::format("its impl at {}: {}", ci.from, unfit);
    ct.impls.push_back(std::move(ci));
  }
  if (!derives.empty()) {
    std::string list;
    for (const char* name : {"Clone", "Copy", "Debug", "Default", "PartialEq", "Eq", "PartialOrd", "Ord", "Hash"}) {
      if (derives.count(name)) list += (list.empty() ? "" : ", ") + std::string(name);
    }
    attrs = "#[derive(" + list + ")]\n" + attrs;
  }
  ct.derives = attrs;
  std::sort(ct.impls.begin(), ct.impls.end(), [](const CopiedImplPlan& a, const CopiedImplPlan& b) {
    return std::tie(a.file, a.line) < std::tie(b.file, b.line);
  });
  // Its module's imports, so that the copy names what it did there: the
  // module it is written in (rustdoc does not list private ones), by its
  // source, and its path by the type's defining path.
  std::optional<std::string> file = ReadFile(item.span->file);
  if (!file) return fmt::format("its source {} cannot be read", item.span->file);
  size_t offset = 0;
  for (uint32_t line = 1; line < item.span->line && offset != std::string::npos; ++line) {
    offset = file->find('\n', offset);
    if (offset != std::string::npos) ++offset;
  }
  if (offset == std::string::npos) return "its source span is not in its file";
  std::vector<std::string> imports = ModuleImports(EnclosingModule(*file, offset));
  // The copies sit in a module of the facade module, one level below where
  // the library's module wrote them.
  for (std::string& text : imports) {
    for (size_t at = text.find("super::"); at != std::string::npos; at = text.find("super::", at + 14)) {
      text.insert(at, "super::");
    }
  }
  std::string from_module;
  if (const model::ItemSummary* summary = crate_.FindPath(item.id); summary != nullptr) {
    std::string defined = Parent(summary->Joined());
    from_module = defined.starts_with(crate_.name + "::") ? defined.substr(crate_.name.size() + 2) : "";
  }
  // One module per library module: the copies keep the privacy they had
  // among themselves there.
  ct.copied_module = "rdylib_copied";
  for (size_t at = 0; !from_module.empty() && at < from_module.size(); ++at) {
    if (at == 0) ct.copied_module += "_";
    ct.copied_module += from_module.compare(at, 2, "::") == 0 ? (++at, "__") : std::string(1, from_module[at]);
  }
  auto host = std::find_if(plan_.copied_modules.begin(), plan_.copied_modules.end(), [&](const CopiedModulePlan& m) {
    return m.host == ct.host && m.name == ct.copied_module;
  });
  if (host == plan_.copied_modules.end()) {
    plan_.copied_modules.push_back({ct.host, ct.copied_module, from_module, imports});
  } else if (host->imports != imports || host->from_module != from_module) {
    return "another generic type the facade copies into the same module comes from a module with other imports";
  }
  // The report's entries it carries.
  for (const api::ApiEntry& e : api_.entries) {
    if (e.path == path || e.path.starts_with(path + "::") || (e.kind.starts_with("impl") && e.for_path == path)) {
      ct.members.push_back(e.path);
      std::string reason = e.path == path ? "generic: copied with its impls if the facade compiles them to the "
                                            "library's MIR"
                                          : "copied with " + path;
      auto known = std::find_if(plan_.statuses.begin(), plan_.statuses.end(),
                                [&](const ItemStatus& st) { return st.path == e.path && st.kind == e.kind; });
      if (known != plan_.statuses.end()) {
        known->status = "exported";
        known->reason = reason;
      } else {
        Status(e.kind, e.path, "exported", reason);
        // What the report would not list for a type that does not cross
        // (plan_paths.cc).
        if (e.kind == "impl" || e.kind.starts_with("impl_") || e.kind == "field" || e.kind == "method") {
          ct.listed_by_copy.emplace_back(e.kind, e.path);
        }
      }
    }
  }
  plan_.copied_types.push_back(std::move(ct));
  return "";
}

}  // namespace internal
}  // namespace rdylib::plan
