// Generates the probe program: Rust code that measures the layouts of a
// crate's public types and of the std types the ABI depends on.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "api/public_api.h"
#include "model/crate.h"
#include "probe/layout.h"

namespace rdylib::probe {

/// Why an unsized type is not measured (see probe/unsized.h).
inline constexpr std::string_view kUnsizedReason =
    "unsized type: only reachable behind a pointer, which does not cross yet";

struct ProbeProgram {
  std::string main_rs;           // the program's source, rustfmt-clean
  std::vector<Skipped> skipped;  // types it cannot measure, with the reason
};

/// Writes main.rs for a binary that depends on the crate as `target_crate`
/// and prints the layouts as JSON. Types with type or const parameters are
/// skipped (they have no single layout), and so are unsized types (they have
/// no size); lifetimes are instantiated with 'static, which does not change
/// layouts.
ProbeProgram GenerateProbe(const model::Crate& crate, const api::PublicApi& api);

}  // namespace rdylib::probe
