// Writes a PublicApi as text (one item per line) or as JSON.
#pragma once

#include <string>

#include "api/public_api.h"

namespace rdylib::api {

/// One signature per line, in the API's sorted order.
std::string WriteText(const PublicApi& api);

/// {"crate", "crate_version", "format_version", "items": [...]}; each item
/// has kind, path, signature, location and, for impls and their members,
/// for, trait and origin.
std::string WriteJson(const PublicApi& api);

/// Escapes a string as a JSON string literal, quotes included.
std::string JsonString(std::string_view s);

}  // namespace rdylib::api
