// Receivers of trait methods in impls for std containers: a view of the
// bytes crosses, the shim rebuilds the library's value (plan/std_self.h).
#include "plan/std_self.h"

#include <fmt/format.h>

namespace rdylib::plan {
namespace {

using TK = model::Type::Kind;

bool StdIs(const TypeNamer& namer, const model::Type& t, const char* alloc_path, const char* std_path) {
  if (t.kind != TK::kResolvedPath) return false;
  std::string full = namer.StdPath(t.path.id);
  return full == alloc_path || full == std_path;
}

// The one type argument of `t`, or null.
const model::Type* TypeArg(const model::Type& t) {
  if (!t.path.args) return nullptr;
  const model::Type* found = nullptr;
  for (const model::GenericArg& a : t.path.args->args) {
    if (a.kind != model::GenericArg::Kind::kType) continue;
    if (found != nullptr) return nullptr;
    found = a.type.get();
  }
  return found;
}

bool IsStr(const model::Type* t) { return t && t->kind == TK::kPrimitive && t->name == "str"; }
bool IsBytes(const model::Type* t) {
  return t && t->kind == TK::kSlice && t->elems[0].kind == TK::kPrimitive && t->elems[0].name == "u8";
}

// Sets container and element of a (non-reference) Self; false if unknown.
bool Container(const model::Type& t, const TypeNamer& namer, AbiValue* out) {
  if (IsStr(&t) || IsBytes(&t)) {
    out->self_container = "slice";
    out->scalar = IsStr(&t) ? "str" : "u8";
    return true;
  }
  if (StdIs(namer, t, "alloc::string::String", "std::string::String") && !TypeArg(t)) {
    out->self_container = "owned";
    out->scalar = "str";
    return true;
  }
  if (StdIs(namer, t, "alloc::vec::Vec", "std::vec::Vec") && TypeArg(t) && TypeArg(t)->kind == TK::kPrimitive &&
      TypeArg(t)->name == "u8") {
    out->self_container = "owned";
    out->scalar = "u8";
    return true;
  }
  if (StdIs(namer, t, "alloc::borrow::Cow", "std::borrow::Cow") && (IsStr(TypeArg(t)) || IsBytes(TypeArg(t)))) {
    out->self_container = "cow";
    out->scalar = IsStr(TypeArg(t)) ? "str" : "u8";
    return true;
  }
  return false;
}

}  // namespace

bool StdSelfContainer(const model::Type& self_type, const TypeNamer& namer) {
  AbiValue v;
  const model::Type& inner =
      self_type.kind == TK::kBorrowedRef && !self_type.is_mutable ? self_type.elems[0] : self_type;
  // str, [u8] and references to them are the planner's own std self types.
  return Container(inner, namer, &v) && v.self_container != "slice";
}

bool ClassifyStdSelf(const model::Type& self_type, bool receiver_mut, const TypeNamer& namer, AbiValue* out,
                     std::string* why) {
  AbiValue v;
  v.kind = AbiValue::Kind::kStdSelf;
  v.is_mutable = receiver_mut;
  const model::Type* inner = &self_type;
  if (self_type.kind == TK::kBorrowedRef) {
    if (self_type.is_mutable) {
      *why = "a Self that is a mutable reference does not cross yet";
      return false;
    }
    v.self_through_ref = true;
    inner = &self_type.elems[0];
  }
  if (!Container(*inner, namer, &v)) {
    *why = "this std self type does not cross yet";
    return false;
  }
  if (v.self_container == "slice" && !v.self_through_ref) {
    *why = "a receiver of an unsized str or [u8] does not cross this way";
    return false;
  }
  if (v.self_container == "owned" && !v.self_through_ref && receiver_mut) {
    *why = "&mut self of String or Vec crosses as a buffer written back, not as a view";
    return false;
  }
  *out = v;
  return true;
}

bool SettleStdSelfReturn(AbiValue* ret, bool rebuilt, std::string* why) {
  if (!rebuilt) return true;
  switch (ret->kind) {
    case AbiValue::Kind::kCowStr:
      ret->copy_borrowed = true;
      return true;
    case AbiValue::Kind::kOption:
      return SettleStdSelfReturn(&ret->children[0], rebuilt, why);
    default:
      if (ret->Borrows()) {
        *why = "its return may borrow from self, which the library rebuilt for the call (only a Cow is copied)";
        return false;
      }
      return true;
  }
}

}  // namespace rdylib::plan
