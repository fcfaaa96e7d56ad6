// Out-of-line helpers of the model.
#include <string>

#include "model/crate.h"
#include "model/item.h"

namespace rdylib::model {

std::string Span::ToString() const {
  return file + ":" + std::to_string(line);
}

const char* ItemKindName(ItemKind kind) {
  switch (kind) {
    case ItemKind::kModule: return "module";
    case ItemKind::kExternCrate: return "extern_crate";
    case ItemKind::kUse: return "use";
    case ItemKind::kUnion: return "union";
    case ItemKind::kStruct: return "struct";
    case ItemKind::kStructField: return "struct_field";
    case ItemKind::kEnum: return "enum";
    case ItemKind::kVariant: return "variant";
    case ItemKind::kFunction: return "function";
    case ItemKind::kTraitAlias: return "trait_alias";
    case ItemKind::kTrait: return "trait";
    case ItemKind::kImpl: return "impl";
    case ItemKind::kTypeAlias: return "type_alias";
    case ItemKind::kConstant: return "constant";
    case ItemKind::kStatic: return "static";
    case ItemKind::kExternType: return "extern_type";
    case ItemKind::kMacro: return "macro";
    case ItemKind::kProcMacro: return "proc_macro";
    case ItemKind::kPrimitive: return "primitive";
    case ItemKind::kAssocConst: return "assoc_const";
    case ItemKind::kAssocType: return "assoc_type";
  }
  return "unknown";
}

std::string ItemSummary::Joined() const {
  std::string out;
  for (const std::string& p : path) {
    if (!out.empty()) out += "::";
    out += p;
  }
  return out;
}

std::string Crate::CrateName(uint32_t crate_id) const {
  if (crate_id == 0) return name;
  auto it = external_crates.find(crate_id);
  return it == external_crates.end() ? std::string() : it->second.name;
}

}  // namespace rdylib::model
