// Reads one rustdoc index entry into a model::Item.
#pragma once

#include "model/item.h"
#include "read/json_walker.h"

namespace rdylib::read {

/// Reads `e` (an index entry); problems are recorded in ctx.
model::Item ReadItem(dom::element e, ReadContext& ctx);

/// Parses the attribute list of an item, in the form of ctx's format version.
model::Attributes ReadAttributes(dom::array attrs, ReadContext& ctx);

}  // namespace rdylib::read
