// The stages up to the probe, which every command that works on a crate runs.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "api/public_api.h"
#include "extract/extract.h"
#include "model/crate.h"
#include "probe/layout.h"
#include "toolchain/toolchain.h"
#include "util/diagnostic.h"

namespace rdylib::driver {

/// What the stages up to the probe learn about a crate.
struct Analysis {
  toolchain::Toolchain tc;
  extract::ExtractResult extracted;
  model::Crate crate;
  api::PublicApi api;
  probe::Layouts layouts;
};

/// Stages toolchain, extract, read, public API and probe for one toolchain;
/// `lap` is called with each stage's name as it ends. Each stage's
/// diagnostics are printed at its end.
std::optional<Analysis> Analyze(const std::string& toolchain_spec,
                                const extract::ExtractOptions& ex, Diagnostics* diags,
                                const std::function<void(const char*)>& lap = [](const char*) {});

}  // namespace rdylib::driver
