// A small Rust lexer and the split of a function's source into its parts.
#include "plan/rust_source.h"

#include <algorithm>

namespace rdylib::plan {
namespace {

bool IdentStart(unsigned char c) { return std::isalpha(c) || c == '_' || c >= 0x80; }
bool IdentChar(unsigned char c) { return std::isalnum(c) || c == '_' || c >= 0x80; }

// The length of the UTF-8 sequence that starts with `c`.
size_t Utf8Length(unsigned char c) {
  if (c < 0x80) return 1;
  if ((c >> 5) == 0x6) return 2;
  if ((c >> 4) == 0xe) return 3;
  return 4;
}

class Lexer {
 public:
  explicit Lexer(std::string_view s) : s_(s) {}

  std::optional<std::vector<SourceToken>> Run(std::string* why) {
    std::vector<SourceToken> out;
    while (i_ < s_.size()) {
      unsigned char c = s_[i_];
      size_t start = i_;
      if (std::isspace(c)) {
        ++i_;
      } else if (s_.substr(i_, 2) == "//") {
        size_t nl = s_.find('\n', i_);
        i_ = nl == std::string_view::npos ? s_.size() : nl + 1;
      } else if (s_.substr(i_, 2) == "/*") {
        if (!BlockComment()) return Fail(why, "an unterminated block comment", start);
      } else if (StringPrefix()) {
        if (!String()) return Fail(why, "an unterminated string literal", start);
        out.push_back({SourceToken::Kind::kLiteral, std::string(s_.substr(start, i_ - start)), start});
      } else if (s_.substr(i_, 2) == "r#" && i_ + 2 < s_.size() && IdentStart(s_[i_ + 2])) {
        i_ += 2;
        while (i_ < s_.size() && IdentChar(s_[i_])) ++i_;
        out.push_back({SourceToken::Kind::kIdent, std::string(s_.substr(start + 2, i_ - start - 2)), start});
      } else if (c == 'b' && i_ + 1 < s_.size() && s_[i_ + 1] == '\'') {
        ++i_;
        if (!CharLiteral()) return Fail(why, "an unterminated byte literal", start);
        out.push_back({SourceToken::Kind::kLiteral, std::string(s_.substr(start, i_ - start)), start});
      } else if (IdentStart(c)) {
        while (i_ < s_.size() && IdentChar(s_[i_])) ++i_;
        out.push_back({SourceToken::Kind::kIdent, std::string(s_.substr(start, i_ - start)), start});
      } else if (std::isdigit(c)) {
        Number();
        out.push_back({SourceToken::Kind::kLiteral, std::string(s_.substr(start, i_ - start)), start});
      } else if (c == '\'') {
        if (IsCharLiteral()) {
          if (!CharLiteral()) return Fail(why, "an unterminated char literal", start);
          out.push_back({SourceToken::Kind::kLiteral, std::string(s_.substr(start, i_ - start)), start});
        } else {
          ++i_;
          while (i_ < s_.size() && IdentChar(s_[i_])) ++i_;
          out.push_back({SourceToken::Kind::kLifetime, std::string(s_.substr(start, i_ - start)), start});
        }
      } else {
        std::string_view two = s_.substr(i_, 2);
        size_t n = two == "::" || two == "->" || two == "=>" ? 2 : 1;
        i_ += n;
        out.push_back({SourceToken::Kind::kPunct, std::string(s_.substr(start, n)), start});
      }
    }
    return out;
  }

 private:
  std::nullopt_t Fail(std::string* why, const char* what, size_t at) {
    size_t line = 1 + std::count(s_.begin(), s_.begin() + static_cast<std::ptrdiff_t>(at), '\n');
    *why = std::string(what) + " on line " + std::to_string(line) + " of the item";
    return std::nullopt;
  }

  bool BlockComment() {
    int depth = 0;
    while (i_ < s_.size()) {
      if (s_.substr(i_, 2) == "/*") {
        ++depth;
        i_ += 2;
      } else if (s_.substr(i_, 2) == "*/") {
        i_ += 2;
        if (--depth == 0) return true;
      } else {
        ++i_;
      }
    }
    return false;
  }

  // At `"`, `r"`, `r#"`, `b"`, `br"`, `c"`, `cr#"`...
  bool StringPrefix() const {
    size_t j = i_;
    if (j < s_.size() && (s_[j] == 'b' || s_[j] == 'c')) ++j;
    if (j < s_.size() && s_[j] == 'r') {
      ++j;
      while (j < s_.size() && s_[j] == '#') ++j;
    }
    return j < s_.size() && s_[j] == '"' && (j == i_ || IdentStart(s_[i_]));
  }

  bool String() {
    bool raw = false;
    size_t hashes = 0;
    while (s_[i_] != '"') {
      if (s_[i_] == 'r') raw = true;
      if (s_[i_] == '#') ++hashes;
      ++i_;
    }
    ++i_;  // the opening quote
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (!raw && c == '\\') {
        i_ += 2;
        continue;
      }
      ++i_;
      if (c == '"' && s_.substr(i_, hashes) == std::string(hashes, '#')) {
        i_ += hashes;
        return true;
      }
    }
    return false;
  }

  // At `'`: a char literal (`'a'`, `'\n'`, `'é'`) rather than a lifetime or label.
  bool IsCharLiteral() const {
    if (i_ + 1 >= s_.size()) return false;
    if (s_[i_ + 1] == '\\') return true;
    size_t n = Utf8Length(s_[i_ + 1]);
    return i_ + 1 + n < s_.size() && s_[i_ + 1 + n] == '\'';
  }

  bool CharLiteral() {
    ++i_;  // the opening quote
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (c == '\\') {
        i_ += 2;
        continue;
      }
      ++i_;
      if (c == '\'') return true;
      if (c == '\n') return false;
    }
    return false;
  }

  void Number() {
    bool hex = s_.substr(i_, 2) == "0x" || s_.substr(i_, 2) == "0X";
    while (i_ < s_.size()) {
      char c = s_[i_];
      char prev = s_[i_ - 1];
      if (IdentChar(c)) {
        ++i_;
      } else if (c == '.' && i_ + 1 < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_ + 1])) &&
                 !hex) {
        ++i_;
      } else if ((c == '+' || c == '-') && (prev == 'e' || prev == 'E') && !hex) {
        ++i_;
      } else {
        return;
      }
    }
  }

  std::string_view s_;
  size_t i_ = 0;
};

// The index of the token that closes the bracket opened at `open`, or npos.
size_t Closing(const std::vector<SourceToken>& t, size_t open) {
  int depth = 0;
  for (size_t i = open; i < t.size(); ++i) {
    if (t[i].kind != SourceToken::Kind::kPunct) continue;
    const std::string& x = t[i].text;
    if (x == "(" || x == "[" || x == "{") ++depth;
    if (x == ")" || x == "]" || x == "}") {
      if (--depth == 0) return i;
    }
  }
  return std::string::npos;
}

}  // namespace

std::optional<std::vector<SourceToken>> Tokenize(std::string_view source, std::string* why) {
  return Lexer(source).Run(why);
}

std::optional<FnSource> SplitFn(std::string_view source, std::string* why) {
  std::optional<std::vector<SourceToken>> tokens = Tokenize(source, why);
  if (!tokens) return std::nullopt;
  const std::vector<SourceToken>& t = *tokens;
  size_t i = 0;
  // Attributes, then qualifiers.
  while (i + 1 < t.size() && t[i].text == "#" && (t[i + 1].text == "[" || t[i + 1].text == "!")) {
    size_t open = t[i + 1].text == "!" ? i + 2 : i + 1;
    size_t close = open < t.size() ? Closing(t, open) : std::string::npos;
    if (close == std::string::npos) {
      *why = "its source has an unterminated attribute";
      return std::nullopt;
    }
    i = close + 1;
  }
  static const std::vector<std::string> kQualifiers = {"pub", "default", "const", "async", "unsafe", "extern"};
  while (i < t.size() && (std::find(kQualifiers.begin(), kQualifiers.end(), t[i].text) != kQualifiers.end() ||
                          t[i].kind == SourceToken::Kind::kLiteral)) {
    if (t[i].text == "pub" && i + 1 < t.size() && t[i + 1].text == "(") {
      i = Closing(t, i + 1);
      if (i == std::string::npos) break;
    }
    ++i;
  }
  if (i + 1 >= t.size() || t[i].text != "fn" || t[i + 1].kind != SourceToken::Kind::kIdent) {
    *why = "its source is not a function as written (a macro writes it)";
    return std::nullopt;
  }
  FnSource fn;
  fn.name = t[i + 1].text;
  i += 2;
  // Generics: skip to the parameter list's `(` at angle depth 0.
  int angle = 0;
  for (; i < t.size(); ++i) {
    if (t[i].text == "<") ++angle;
    if (t[i].text == ">") --angle;
    if (t[i].text == "(" && angle == 0) break;
    if (t[i].text == "(" || t[i].text == "[") i = Closing(t, i);  // `Fn(u32)` in a bound
    if (i == std::string::npos) break;
  }
  if (i == std::string::npos || i >= t.size()) {
    *why = "its source has no parameter list";
    return std::nullopt;
  }
  size_t close = Closing(t, i);
  if (close == std::string::npos) {
    *why = "its parameter list is not closed";
    return std::nullopt;
  }
  // Parameters: split at commas outside brackets; a pattern ends at the
  // first `:` outside brackets (`self` alone has none).
  size_t start = i + 1;
  int depth = 0;
  angle = 0;
  bool in_type = false;
  std::string pattern;
  for (size_t j = start; j <= close; ++j) {
    const std::string& x = t[j].text;
    bool punct = t[j].kind == SourceToken::Kind::kPunct;
    if (punct && (x == "(" || x == "[" || x == "{")) ++depth;
    if (punct && (x == ")" || x == "]" || x == "}")) --depth;
    if (punct && x == "<") ++angle;
    if (punct && x == ">") --angle;
    if ((j == close || (punct && x == "," && depth == 0 && angle == 0))) {
      if (!pattern.empty()) fn.params.push_back(pattern);
      pattern.clear();
      in_type = false;
      continue;
    }
    if (punct && x == ":" && depth == 0 && angle == 0) in_type = true;
    if (in_type) continue;
    if (!pattern.empty() && t[j].kind != SourceToken::Kind::kPunct &&
        (t[j - 1].kind != SourceToken::Kind::kPunct || t[j - 1].text == ",")) {
      pattern += " ";
    }
    pattern += x;
  }
  // The body: the brace block that ends the item.
  if (t.empty() || t.back().text != "}") {
    *why = "its source has no body";
    return std::nullopt;
  }
  size_t body_open = std::string::npos;
  for (size_t j = close + 1; j < t.size(); ++j) {
    if (t[j].text == "{" && Closing(t, j) == t.size() - 1) {
      body_open = j;
      break;
    }
    if (t[j].text == "(" || t[j].text == "[" || t[j].text == "{") {
      j = Closing(t, j);
      if (j == std::string::npos) break;
    }
  }
  if (body_open == std::string::npos) {
    *why = "its source has no body";
    return std::nullopt;
  }
  fn.body = std::string(source.substr(t[body_open].offset, t.back().offset + 1 - t[body_open].offset));
  return fn;
}

std::string FirstPathSegmentAmong(const std::vector<SourceToken>& body, const std::vector<std::string>& names) {
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i].text == "$") return "$";
    if (body[i].kind != SourceToken::Kind::kIdent || i + 1 >= body.size() || body[i + 1].text != "::") continue;
    for (const std::string& n : names) {
      if (body[i].text == n || (n.back() == '*' && body[i].text.starts_with(n.substr(0, n.size() - 1)))) {
        return body[i].text;
      }
    }
  }
  return "";
}

}  // namespace rdylib::plan

namespace rdylib::plan {

std::vector<std::string> ModuleImports(std::string_view source) {
  std::vector<std::string> out;
  std::string why;
  std::optional<std::vector<SourceToken>> tokens = Tokenize(source, &why);
  if (!tokens) return out;
  const std::vector<SourceToken>& t = *tokens;
  size_t begin = 0;
  size_t end = t.size();
  // The token after the bracket opened at `open` (`end` if it never closes).
  auto after = [&](size_t open) {
    size_t c = Closing(t, open);
    return c == std::string::npos || c >= end ? end : c + 1;
  };
  // An inline module: its items are those inside its braces.
  size_t k = 0;
  while (k + 1 < end && t[k].text == "#" && t[k + 1].text == "[") k = after(k + 1);
  if (k < end && t[k].text == "pub") k = (k + 1 < end && t[k + 1].text == "(") ? after(k + 1) : k + 1;
  if (k + 2 < end && t[k].text == "mod" && t[k + 2].text == "{") {
    size_t close = Closing(t, k + 2);
    begin = k + 3;
    end = close == std::string::npos ? end : close;
  }
  for (size_t i = begin; i < end;) {
    size_t start = i;
    if (i + 1 < end && t[i].text == "#" && t[i + 1].text == "!") {  // the module's own attribute
      i = after(i + 2);
      continue;
    }
    while (i + 1 < end && t[i].text == "#" && t[i + 1].text == "[") i = after(i + 1);
    size_t item = i;
    if (i < end && t[i].text == "pub") i = (i + 1 < end && t[i + 1].text == "(") ? after(i + 1) : i + 1;
    size_t keyword = i;
    bool wanted = (i < end && t[i].text == "use") ||
                  (i + 1 < end && t[i].text == "extern" && t[i + 1].text == "crate");
    // The item ends at its `;`, or with its block (a `use`'s group is
    // followed by the `;`).
    while (i < end && t[i].text != ";") {
      if (t[i].text == "(" || t[i].text == "[") {
        i = after(i);
      } else if (t[i].text == "{") {
        i = after(i);
        if (!wanted) break;
      } else {
        ++i;
      }
    }
    if (wanted && i < end) {
      std::string text(source.substr(t[start].offset, t[item].offset - t[start].offset));
      text += source.substr(t[keyword].offset, t[i].offset + 1 - t[keyword].offset);
      out.push_back(std::move(text));
    }
    i = std::max(i + (i < end && t[i].text == ";" ? 1 : 0), start + 1);
  }
  return out;
}

}  // namespace rdylib::plan

namespace rdylib::plan {

std::string_view EnclosingModule(std::string_view file, size_t offset) {
  std::string why;
  std::optional<std::vector<SourceToken>> tokens = Tokenize(file, &why);
  if (!tokens) return file;
  const std::vector<SourceToken>& t = *tokens;
  std::string_view best = file;
  for (size_t i = 0; i + 2 < t.size() && t[i].offset < offset; ++i) {
    if (t[i].text != "mod" || t[i + 1].kind != SourceToken::Kind::kIdent || t[i + 2].text != "{") continue;
    size_t close = Closing(t, i + 2);
    if (close == std::string::npos || t[close].offset < offset) continue;
    best = file.substr(t[i].offset, t[close].offset + 1 - t[i].offset);  // later ones are inner
  }
  return best;
}

}  // namespace rdylib::plan
