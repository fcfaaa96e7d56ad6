// Reads rustdoc JSON types, generics and bounds into the model.
#pragma once

#include "model/types.h"
#include "read/json_walker.h"

namespace rdylib::read {

model::Type ReadType(dom::element e, ReadContext& ctx);
model::Path ReadPath(dom::element e, ReadContext& ctx);
model::Generics ReadGenerics(dom::element e, ReadContext& ctx);
std::vector<model::GenericBound> ReadBounds(dom::array a, ReadContext& ctx);
model::FunctionSignature ReadSignature(dom::element e, ReadContext& ctx);
model::FunctionHeader ReadHeader(dom::element e, ReadContext& ctx);

}  // namespace rdylib::read
