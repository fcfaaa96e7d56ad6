// Finds copied generic types in a facade and in rustc's MIR.
#include "build/check_copied_types.h"

#include <fmt/format.h>

#include <optional>

#include "build/check_defaults.h"

namespace rdylib::build {

std::vector<CopiedRegion> FindCopiedRegions(const plan::Plan& plan, std::string_view lib_rs) {
  std::vector<CopiedRegion> out;
  // The open region, and the copied module (block) it belongs to.
  std::optional<CopiedRegion> open;
  std::vector<CopiedRegion> block;  // imports wait for the block's host
  std::string host;
  auto close = [&](int last) {
    if (!open) return;
    open->last = last;
    block.push_back(*open);
    open.reset();
  };
  std::string module_name;  // the block's copied module
  auto flush = [&] {
    size_t module = plan.copied_modules.size();
    for (size_t m = 0; m < plan.copied_modules.size(); ++m) {
      if (plan.copied_modules[m].host == host && plan.copied_modules[m].name == module_name) module = m;
    }
    for (CopiedRegion& r : block) {
      // (An import marker the library's own source happens to contain
      // names no import.)
      if (r.is_import && (module == plan.copied_modules.size() || r.import >= plan.copied_modules[module].imports.size())) {
        continue;
      }
      if (r.is_import) r.index = module;
      out.push_back(r);
    }
    block.clear();
    host.clear();
    module_name.clear();
  };
  const std::string_view kImport = "// The library's import #";
  const std::string_view kType = "// The library's type, copied from ";
  const std::string_view kImpl = "// The library's impl, copied from ";
  const std::string_view kEnd = "// The end of the library's copies.";
  size_t type = std::string::npos;
  size_t next_impl = 0;
  int line_no = 1;
  for (size_t at = 0; at <= lib_rs.size(); ++line_no) {
    size_t end = lib_rs.find('\n', at);
    if (end == std::string_view::npos) end = lib_rs.size();
    std::string_view line = lib_rs.substr(at, end - at);
    at = end + 1;
    size_t indent = line.find_first_not_of(' ');
    if (indent == std::string_view::npos) continue;
    line.remove_prefix(indent);
    std::string_view number = line.starts_with(kImport) ? line.substr(kImport.size()) : std::string_view();
    if (!number.empty() && number.ends_with(".") && number.size() > 1 &&
        number.substr(0, number.size() - 1).find_first_not_of("0123456789") == std::string_view::npos) {
      close(line_no - 1);
      open = CopiedRegion{true, 0, std::stoul(std::string(number.substr(0, number.size() - 1))), std::string::npos,
                          line_no + 1, 0};
    } else if (line.starts_with(kType) && line.ends_with(".")) {
      close(line_no - 1);
      std::string from(line.substr(kType.size(), line.size() - kType.size() - 1));
      type = std::string::npos;
      for (size_t t = 0; t < plan.copied_types.size(); ++t) {
        const plan::CopiedTypePlan& ct = plan.copied_types[t];
        if (ct.from == from && ct.dropped.empty() && (host.empty() || ct.host == host)) type = t;
      }
      next_impl = 0;
      if (type != std::string::npos) {
        host = plan.copied_types[type].host;
        module_name = plan.copied_types[type].copied_module;
        open = CopiedRegion{false, type, 0, std::string::npos, line_no + 1, 0};
      }
    } else if (line.starts_with(kImpl) && line.ends_with(".") && type != std::string::npos &&
               next_impl < plan.copied_types[type].impls.size()) {
      close(line_no - 1);
      open = CopiedRegion{false, type, 0, next_impl++, line_no + 1, 0};
    } else if (line == kEnd) {
      close(line_no - 1);
      flush();
      type = std::string::npos;
    }
    if (end == lib_rs.size()) break;
  }
  return out;
}

std::string CopiedImplLabel(size_t type, size_t impl) { return fmt::format("copied_impl_{}_{}", type, impl); }

std::string LabelImpls(std::string_view mir, const std::map<std::string, std::string>& labels) {
  std::string out;
  out.reserve(mir.size());
  const std::string_view kAt = "<impl at ";
  size_t done = 0;
  for (size_t at = mir.find(kAt); at != std::string_view::npos; at = mir.find(kAt, at + 1)) {
    size_t close = mir.find('>', at);
    if (close == std::string_view::npos) break;
    // `FILE:L:C: L:C`: the file, then the first line.
    std::string_view where = mir.substr(at + kAt.size(), close - at - kAt.size());
    size_t colon = where.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view file = where.substr(0, colon);
    std::string_view rest = where.substr(colon + 1);
    std::string line(rest.substr(0, rest.find(':')));
    const std::string* label = nullptr;
    for (const auto& [key, value] : labels) {
      size_t sep = key.rfind(':');
      if (sep == std::string::npos || key.substr(sep + 1) != line) continue;
      std::string_view key_file(key.data(), sep);
      if (key_file == file || key_file.ends_with("/" + std::string(file)) ||
          file.ends_with("/" + std::string(key_file))) {
        label = &value;
      }
    }
    if (label == nullptr) continue;
    // The module path before it (`lazy::`) goes too.
    size_t from = at;
    while (from >= 2 && mir.substr(from - 2, 2) == "::") {
      size_t seg = from - 2;
      while (seg > 0 && (std::isalnum(static_cast<unsigned char>(mir[seg - 1])) || mir[seg - 1] == '_')) --seg;
      if (seg == from - 2) break;
      from = seg;
    }
    if (from < done) continue;
    out.append(mir.substr(done, from - done));
    out += *label;
    done = close + 1;
  }
  out.append(mir.substr(done));
  return out;
}

std::string MirDifferenceUnder(const std::map<std::string, std::string>& lib,
                               const std::map<std::string, std::string>& facade, const std::string& label,
                               bool must_exist) {
  const std::string prefix = label + "::";
  auto under = [&](const std::map<std::string, std::string>& bodies) {
    std::map<std::string, std::string> out;
    for (auto it = bodies.lower_bound(prefix); it != bodies.end() && it->first.starts_with(prefix); ++it) {
      out.insert(*it);
    }
    return out;
  };
  std::map<std::string, std::string> a = under(lib);
  std::map<std::string, std::string> b = under(facade);
  if (a.empty() && must_exist) return "rustc printed no MIR of the library's impl";
  for (const auto& [name, text] : a) {
    auto other = b.find(name);
    std::string item = name.substr(prefix.size());
    if (other == b.end()) return fmt::format("the facade's copy has no {}", item);
    if (other->second == text) continue;
    return fmt::format("its MIR differs in the facade ({}: `{}`)", item, FirstDifferingLine(text, other->second));
  }
  for (const auto& [name, text] : b) {
    if (!a.count(name)) return fmt::format("the facade's copy has {}, which the library's has not", name.substr(prefix.size()));
  }
  return "";
}

}  // namespace rdylib::build
