// Printer: the one way rdylib emits code. `$var$` templates over raw strings,
// RAII indentation, and callbacks for nested blocks.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace rdylib {

/// Accumulates generated text. Print() substitutes `$name$` from the given
/// variables ("$$" prints a single "$") and indents every line it starts by
/// the current indent. A missing variable is a bug in rdylib, not a user
/// mistake, so it aborts with a message naming the variable and template.
class Printer {
 public:
  using Vars = std::map<std::string, std::string, std::less<>>;

  explicit Printer(int indent_width = 4) : indent_width_(indent_width) {}

  void Print(std::string_view tmpl, const Vars& vars = {});
  /// Prints already rendered text as it is (indented like Print, but no
  /// `$` is read as a variable): text is never read again as a template.
  void PrintRaw(std::string_view text) { Append(text); }
  /// Prints `open`, runs `body` one level deeper, then prints `close`.
  void Block(std::string_view open, const Vars& vars, const std::function<void()>& body,
             std::string_view close = "}\n");

  void Indent() { ++level_; }
  void Outdent();

  /// Indents for its lifetime.
  class Scope {
   public:
    explicit Scope(Printer& p) : p_(p) { p_.Indent(); }
    ~Scope() { p_.Outdent(); }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    Printer& p_;
  };

  const std::string& str() const { return out_; }

 private:
  void Append(std::string_view text);

  std::string out_;
  int level_ = 0;
  int indent_width_;
  bool at_line_start_ = true;
};

}  // namespace rdylib
