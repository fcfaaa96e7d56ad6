// Rust literals of values rdylib writes into generated code.
#pragma once

#include <string>
#include <string_view>

namespace rdylib::emit {

/// A Rust string literal holding exactly `text`: quotes and backslashes are
/// escaped, and control characters written as `\u{..}`.
std::string RustStringLiteral(std::string_view text);

}  // namespace rdylib::emit
