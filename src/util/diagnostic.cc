// Diagnostics rendering.
#include "util/diagnostic.h"

#include <algorithm>

namespace rdylib {
namespace {

const char* SeverityName(Severity s) {
  switch (s) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kNote:
      return "note";
  }
  return "error";
}

}  // namespace

std::string Diagnostic::ToString() const {
  std::string out;
  if (!location.empty()) out += location + ": ";
  out += SeverityName(severity);
  out += ": ";
  if (!item.empty()) out += item + ": ";
  out += message;
  if (!hint.empty()) out += "\n  hint: " + hint;
  return out;
}

void Diagnostics::Error(std::string location, std::string message,
                        std::string hint) {
  items_.push_back({Severity::kError, std::move(location), "",
                    std::move(message), std::move(hint)});
}

void Diagnostics::Warning(std::string location, std::string message,
                          std::string hint) {
  items_.push_back({Severity::kWarning, std::move(location), "",
                    std::move(message), std::move(hint)});
}

bool Diagnostics::HasErrors() const { return ErrorCount() > 0; }

size_t Diagnostics::ErrorCount() const {
  return std::count_if(items_.begin(), items_.end(), [](const Diagnostic& d) {
    return d.severity == Severity::kError;
  });
}

std::string Diagnostics::ToString() const {
  std::string out;
  for (const Diagnostic& d : items_) out += d.ToString() + "\n";
  return out;
}

}  // namespace rdylib
