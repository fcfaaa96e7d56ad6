// Rust literals of values rdylib writes into generated code.
#include "emit/rust_literal.h"

#include <fmt/format.h>

namespace rdylib::emit {

std::string RustStringLiteral(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format("\\u{{{:x}}}", static_cast<unsigned>(c));
    } else {
      out += c;
    }
  }
  return out + "\"";
}

}  // namespace rdylib::emit
