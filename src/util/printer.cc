// Printer implementation.
#include "util/printer.h"

#include <cstdio>
#include <cstdlib>

namespace rdylib {

void Printer::Append(std::string_view text) {
  for (char c : text) {
    if (at_line_start_ && c != '\n') {
      out_.append(static_cast<size_t>(level_ * indent_width_), ' ');
      at_line_start_ = false;
    }
    out_ += c;
    if (c == '\n') at_line_start_ = true;
  }
}

void Printer::Print(std::string_view tmpl, const Vars& vars) {
  size_t pos = 0;
  while (pos < tmpl.size()) {
    size_t open = tmpl.find('$', pos);
    if (open == std::string_view::npos) {
      Append(tmpl.substr(pos));
      return;
    }
    Append(tmpl.substr(pos, open - pos));
    size_t close = tmpl.find('$', open + 1);
    if (close == std::string_view::npos) {
      std::fprintf(stderr, "rdylib bug: unclosed '$' in template:\n%.*s\n",
                   static_cast<int>(tmpl.size()), tmpl.data());
      std::abort();
    }
    std::string_view name = tmpl.substr(open + 1, close - open - 1);
    if (name.empty()) {
      Append("$");
    } else {
      auto it = vars.find(name);
      if (it == vars.end()) {
        std::fprintf(stderr, "rdylib bug: template variable '$%.*s$' is not set in:\n%.*s\n",
                     static_cast<int>(name.size()), name.data(),
                     static_cast<int>(tmpl.size()), tmpl.data());
        std::abort();
      }
      Append(it->second);
    }
    pos = close + 1;
  }
}

void Printer::Block(std::string_view open, const Vars& vars, const std::function<void()>& body,
                    std::string_view close) {
  Print(open, vars);
  {
    Scope scope(*this);
    body();
  }
  Print(close, vars);
}

void Printer::Outdent() {
  if (level_ == 0) {
    std::fputs("rdylib bug: Printer::Outdent below zero\n", stderr);
    std::abort();
  }
  --level_;
}

}  // namespace rdylib
