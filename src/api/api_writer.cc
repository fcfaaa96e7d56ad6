// Text and JSON writers for the public API.
#include "api/api_writer.h"

#include <fmt/format.h>

namespace rdylib::api {

std::string JsonString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string WriteText(const PublicApi& api) {
  std::string out;
  for (const ApiEntry& e : api.entries) {
    out += e.signature;
    if (e.origin == "synthetic") out += "  // auto trait";
    if (e.origin == "blanket") out += "  // blanket";
    if (e.hidden) out += "  // #[doc(hidden)]";
    out += '\n';
  }
  return out;
}

std::string WriteJson(const PublicApi& api) {
  std::string out = fmt::format(
      "{{\n  \"crate\": {},\n  \"crate_version\": {},\n  \"format_version\": {},\n"
      "  \"items\": [",
      JsonString(api.crate_name), JsonString(api.crate_version), api.format_version);
  bool first = true;
  for (const ApiEntry& e : api.entries) {
    out += first ? "\n    " : ",\n    ";
    first = false;
    out += fmt::format("{{\"kind\": {}, \"path\": {}, \"signature\": {}, \"location\": {}",
                       JsonString(e.kind), JsonString(e.path), JsonString(e.signature),
                       JsonString(e.location));
    if (!e.for_path.empty()) {
      out += fmt::format(", \"for\": {}, \"trait\": {}, \"origin\": {}",
                         JsonString(e.for_path), JsonString(e.trait), JsonString(e.origin));
    }
    if (e.hidden) out += ", \"hidden\": true";
    out += "}";
  }
  out += "\n  ]\n}\n";
  return out;
}

}  // namespace rdylib::api
