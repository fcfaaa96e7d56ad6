// A small Rust lexer and the split of a function's source into its parts,
// for copying a trait's default body into the facade (plan_copied_defaults.cc).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rdylib::plan {

struct SourceToken {
  enum class Kind { kIdent, kLifetime, kLiteral, kPunct };
  Kind kind = Kind::kPunct;
  std::string text;   // `->`, `::` and `=>` are one token; other punctuation is one char
  size_t offset = 0;  // in the source
};

/// The tokens of `source`, comments and whitespace left out. Nullopt with
/// `why` for an unterminated comment, string or char literal.
std::optional<std::vector<SourceToken>> Tokenize(std::string_view source, std::string* why);

/// A function item's source split into what the facade needs.
struct FnSource {
  std::string name;
  /// Each parameter's pattern as written (`self`, `&mut self`, `n`, `mut n`,
  /// `(a, b)`), in order.
  std::vector<std::string> params;
  /// `{ ... }`, exactly as written.
  std::string body;
};

/// Splits `source` (an item's span: attributes, qualifiers, `fn`, name,
/// generics, parameters, return type, where clause, body). Nullopt with
/// `why` when it is not a function with a body, e.g. one written by a macro.
std::optional<FnSource> SplitFn(std::string_view source, std::string* why);

/// The first identifier of `body` that is one of `names` (a trailing `*`
/// matches a prefix) and is followed by `::` anywhere in a path (`rt::x`,
/// `crate::rt::x`), or a `$` (a macro's metavariable); empty when none.
std::string FirstPathSegmentAmong(const std::vector<SourceToken>& body, const std::vector<std::string>& names);

}  // namespace rdylib::plan

namespace rdylib::plan {

/// The `use` and `extern crate` items of a module, from its source: a
/// file's whole text, or an inline `mod name { ... }` item's. Each is one
/// statement with its outer attributes (`#[allow(deprecated)] use a::B;`),
/// its visibility taken off (the copy imports privately), in source order.
/// Items nested in functions, blocks or other modules are not the module's.
std::vector<std::string> ModuleImports(std::string_view module_source);

}  // namespace rdylib::plan

namespace rdylib::plan {

/// The source of the module that the item at byte `offset` of file text
/// `file` is written in: the innermost inline `mod name { ... }` around it
/// (from `mod` to its closing brace), or the whole file. For ModuleImports.
std::string_view EnclosingModule(std::string_view file, size_t offset);

}  // namespace rdylib::plan
