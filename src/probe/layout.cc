// Parsing and comparing measured layouts.
#include "probe/layout.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>

namespace rdylib::probe {
namespace dom = simdjson::dom;

const TypeLayout* Layouts::Find(std::string_view path) const {
  for (const TypeLayout& t : types) {
    if (t.path == path) return &t;
  }
  return nullptr;
}

const ConstBytes* Layouts::FindConst(std::string_view path) const {
  for (const ConstBytes& c : consts) {
    if (c.path == path) return &c;
  }
  return nullptr;
}

const Skipped* Layouts::FindSkipped(std::string_view path) const {
  for (const Skipped& s : skipped) {
    if (s.path == path) return &s;
  }
  return nullptr;
}

const StdFact* Layouts::FindStd(std::string_view name) const {
  for (const StdFact& f : std_facts) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

std::optional<Layouts> ParseProbeOutput(std::string_view json, const std::string& source,
                                        Diagnostics* diags) {
  dom::parser parser;
  dom::element doc;
  simdjson::padded_string padded(json);
  Layouts out;
  auto fail = [&](const std::string& what) {
    diags->Error(source, "probe output is malformed: " + what,
                 "this is a bug in rdylib's probe generator; please report it");
    return std::nullopt;
  };
  if (parser.parse(padded).get(doc) != simdjson::SUCCESS) return fail("not JSON");
  std::string_view s;
  if (doc["rustc"].get_string().get(s) == simdjson::SUCCESS) out.rustc_version = s;
  dom::array types;
  dom::array facts;
  if (doc["types"].get_array().get(types) != simdjson::SUCCESS ||
      doc["std"].get_array().get(facts) != simdjson::SUCCESS) {
    return fail("no 'types' or 'std' array");
  }
  for (dom::element t : types) {
    TypeLayout l;
    bool drop = false;
    if (t["path"].get_string().get(s) != simdjson::SUCCESS ||
        t["size"].get_uint64().get(l.size) != simdjson::SUCCESS ||
        t["align"].get_uint64().get(l.align) != simdjson::SUCCESS ||
        t["needs_drop"].get_bool().get(drop) != simdjson::SUCCESS) {
      return fail("type entry lacks path, size, align or needs_drop");
    }
    l.path = s;
    l.needs_drop = drop;
    // Without the measurement, assume interior mutability: the safe side.
    bool freeze = false;
    l.freeze = t["freeze"].get_bool().get(freeze) == simdjson::SUCCESS && freeze;
    dom::array fields;
    if (t["fields"].get_array().get(fields) == simdjson::SUCCESS) {
      for (dom::element f : fields) {
        FieldOffset fo;
        if (f["name"].get_string().get(s) != simdjson::SUCCESS ||
            f["offset"].get_uint64().get(fo.offset) != simdjson::SUCCESS) {
          return fail("field entry of " + l.path);
        }
        fo.name = s;
        l.fields.push_back(std::move(fo));
      }
    }
    dom::array tags;
    if (t["tags"].get_array().get(tags) == simdjson::SUCCESS) {
      for (dom::element g : tags) {
        VariantTag vt;
        std::string_view tag;
        if (g["variant"].get_string().get(s) != simdjson::SUCCESS ||
            g["tag"].get_string().get(tag) != simdjson::SUCCESS) {
          return fail("tag entry of " + l.path);
        }
        vt.variant = s;
        vt.tag = tag;
        l.tags.push_back(std::move(vt));
      }
    }
    out.types.push_back(std::move(l));
  }
  for (dom::element f : facts) {
    StdFact fact;
    std::string_view shape;
    if (f["name"].get_string().get(s) != simdjson::SUCCESS ||
        f["size"].get_uint64().get(fact.size) != simdjson::SUCCESS ||
        f["align"].get_uint64().get(fact.align) != simdjson::SUCCESS ||
        f["shape"].get_string().get(shape) != simdjson::SUCCESS) {
      return fail("std fact entry");
    }
    fact.name = s;
    fact.shape = shape;
    out.std_facts.push_back(std::move(fact));
  }
  dom::array consts;
  if (doc["consts"].get_array().get(consts) == simdjson::SUCCESS) {
    for (dom::element c : consts) {
      ConstBytes cb;
      std::string_view bytes;
      bool pointer_free = false;
      if (c["path"].get_string().get(s) != simdjson::SUCCESS ||
          c["bytes"].get_string().get(bytes) != simdjson::SUCCESS ||
          c["pointer_free"].get_bool().get(pointer_free) != simdjson::SUCCESS) {
        return fail("const entry");
      }
      cb.path = s;
      cb.bytes = bytes;
      cb.pointer_free = pointer_free;
      out.consts.push_back(std::move(cb));
    }
  }
  std::sort(out.consts.begin(), out.consts.end(),
            [](const ConstBytes& a, const ConstBytes& b) { return a.path < b.path; });
  std::sort(out.types.begin(), out.types.end(),
            [](const TypeLayout& a, const TypeLayout& b) { return a.path < b.path; });
  std::sort(out.std_facts.begin(), out.std_facts.end(),
            [](const StdFact& a, const StdFact& b) { return a.name < b.name; });
  return out;
}

bool CompareStdFacts(const Layouts& a, const std::string& a_name, const Layouts& b,
                     const std::string& b_name, Diagnostics* diags) {
  bool same = true;
  for (const StdFact& fa : a.std_facts) {
    const StdFact* fb = b.FindStd(fa.name);
    auto render = [](const StdFact& f) {
      return fmt::format("size {}, align {}, shape [{}]", f.size, f.align, f.shape);
    };
    if (fb == nullptr) {
      diags->Add({Severity::kError, "", fa.name,
                  fmt::format("measured with {} but not with {}", a_name, b_name), ""});
      same = false;
    } else if (!(fa == *fb)) {
      diags->Add({Severity::kError, "", fa.name,
                  fmt::format("layout differs: {} has {}; {} has {}", a_name, render(fa),
                              b_name, render(*fb)),
                  "values of this type must cross as a wire form between these toolchains"});
      same = false;
    }
  }
  return same;
}

std::string WriteLayoutsText(const Layouts& layouts) {
  std::string out = fmt::format("# layouts measured with rustc {}\n", layouts.rustc_version);
  for (const TypeLayout& t : layouts.types) {
    out += fmt::format("{}: size {}, align {}{}{}", t.path, t.size, t.align,
                       t.needs_drop ? ", needs_drop" : "", t.freeze ? "" : ", interior mutability");
    for (const FieldOffset& f : t.fields) out += fmt::format(", .{}@{}", f.name, f.offset);
    for (const VariantTag& v : t.tags) out += fmt::format(", {}={}", v.variant, v.tag);
    out += "\n";
  }
  for (const StdFact& f : layouts.std_facts) {
    out += fmt::format("std {}: size {}, align {}, shape [{}]\n", f.name, f.size, f.align,
                       f.shape);
  }
  for (const ConstBytes& c : layouts.consts) {
    out += fmt::format("const {}: {}{}\n", c.path, c.bytes, c.pointer_free ? "" : " (holds a pointer)");
  }
  for (const Skipped& s : layouts.skipped) {
    out += fmt::format("not measured: {}: {}\n", s.path, s.reason);
  }
  return out;
}

}  // namespace rdylib::probe
