// Formats generated Rust with one pinned rustfmt, so output is rustfmt-clean
// and the same on every machine with that rustfmt.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "util/diagnostic.h"

namespace rdylib::emit {

/// Formats the crate rooted at `lib_rs` (edition 2021) in place with
/// rustup's stable rustfmt. When rustfmt is not installed, the code stays as
/// printed and a warning is recorded.
void RustFmt(const std::filesystem::path& lib_rs, Diagnostics* diags);

}  // namespace rdylib::emit
