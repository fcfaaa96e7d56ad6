// Reads the compiler's verdict on a facade with copied default bodies.
#include "build/check_defaults.h"

#include <simdjson.h>

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "plan/rust_source.h"

namespace rdylib::build {
namespace fs = std::filesystem;

std::vector<CompilerMessage> ParseCompilerMessages(std::string_view json_lines) {
  std::vector<CompilerMessage> out;
  simdjson::dom::parser parser;
  size_t start = 0;
  while (start < json_lines.size()) {
    size_t end = json_lines.find('\n', start);
    if (end == std::string_view::npos) end = json_lines.size();
    std::string_view line = json_lines.substr(start, end - start);
    start = end + 1;
    if (!line.starts_with("{")) continue;
    simdjson::dom::element msg;
    std::string_view reason, level, s;
    if (parser.parse(simdjson::padded_string(line)).get(msg) != simdjson::SUCCESS ||
        msg["reason"].get_string().get(reason) != simdjson::SUCCESS || reason != "compiler-message" ||
        msg["message"]["level"].get_string().get(level) != simdjson::SUCCESS ||
        (level != "error" && level != "warning")) {
      continue;
    }
    CompilerMessage m;
    m.level = level;
    if (msg["message"]["message"].get_string().get(s) == simdjson::SUCCESS) m.text = s.substr(0, s.find('\n'));
    fs::path dir;
    if (msg["manifest_path"].get_string().get(s) == simdjson::SUCCESS) dir = fs::path(s).parent_path();
    simdjson::dom::array spans;
    if (msg["message"]["spans"].get_array().get(spans) != simdjson::SUCCESS) continue;
    for (simdjson::dom::element span : spans) {
      bool primary = false;
      if (span["is_primary"].get_bool().get(primary) != simdjson::SUCCESS || !primary) continue;
      // The span, then the macro calls it comes from.
      simdjson::dom::element at = span;
      for (int depth = 0; depth < 16; ++depth) {
        int64_t line_no = 0;
        if (at["file_name"].get_string().get(s) == simdjson::SUCCESS &&
            at["line_start"].get_int64().get(line_no) == simdjson::SUCCESS) {
          fs::path file(s);
          if (file.is_relative() && !dir.empty()) file = dir / file;
          m.places.emplace_back(file.lexically_normal().string(), static_cast<int>(line_no));
        }
        simdjson::dom::element next;
        if (at["expansion"]["span"].get(next) != simdjson::SUCCESS) break;
        at = next;
      }
      break;
    }
    if (!m.places.empty()) out.push_back(std::move(m));
  }
  return out;
}

namespace {

// The line of the `}` that closes the function item after `from` in
// `tokens` (its attributes, signature and body as printed, formatted or
// not), or 0.
int BodyEndLine(const std::vector<plan::SourceToken>& tokens, const std::vector<int>& lines, size_t from) {
  size_t i = from;
  while (i < tokens.size() && tokens[i].text != "fn") ++i;
  while (i < tokens.size() && tokens[i].text != "(") ++i;  // the parameters (generics hold no `(` but Fn bounds)
  int depth = 0;
  for (; i < tokens.size(); ++i) {
    const std::string& x = tokens[i].text;
    if (tokens[i].kind != plan::SourceToken::Kind::kPunct) continue;
    if (x == "(" || x == "[") ++depth;
    if (x == ")" || x == "]") --depth;
    if (x == "{" && depth == 0) break;
    if (x == "{") ++depth;
    if (x == "}") --depth;
  }
  depth = 0;
  for (; i < tokens.size(); ++i) {
    const std::string& x = tokens[i].text;
    if (tokens[i].kind != plan::SourceToken::Kind::kPunct) continue;
    if (x == "{") ++depth;
    if (x == "}" && --depth == 0) return lines[i];
  }
  return 0;
}

}  // namespace

std::vector<BodyLines> FindCopiedBodies(const plan::Plan& plan, std::string_view lib_rs) {
  std::vector<BodyLines> out;
  std::string why;
  std::optional<std::vector<plan::SourceToken>> tokens = plan::Tokenize(lib_rs, &why);
  if (!tokens) return out;
  // Each token's line, and the marker comments' lines by what follows
  // "copied from " (comments are not tokens).
  std::vector<int> token_lines;
  token_lines.reserve(tokens->size());
  int line_no = 1;
  size_t counted = 0;
  for (const plan::SourceToken& t : *tokens) {
    line_no += static_cast<int>(std::count(lib_rs.begin() + static_cast<std::ptrdiff_t>(counted),
                                           lib_rs.begin() + static_cast<std::ptrdiff_t>(t.offset), '\n'));
    counted = t.offset;
    token_lines.push_back(line_no);
  }
  std::vector<std::pair<std::string, int>> markers;
  const std::string_view kMarker = " body, copied from ";
  line_no = 1;
  for (size_t at = 0; at < lib_rs.size();) {
    size_t end = lib_rs.find('\n', at);
    if (end == std::string_view::npos) end = lib_rs.size();
    std::string_view line = lib_rs.substr(at, end - at);
    size_t m = line.find(kMarker);
    if (m != std::string_view::npos && line.ends_with(".")) {
      std::string_view from = line.substr(m + kMarker.size());
      markers.emplace_back(std::string(from.substr(0, from.size() - 1)), line_no);
    }
    at = end + 1;
    ++line_no;
  }
  auto region = [&](int marker_line, BodyLines b) {
    b.first = marker_line + 1;
    size_t from = std::lower_bound(token_lines.begin(), token_lines.end(), b.first) - token_lines.begin();
    b.last = BodyEndLine(*tokens, token_lines, from);
    if (b.last != 0) out.push_back(b);
  };
  for (size_t t = 0; t < plan.traits.size(); ++t) {
    for (size_t i = 0; i < plan.traits[t].methods.size(); ++i) {
      const plan::TraitMethodPlan& m = plan.traits[t].methods[i];
      if (m.copied_body.empty()) continue;
      for (const auto& [from, marker_line] : markers) {
        if (from == m.body_from) region(marker_line, BodyLines{t, i, std::string::npos, 0, 0});
      }
    }
  }
  for (size_t i = 0; i < plan.copied_functions.size(); ++i) {
    const plan::CopiedFunctionPlan& f = plan.copied_functions[i];
    if (f.body.empty()) continue;
    for (const auto& [from, marker_line] : markers) {
      if (from == f.body_from) region(marker_line, BodyLines{0, 0, i, 0, 0});
    }
  }
  return out;
}

namespace {

bool IdentChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// `line` with each path's first segment renamed by `crates` (and std,
// alloc -> core).
std::string RenameCrates(const std::string& line, const std::map<std::string, std::string>& crates,
                         const std::map<std::string, std::string>& paths) {
  std::string out;
  for (size_t i = 0; i < line.size();) {
    if (!IdentChar(line[i]) || (i > 0 && (IdentChar(line[i - 1]) || line[i - 1] == ':'))) {
      out += line[i++];
      continue;
    }
    // The whole path `a::b::c` (not a `::<` turbofish or `::{closure#0}`).
    size_t end = i;
    while (true) {
      while (end < line.size() && IdentChar(line[end])) ++end;
      if (line.compare(end, 2, "::") != 0 || end + 2 >= line.size() || !IdentChar(line[end + 2])) break;
      end += 2;
    }
    std::string path = line.substr(i, end - i);
    // The longest leading part that `paths` renames (`roots::Roots` of
    // `roots::Roots::cbrt`).
    for (size_t cut = path.size(); cut != std::string::npos && cut > 0; cut = path.rfind("::", cut - 1)) {
      if (auto it = paths.find(path.substr(0, cut)); it != paths.end()) {
        path = it->second + path.substr(cut);
        break;
      }
      if (cut < 2) break;
    }
    // Then its first segment, also of a renamed path, which may now start
    // at a crate (`lazy::std::..` to `std::..`).
    if (size_t sep = path.find("::"); sep != std::string::npos) {
      std::string first = path.substr(0, sep);
      if (auto c = crates.find(first); c != crates.end()) first = c->second;
      if (first == "std" || first == "alloc") first = "core";
      path = first + path.substr(sep);
    }
    out += path;
    i = end;
  }
  return out;
}

}  // namespace

std::map<std::string, std::string> ExternCrateAliases(std::string_view root_source) {
  std::map<std::string, std::string> out;
  std::string why;
  std::optional<std::vector<plan::SourceToken>> t = plan::Tokenize(root_source, &why);
  if (!t) return out;
  for (size_t i = 0; i + 3 < t->size(); ++i) {
    if ((*t)[i].text != "extern" || (*t)[i + 1].text != "crate") continue;
    if ((*t)[i + 3].text == ";") {
      out[(*t)[i + 2].text] = (*t)[i + 2].text;
    } else if (i + 5 < t->size() && (*t)[i + 3].text == "as" && (*t)[i + 5].text == ";") {
      out[(*t)[i + 4].text] = (*t)[i + 2].text;
    }
  }
  return out;
}

std::map<std::string, std::string> MirBodies(std::string_view mir, const std::map<std::string, std::string>& crates,
                                             const std::map<std::string, std::string>& paths) {
  std::map<std::string, std::string> out;
  std::string name;
  std::string body;
  size_t start = 0;
  while (start < mir.size()) {
    size_t end = mir.find('\n', start);
    if (end == std::string_view::npos) end = mir.size();
    std::string line(mir.substr(start, end - start));
    start = end + 1;
    // Source locations differ between the two crates: `@...}` goes.
    for (size_t at = line.find('@'); at != std::string::npos; at = line.find('@', at + 1)) {
      size_t close = line.find('}', at);
      if (close == std::string::npos) break;
      line.erase(at + 1, close - at - 1);
    }
    if (size_t comment = line.find(" // "); comment != std::string::npos) line.erase(comment);
    line = RenameCrates(line, crates, paths);
    if (name.empty()) {
      if (line.empty() || line[0] == ' ' || !line.ends_with("{")) continue;
      size_t space = line.find(' ');
      if (space == std::string::npos) continue;
      std::string rest = line.substr(space + 1);
      size_t stop = std::min(rest.find('('), rest.find(": "));
      name = rest.substr(0, stop);
      body = line.substr(0, space + 1) + "_" + (stop == std::string::npos ? "" : rest.substr(stop)) + "\n";
      continue;
    }
    body += line + "\n";
    if (line == "}") {
      out[name] = body;
      name.clear();
    }
  }
  return out;
}

std::string FirstDifferingLine(const std::string& a, const std::string& b) {
  size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  size_t from = a.rfind('\n', i == 0 ? 0 : i - 1);
  from = from == std::string::npos ? 0 : from + 1;
  size_t to = a.find('\n', i);
  std::string line = a.substr(from, to == std::string::npos ? std::string::npos : to - from);
  size_t first = line.find_first_not_of(' ');
  return first == std::string::npos ? line : line.substr(first);
}

std::string MirDifference(const std::map<std::string, std::string>& lib,
                          const std::map<std::string, std::string>& facade, const std::string& method) {
  auto part = [&](const std::map<std::string, std::string>& bodies) {
    std::map<std::string, std::string> out;
    for (auto it = bodies.lower_bound(method); it != bodies.end() && it->first.starts_with(method); ++it) {
      if (it->first == method || it->first.starts_with(method + "::")) out.insert(*it);
    }
    return out;
  };
  std::map<std::string, std::string> a = part(lib);
  std::map<std::string, std::string> b = part(facade);
  if (a.find(method) == a.end()) return "rustc printed no MIR of the library's " + method;
  if (b.find(method) == b.end()) return "rustc printed no MIR of the facade's " + method;
  for (const auto& [name, text] : a) {
    auto other = b.find(name);
    if (other == b.end()) return fmt::format("the facade's copy has no {}", name);
    if (other->second == text) continue;
    return fmt::format("its MIR differs in the facade ({}: `{}`)", name, FirstDifferingLine(text, other->second));
  }
  for (const auto& [name, text] : b) {
    if (a.find(name) == a.end()) return fmt::format("the facade's copy has a {} the library's has not", name);
  }
  return "";
}

bool HasCopiedBodies(const plan::Plan& plan) {
  for (const plan::CopiedFunctionPlan& f : plan.copied_functions) {
    if (!f.body.empty()) return true;
  }
  for (const plan::TraitPlan& t : plan.traits) {
    for (const plan::TraitMethodPlan& m : t.methods) {
      if (!m.copied_body.empty()) return true;
    }
  }
  for (const plan::CopiedTypePlan& t : plan.copied_types) {
    if (t.dropped.empty()) return true;
  }
  return false;
}

size_t KeptCopies(const plan::Plan& plan) {
  size_t n = 0;
  for (const plan::CopiedFunctionPlan& f : plan.copied_functions) n += !f.body.empty();
  for (const plan::TraitPlan& t : plan.traits) {
    for (const plan::TraitMethodPlan& m : t.methods) n += !m.copied_body.empty();
  }
  for (const plan::CopiedTypePlan& t : plan.copied_types) n += t.dropped.empty();
  return n;
}

void DropAllCopiedBodies(plan::Plan* plan, const std::string& why) {
  for (plan::CopiedFunctionPlan& f : plan->copied_functions) {
    if (!f.body.empty()) plan::DropCopiedFunction(plan, &f, why);
  }
  for (plan::TraitPlan& t : plan->traits) {
    for (plan::TraitMethodPlan& m : t.methods) {
      if (!m.copied_body.empty()) plan::DropCopiedBody(plan, t.path, &m, why);
    }
  }
  for (plan::CopiedTypePlan& t : plan->copied_types) plan::DropCopiedType(plan, &t, why);
}

}  // namespace rdylib::build
