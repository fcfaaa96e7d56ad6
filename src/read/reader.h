// The read stage: rustdoc JSON in, model::Crate out.
#pragma once

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <simdjson.h>

#include "model/crate.h"
#include "util/diagnostic.h"

namespace rdylib::read {

/// The rustdoc JSON format versions this reader understands, oldest first.
/// Each one is produced by a toolchain the tests run (1.85: 37; 1.95 and
/// nightly: 57).
std::span<const int> SupportedFormatVersions();

/// Reads rustdoc JSON text. `file` names the source in diagnostics. Returns
/// std::nullopt, with errors in `diags`, for malformed JSON, an unsupported
/// format version, or entries that do not match the format.
std::optional<model::Crate> ReadCrateJson(std::string_view json,
                                          const std::string& file,
                                          Diagnostics* diags);

/// Reads an already parsed document; as ReadCrateJson. Split out so the
/// bench can time parsing and model building apart.
std::optional<model::Crate> ReadCrateDocument(simdjson::dom::element doc,
                                              const std::string& file,
                                              Diagnostics* diags);

/// Reads a rustdoc JSON file; as ReadCrateJson.
std::optional<model::Crate> ReadCrateFile(const std::filesystem::path& path,
                                          Diagnostics* diags);

}  // namespace rdylib::read
