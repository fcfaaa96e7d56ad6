// Diagnostics: user-facing errors and warnings with location, item path and hint.
#pragma once

#include <string>
#include <vector>

namespace rdylib {

enum class Severity { kError, kWarning, kNote };

/// One message for the user. `location` is "file:line" or "file" when known,
/// `item` is the Rust item path it concerns, `hint` says what to do about it.
struct Diagnostic {
  Severity severity = Severity::kError;
  std::string location;
  std::string item;
  std::string message;
  std::string hint;

  /// Renders as "location: error: item: message\n  hint: hint", leaving out
  /// the parts that are empty.
  std::string ToString() const;
};

/// Collects diagnostics across a stage so all of them are reported at the
/// stage boundary, not just the first.
class Diagnostics {
 public:
  void Add(Diagnostic d) { items_.push_back(std::move(d)); }
  void Error(std::string location, std::string message, std::string hint = "");
  void Warning(std::string location, std::string message, std::string hint = "");

  bool HasErrors() const;
  size_t ErrorCount() const;
  const std::vector<Diagnostic>& items() const { return items_; }
  bool empty() const { return items_.empty(); }

  /// Every diagnostic, one per line (hints on their own indented line).
  std::string ToString() const;

 private:
  std::vector<Diagnostic> items_;
};

}  // namespace rdylib
