// Erasure the other way: a library value handed to a consumer's generic trait method.
#include <fmt/format.h>

#include "plan/erasure.h"
#include "plan/fingerprint.h"

namespace rdylib::plan {

bool Erasure::ReversedValue(const std::string& param, AbiValue* out, std::string* why) {
  why->clear();
  if (!CollectBounds(why)) return false;
  for (const model::GenericBound* b : bounds_[param]) {
    if (b->kind != model::GenericBound::Kind::kTrait) continue;
    std::string t = StdTrait(b->trait);
    // A closure: the caller hands it over as a closure the library returns.
    if (t == "ops::function::Fn" || t == "ops::function::FnMut" || t == "ops::function::FnOnce") return false;
  }
  if (!MakeParam(param, ErasedMode::kReturned, why)) return false;
  const ErasedParam& ep = params_.back();
  // Both operands of a comparison are the library's values behind one
  // facade type, and the entry reads both as its own type: sound while the
  // consumer's method only ever has the values of one call (its `T` is not
  // `'static`, so it cannot keep one for a later call over another type).
  if (ep.Has(ErasedTrait::kStatic)) {
    for (ErasedTrait t : {ErasedTrait::kPartialOrd, ErasedTrait::kPartialEq}) {
      if (!ep.Has(t)) continue;
      *why = fmt::format("{}: {} + 'static: the consumer could keep a value and compare it with one of another "
                         "library type behind the same proxy type",
                         param, ErasedTraitName(t));
      return false;
    }
  }
  if (ep.Has(ErasedTrait::kIntoIterator)) {
    if (!ep.item.wire_name.empty() && ep.item.kind == AbiValue::Kind::kUnit) {
      *why = fmt::format("{}: its items are of type parameter {}, which does not cross to a consumer's method yet",
                         param, ep.item.wire_name);
      return false;
    }
    bool item_ok = ep.item.kind == AbiValue::Kind::kChar || ep.item.kind == AbiValue::Kind::kString ||
                   (ep.item.kind == AbiValue::Kind::kScalar && ep.item.scalar != "i128" && ep.item.scalar != "u128");
    if (!item_ok) {
      *why = fmt::format("{}: its items ({}) do not cross from the library to a consumer's method yet (scalars, "
                         "char and String do)",
                         param, FormText(ep.item));
      return false;
    }
  }
  *out = ValueOf(ep);
  return true;
}

}  // namespace rdylib::plan
