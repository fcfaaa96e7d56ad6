// Writes the interface manifest and the report of what crossed and why.
#pragma once

#include <string>

#include "plan/plan.h"

namespace rdylib::emit {

/// <crate>.rdylib.json: ABI version, types with layouts, functions with
/// symbols.
std::string WriteManifest(const plan::Plan& plan);

/// report.md: every API item with its status, and percentages at the end.
std::string WriteReportMarkdown(const plan::Plan& plan);

/// report.json: the same, machine-readable.
std::string WriteReportJson(const plan::Plan& plan);

}  // namespace rdylib::emit
