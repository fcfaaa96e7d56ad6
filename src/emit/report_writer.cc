// Manifest and report writers.
#include "emit/report_writer.h"

#include <fmt/format.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "api/api_writer.h"

namespace rdylib::emit {
namespace {

using api::JsonString;

struct Counts {
  int exported = 0, converted = 0, erased = 0, instantiated = 0, unsupported = 0;
  int total() const { return exported + converted + erased + instantiated + unsupported; }
};

Counts Count(const plan::Plan& plan) {
  Counts c;
  for (const plan::ItemStatus& s : plan.statuses) {
    if (s.status == "exported") ++c.exported;
    else if (s.status == "converted") ++c.converted;
    else if (s.status == "erased") ++c.erased;
    else if (s.status == "instantiated") ++c.instantiated;
    else ++c.unsupported;
  }
  return c;
}

std::string Percent(int n, int total) {
  return total == 0 ? "0.0%" : fmt::format("{:.1f}%", 100.0 * n / total);
}

// Trait items: the traits themselves, their members, and the impls of
// traits (std's forwarded ones and the crate's own).
bool IsTraitItem(const plan::ItemStatus& s) {
  return s.kind == "trait" || s.kind.starts_with("trait_") || s.kind == "impl";
}

// Per kind of item: how many, and how many cross (exported, converted or
// erased), sorted by kind; then the trait items together.
std::vector<std::pair<std::string, std::pair<int, int>>> ByKind(const plan::Plan& plan) {
  std::map<std::string, std::pair<int, int>> kinds;
  std::pair<int, int> traits{0, 0};
  for (const plan::ItemStatus& s : plan.statuses) {
    bool crosses = s.status != "unsupported";
    kinds[s.kind].first += 1;
    kinds[s.kind].second += crosses ? 1 : 0;
    if (IsTraitItem(s)) {
      traits.first += 1;
      traits.second += crosses ? 1 : 0;
    }
  }
  std::vector<std::pair<std::string, std::pair<int, int>>> out(kinds.begin(), kinds.end());
  out.emplace_back("trait items (traits, their members, trait impls)", traits);
  return out;
}

}  // namespace

std::string WriteManifest(const plan::Plan& plan) {
  std::string out = fmt::format(
      "{{\n  \"abi_version\": {},\n  \"crate\": {},\n  \"crate_version\": {},\n"
      "  \"rustc\": {},\n  \"types\": [",
      plan::kAbiVersion, JsonString(plan.crate_name), JsonString(plan.crate_version),
      JsonString(plan.rustc_version));
  for (size_t i = 0; i < plan.types.size(); ++i) {
    const plan::TypePlan& t = plan.types[i];
    std::vector<std::string> fields;
    for (const plan::FieldPlan& f : t.fields) {
      fields.push_back(fmt::format("{{\"name\": {}, \"offset\": {}}}", JsonString(f.name), f.offset));
    }
    out += fmt::format(
        "{}\n    {{\"path\": {}, \"size\": {}, \"align\": {}, \"needs_drop\": {}, \"fields\": [{}], "
        "\"traits\": [{}]}}",
        i ? "," : "", JsonString(t.path), t.size, t.align, t.needs_drop ? "true" : "false",
        fmt::join(fields, ", "), fmt::join([&] {
          std::vector<std::string> q;
          for (const std::string& s : t.traits) q.push_back(JsonString(s));
          return q;
        }(), ", "));
  }
  out += "\n  ],\n  \"functions\": [";
  for (size_t i = 0; i < plan.functions.size(); ++i) {
    const plan::FunctionPlan& f = plan.functions[i];
    out += fmt::format("{}\n    {{\"path\": {}, \"symbol\": {}}}", i ? "," : "",
                       JsonString(f.path), JsonString(f.symbol));
  }
  out += "\n  ]\n}\n";
  return out;
}

std::string WriteReportMarkdown(const plan::Plan& plan) {
  Counts c = Count(plan);
  std::string out = fmt::format(
      "# rdylib report: {} {}\n\nLibrary built by rustc {}, ABI v{}.\n\n"
      "| status | item | reason |\n|---|---|---|\n",
      plan.crate_name, plan.crate_version, plan.rustc_version, plan::kAbiVersion);
  for (const plan::ItemStatus& s : plan.statuses) {
    out += fmt::format("| {} | {} `{}`{} | {} |\n", s.status, s.kind, s.path,
                       s.hidden ? " (#[doc(hidden)])" : "", s.reason);
  }
  out += fmt::format(
      "\n## Totals\n\n{} items: {} exported ({}), {} converted ({}), {}{}{} unsupported ({}).\n",
      c.total(), c.exported, Percent(c.exported, c.total()), c.converted,
      Percent(c.converted, c.total()),
      c.erased == 0 ? "" : fmt::format("{} erased ({}), ", c.erased, Percent(c.erased, c.total())),
      c.instantiated == 0 ? ""
                          : fmt::format("{} instantiated per type of a closed set ({}), ", c.instantiated,
                                        Percent(c.instantiated, c.total())),
      c.unsupported, Percent(c.unsupported, c.total()));
  out += "\n## By kind\n\n| kind | items | cross | share |\n|---|---|---|---|\n";
  for (const auto& [kind, n] : ByKind(plan)) {
    out += fmt::format("| {} | {} | {} | {} |\n", kind, n.first, n.second, Percent(n.second, n.first));
  }
  return out;
}

std::string WriteReportJson(const plan::Plan& plan) {
  Counts c = Count(plan);
  std::string out = fmt::format("{{\n  \"crate\": {},\n  \"items\": [", JsonString(plan.crate_name));
  for (size_t i = 0; i < plan.statuses.size(); ++i) {
    const plan::ItemStatus& s = plan.statuses[i];
    out += fmt::format("{}\n    {{\"kind\": {}, \"path\": {}, \"status\": {}, \"reason\": {}{}}}",
                       i ? "," : "", JsonString(s.kind), JsonString(s.path), JsonString(s.status),
                       JsonString(s.reason), s.hidden ? ", \"hidden\": true" : "");
  }
  out += fmt::format(
      "\n  ],\n  \"totals\": {{\"items\": {}, \"exported\": {}, \"converted\": {}, "
      "\"erased\": {}, {}\"unsupported\": {}}},\n  \"by_kind\": [",
      c.total(), c.exported, c.converted, c.erased,
      c.instantiated == 0 ? "" : fmt::format("\"instantiated\": {}, ", c.instantiated), c.unsupported);
  bool first = true;
  for (const auto& [kind, n] : ByKind(plan)) {
    out += fmt::format("{}\n    {{\"kind\": {}, \"items\": {}, \"cross\": {}}}", first ? "" : ",",
                       JsonString(kind), n.first, n.second);
    first = false;
  }
  out += "\n  ]\n}\n";
  return out;
}

}  // namespace rdylib::emit
