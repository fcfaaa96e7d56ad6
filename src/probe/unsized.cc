// Unsized types, from rustdoc's model.
#include "probe/unsized.h"

#include <set>

namespace rdylib::probe {
namespace {

bool IsUnsizedItem(const model::Crate& crate, const model::Item& item,
                   std::set<model::ItemId>* seen);

// A field type that makes its struct unsized when it is the last field.
bool IsUnsizedType(const model::Crate& crate, const model::Type& type,
                   std::set<model::ItemId>* seen) {
  using K = model::Type::Kind;
  switch (type.kind) {
    case K::kPrimitive: return type.name == "str";
    case K::kSlice:
    case K::kDynTrait: return true;
    case K::kResolvedPath: {
      const model::Item* target = crate.Find(type.path.id);
      return target != nullptr && target->crate_id == 0 && IsUnsizedItem(crate, *target, seen);
    }
    default: return false;
  }
}

// True when rustdoc lists blanket impls for the type but not core's
// `impl<T> From<T> for T`: the trait solver found `T: Sized` false.
bool LacksSizedBlanketImpl(const model::Crate& crate, const std::vector<model::ItemId>& impls) {
  bool any_blanket = false;
  for (model::ItemId id : impls) {
    const model::Item* item = crate.Find(id);
    const auto* impl = item ? item->TryAs<model::Impl>() : nullptr;
    if (impl == nullptr || !impl->blanket_impl || !impl->trait) continue;
    any_blanket = true;
    const model::ItemSummary* trait = crate.FindPath(impl->trait->id);
    if (trait != nullptr && trait->Joined() == "core::convert::From") return false;
  }
  return any_blanket;
}

bool IsUnsizedItem(const model::Crate& crate, const model::Item& item,
                   std::set<model::ItemId>* seen) {
  const auto* s = item.TryAs<model::Struct>();
  if (s == nullptr || !seen->insert(item.id).second) return false;  // enums, unions: sized
  // Only the last field may be unsized, so a visible field of an unsized
  // type is the last one, wherever private fields are.
  for (model::ItemId fid : s->fields) {
    const model::Item* f = crate.Find(fid);
    const auto* field = f ? f->TryAs<model::StructField>() : nullptr;
    if (field != nullptr && IsUnsizedType(crate, field->type, seen)) return true;
  }
  return LacksSizedBlanketImpl(crate, s->impls);
}

}  // namespace

bool IsUnsized(const model::Crate& crate, const model::Item& item) {
  std::set<model::ItemId> seen;
  return IsUnsizedItem(crate, item, &seen);
}

}  // namespace rdylib::probe
