// The probe stage: builds the probe program against the real crate with the
// real toolchain, runs it, and reads the layouts it measured.
#pragma once

#include <optional>

#include "api/public_api.h"
#include "extract/extract.h"
#include "model/crate.h"
#include "probe/layout.h"
#include "toolchain/toolchain.h"
#include "util/diagnostic.h"

namespace rdylib::probe {

/// Measures `crate`'s public types. `options` names the crate, its features
/// and the work and target directories, as for extraction.
std::optional<Layouts> Probe(const extract::ExtractOptions& options,
                             const extract::PackageInfo& package, const toolchain::Toolchain& tc,
                             const model::Crate& crate, const api::PublicApi& api,
                             Diagnostics* diags);

}  // namespace rdylib::probe
