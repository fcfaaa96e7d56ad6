// Classifying values and writing their boundary conversions.
#include "plan/abi_value.h"

#include "api/type_render.h"
#include "plan/std_generic.h"

#include <fmt/format.h>

#include <map>
#include <set>
#include <string_view>

namespace rdylib::plan {
namespace {

using Kind = AbiValue::Kind;

const std::set<std::string>& Scalars() {
  static const std::set<std::string> kScalars = {
      "i8", "i16", "i32", "i64", "i128", "isize", "u8",  "u16",
      "u32", "u64", "u128", "usize", "f32", "f64", "bool"};
  return kScalars;
}


// True when `p` resolves to std's item `name` (by its defining path in
// core, alloc or std, never by the name as written).
bool IsStd(const TypeNamer& namer, const model::Path& p, std::string_view name) {
  static const std::map<std::string_view, std::vector<std::string_view>> kPaths = {
      {"Vec", {"alloc::vec::Vec", "std::vec::Vec"}},
      {"Box", {"alloc::boxed::Box", "std::boxed::Box"}},
      {"String", {"alloc::string::String", "std::string::String"}},
      {"Cow", {"alloc::borrow::Cow", "std::borrow::Cow"}},
      {"Option", {"core::option::Option", "std::option::Option"}},
      {"Result", {"core::result::Result", "std::result::Result"}},
      {"Error", {"core::error::Error", "std::error::Error"}},
      {"Send", {"core::marker::Send", "std::marker::Send"}},
      {"Sync", {"core::marker::Sync", "std::marker::Sync"}},
      {"Iterator", {"core::iter::traits::iterator::Iterator", "core::iter::Iterator", "std::iter::Iterator"}},
  };
  std::string full = namer.StdPath(p.id);
  auto it = kPaths.find(name);
  if (full.empty() || it == kPaths.end()) return false;
  for (std::string_view candidate : it->second) {
    if (full == candidate) return true;
  }
  return false;
}

// No arguments, or only lifetimes: `Match<'t>` names the pinned type.
bool NoTypeArgs(const model::Path& p) {
  if (!p.args) return true;
  for (const model::GenericArg& a : p.args->args) {
    if (a.kind != model::GenericArg::Kind::kLifetime) return false;
  }
  return p.args->kind == model::GenericArgs::Kind::kAngleBracketed;
}

// A part of an Option, Result or tuple argument: a value that crosses by
// itself, with no buffer to hand back.
bool IsArgPart(const AbiValue& c) {
  switch (c.kind) {
    case Kind::kScalar:
    case Kind::kChar:
    case Kind::kStr:
    case Kind::kString:
    case Kind::kValue:
    case Kind::kEnum:
    case Kind::kRef:
    case Kind::kStdWire:
      return true;
    // A consumer's trait object, given (Box); a lent one only in an Option
    // (Classify), whose facade keeps its pointer's place for the call.
    case Kind::kDynBox:
      return !c.impl_trait;
    default:
      return false;
  }
}






// `dyn Trait + Send` of a library trait with a vtable: a kDynBox or kDynRef.
bool DynValue(const model::Type& inner, const TypeNamer& namer, AbiValue* out, std::string* reason) {
  std::string vtable, hash, shim, facade, markers;
  int traits = 0;
  for (const auto& pt : inner.dyn_trait->traits) {
    if (IsStd(namer, pt.trait, "Send") || IsStd(namer, pt.trait, "Sync")) {
      markers += IsStd(namer, pt.trait, "Send") ? " + Send" : " + Sync";
      continue;
    }
    ++traits;
    std::string why;
    if (!namer.DynTrait(pt.trait, &vtable, &hash, &shim, &facade, &why)) {
      *reason = why.empty() ? "this trait object does not cross yet" : why;
      return false;
    }
  }
  if (traits != 1) {
    *reason = "this trait object does not cross yet";
    return false;
  }
  out->wire_name = vtable;
  out->dyn_hash = hash;
  out->shim_type = "dyn " + shim + markers;
  out->facade_type = "dyn " + facade + markers;
  return true;
}

// `impl Trait` of a library trait with a vtable, as a return: the library's
// value, boxed, behind a handle.
bool ImplTraitValue(const model::Type& t, bool is_return, const TypeNamer& namer, AbiValue* out,
                    std::string* reason) {
  using TK = model::Type::Kind;
  if (!is_return) {
    *reason = "impl Trait parameters are generic: not instantiated yet";
    return false;
  }
  model::DynTrait as_dyn;
  for (const model::GenericBound& b : t.bounds) {
    if (b.kind != model::GenericBound::Kind::kTrait) continue;
    as_dyn.traits.push_back({b.trait, b.generic_params});
  }
  model::Type dyn;
  dyn.kind = TK::kDynTrait;
  dyn.dyn_trait = std::move(as_dyn);
  if (!DynValue(dyn, namer, out, reason)) return false;
  out->kind = Kind::kDynBox;
  out->impl_trait = true;
  return true;
}

}  // namespace

bool StdWireType(const std::string& std_path, std::string* wire_name, std::string* public_path) {
  struct Known {
    std::string_view module;  // the public module; the type may be defined below it
    std::string_view name;
    std::string_view wire;
  };
  static const Known kKnown[] = {
      {"num", "ParseIntError", "parse_int_error"},   {"num", "ParseFloatError", "parse_float_error"},
      {"num", "FpCategory", "fp_category"},          {"num", "TryFromIntError", "try_from_int_error"},
      {"str", "ParseBoolError", "parse_bool_error"}, {"char", "ParseCharError", "parse_char_error"},
      {"char", "CharTryFromError", "char_try_from_error"}, {"cmp", "Ordering", "ordering"},
  };
  for (const Known& k : kKnown) {
    std::string tail = "::" + std::string(k.name);
    if (!std_path.ends_with(tail)) continue;
    for (std::string_view krate : {"core", "std"}) {
      if (std_path.starts_with(fmt::format("{}::{}::", krate, k.module))) {
        *wire_name = k.wire;
        *public_path = fmt::format("core::{}::{}", k.module, k.name);
        return true;
      }
    }
  }
  return false;
}

std::string AbiValue::WireType(bool facade) const {
  const char* rt = "rt";
  switch (kind) {
    case Kind::kUnit: return "()";
    case Kind::kScalar: return scalar;
    case Kind::kChar: return "u32";
    case Kind::kStr: return fmt::format("{}::WireStr", rt);
    case Kind::kString: return fmt::format("{}::WireString", rt);
    case Kind::kRef:
      return fmt::format("{} {}", is_mutable ? "*mut" : "*const",
                         facade ? facade_type : shim_type);
    case Kind::kValue: return facade ? facade_type : shim_type;
    case Kind::kEnum:
      return fmt::format("{}rdylib_enums::Wire{}", facade ? "crate::" : "", wire_name);
    case Kind::kSlice: return fmt::format("rt::WireSlice<{}>", children[0].WireType(facade));
    case Kind::kVec: return fmt::format("rt::WireVec<{}>", children[0].WireType(facade));
    case Kind::kBox: return fmt::format("*mut {}", children[0].WireType(facade));
    case Kind::kCowStr: return children.empty() ? "rt::WireCowStr" : "rt::WireCowBytes";
    case Kind::kDynError: return "rt::WireError";
    case Kind::kErased:
      if (erased_mode.rfind("returned", 0) == 0) {
        // A closure the library returns: its data pointer and table.
        return fmt::format("rt::WireTuple2<*mut {}::ffi::c_void, *const crate::rdylib_erased::Table{}>",
                           facade ? "core" : "std", wire_name);
      }
      return fmt::format("*const {}rdylib_erased::Table{}", facade ? "crate::" : "", wire_name);
    case Kind::kIter: return fmt::format("rt::WireIter<{}>", children[0].WireType(facade));
    case Kind::kBufferMut: return "()";  // several slots: see emit::ArgForm
    case Kind::kStdSelf: return "()";    // several slots: see emit::ArgForm
    case Kind::kDynBox:
    case Kind::kDynRef: return facade ? "*mut core::ffi::c_void" : "*mut std::ffi::c_void";
    case Kind::kStdWire: return "u8";
    case Kind::kCollection: {
      // A Vec of the elements' return forms (a map's as key-value pairs).
      std::string elem = children[0].WireType(facade);
      if (children.size() == 2) elem = fmt::format("rt::WireTuple2<{}, {}>", elem, children[1].WireType(facade));
      return fmt::format("rt::WireVec<{}>", elem);
    }
    case Kind::kShared: return fmt::format("*const {}", children[0].WireType(facade));
    case Kind::kCellValue:
      if (container == "Mutex" || container == "RwLock") {
        return fmt::format("rt::WireTuple2<u8, {}>", children[0].WireType(facade));
      }
      return children[0].WireType(facade);
    case Kind::kTuple: {
      std::vector<std::string> parts;
      for (const AbiValue& c : children) parts.push_back(c.WireType(facade));
      return fmt::format("rt::WireTuple{}<{}>", children.size(), fmt::join(parts, ", "));
    }
    case Kind::kOption:
      return fmt::format("{}::WireOption<{}>", rt, children[0].WireType(facade));
    case Kind::kResult:
      return fmt::format("{}::WireResult<{}, {}>", rt, children[0].WireType(facade),
                         children[1].WireType(facade));
  }
  return "()";
}

bool AbiValue::IsConverted() const {
  // `&mut [Box<dyn Trait>]`: each box moved into the library's Vec and back.
  if (kind == Kind::kSlice && is_mutable && !children.empty() && children[0].kind == Kind::kDynBox) return true;
  switch (kind) {
    case Kind::kString:
    case Kind::kOption:
    case Kind::kResult:
    case Kind::kChar:
    case Kind::kEnum:
    case Kind::kTuple:
    case Kind::kVec:
    case Kind::kBox:
    case Kind::kCowStr:
    case Kind::kDynError:
    case Kind::kErased:
    case Kind::kBufferMut:
    case Kind::kStdSelf:
    case Kind::kIter:
    case Kind::kDynBox:
    case Kind::kDynRef:
    case Kind::kStdWire:
    case Kind::kCollection:
    case Kind::kCellValue:
      return true;
    default:
      return false;
  }
}

bool AbiValue::Borrows() const {
  if (kind == Kind::kRef || kind == Kind::kStr || kind == Kind::kSlice || kind == Kind::kCowStr ||
      kind == Kind::kDynRef || (kind == Kind::kVec && is_mutable)) {
    return true;
  }
  for (const AbiValue& c : children) {
    if (c.Borrows()) return true;
  }
  return false;
}

bool AbiValue::LendsProxies() const {
  if (kind == Kind::kDynRef) return !static_borrow;
  if ((kind == Kind::kSlice || (kind == Kind::kVec && is_mutable)) && !children.empty() &&
      children[0].kind == Kind::kDynBox) {
    return true;
  }
  for (const AbiValue& c : children) {
    if (c.LendsProxies()) return true;
  }
  return false;
}

namespace {

// Whether `t` names a type alias the namer expands, anywhere inside it.
bool HasAlias(const model::Type& t, const TypeNamer& namer) {
  if (t.kind == model::Type::Kind::kResolvedPath) {
    if (!t.path.args && namer.AliasOf(t.path.id) != nullptr) return true;
    if (t.path.args) {
      for (const model::GenericArg& a : t.path.args->args) {
        if (a.type && HasAlias(*a.type, namer)) return true;
      }
    }
  }
  for (const model::Type& e : t.elems) {
    if (HasAlias(e, namer)) return true;
  }
  return false;
}

// `t` with every alias HasAlias finds replaced by what it names.
model::Type Expanded(model::Type t, const TypeNamer& namer) {
  if (t.kind == model::Type::Kind::kResolvedPath) {
    if (const model::Type* aliased = t.path.args ? nullptr : namer.AliasOf(t.path.id)) {
      return Expanded(*aliased, namer);
    }
    if (t.path.args) {
      for (model::GenericArg& a : t.path.args->args) {
        if (a.type) *a.type = Expanded(*a.type, namer);
      }
    }
  }
  for (model::Type& e : t.elems) e = Expanded(e, namer);
  return t;
}

}  // namespace

bool Classify(const model::Type& t, bool is_return, const TypeNamer& namer, AbiValue* out,
              std::string* reason) {
  using TK = model::Type::Kind;
  // An alias is the type it names, on both sides (`&c_int` is `&i32`).
  if (HasAlias(t, namer)) return Classify(Expanded(t, namer), is_return, namer, out, reason);
  // std's collections, Rc and Arc (plan/std_generic.h).
  bool std_generic = false;
  bool crosses = ClassifyStdGeneric(t, is_return, namer, out, reason, &std_generic);
  if (std_generic) return crosses;
  switch (t.kind) {
    case TK::kPrimitive:
      if (t.name == "char") {
        out->kind = Kind::kChar;
        return true;
      }
      if (Scalars().count(t.name)) {
        out->kind = Kind::kScalar;
        out->scalar = t.name;
        return true;
      }
      *reason = "primitive " + t.name + " by value";
      return false;
    case TK::kTuple:
      if (t.elems.empty()) {
        out->kind = Kind::kUnit;
        return true;
      }
      if (is_return && (t.elems.size() == 2 || t.elems.size() == 3)) {
        out->kind = Kind::kTuple;
        for (const model::Type& e : t.elems) {
          AbiValue c;
          if (!Classify(e, true, namer, &c, reason)) return false;
          if (c.kind == Kind::kUnit) {
            *reason = "tuples with () in them do not cross yet";
            return false;
          }
          out->children.push_back(c);
        }
        return true;
      }
      if (!is_return && (t.elems.size() == 2 || t.elems.size() == 3)) {
        out->kind = Kind::kTuple;
        for (const model::Type& e : t.elems) {
          AbiValue c;
          if (!Classify(e, false, namer, &c, reason)) return false;
          if (!IsArgPart(c)) {
            *reason = "tuples of this element type do not cross as parameters yet";
            return false;
          }
          out->children.push_back(c);
        }
        return true;
      }
      *reason = "tuples of more than three do not cross yet";
      return false;
    case TK::kImplTrait: {
      // `impl Iterator<Item = X> + 'a`, returned: nothing else is promised
      // than Iterator (auto traits aside, which the facade does not claim).
      const model::Type* item = nullptr;
      int traits = 0;
      for (const model::GenericBound& b : t.bounds) {
        if (b.kind != model::GenericBound::Kind::kTrait) continue;
        ++traits;
        if (!IsStd(namer, b.trait, "Iterator") || !b.trait.args) continue;
        for (const model::AssocItemConstraint& c : b.trait.args->constraints) {
          if (c.name == "Item" && c.is_equality && c.equality_type) item = c.equality_type.get();
        }
      }
      if (!is_return || traits != 1 || item == nullptr) return ImplTraitValue(t, is_return, namer, out, reason);
      AbiValue x;
      if (!Classify(*item, true, namer, &x, reason)) return false;
      if (x.kind == Kind::kUnit || x.kind == Kind::kIter) {
        *reason = "iterators of this item type do not cross yet";
        return false;
      }
      out->kind = Kind::kIter;
      out->children = {x};
      return true;
    }
    case TK::kRawPointer: {
      // An address, passed on as it is (one process): the pointee is never
      // touched at the boundary, but both sides must name it alike, so a
      // primitive, `()` or one of std's types without parameters.
      const model::Type& pointee = t.elems[0];
      std::string text;
      AbiValue inner;
      std::string ignored;
      if (pointee.kind == TK::kTuple && pointee.elems.empty()) {
        text = "()";
      } else if (pointee.kind == TK::kResolvedPath && !pointee.path.args && !namer.StdPath(pointee.path.id).empty() &&
                 namer.AliasOf(pointee.path.id) == nullptr) {
        text = api::PublicStdPath(namer.StdPath(pointee.path.id));
      } else if (Classify(pointee, false, namer, &inner, &ignored) && inner.kind == Kind::kScalar) {
        text = inner.scalar;
      }
      if (text.empty()) {
        *reason = "raw pointers to this type do not cross yet (only to primitives, () and std's types)";
        return false;
      }
      out->kind = Kind::kScalar;
      out->scalar = fmt::format("{} {}", t.is_mutable ? "*mut" : "*const", text);
      return true;
    }
    case TK::kBorrowedRef: {
      const model::Type& inner = t.elems[0];
      if (inner.kind == TK::kPrimitive && inner.name == "str" && !t.is_mutable) {
        out->kind = Kind::kStr;
        return true;
      }
      if (inner.kind == TK::kSlice && !t.is_mutable && inner.elems[0].kind == TK::kResolvedPath &&
          IsStd(namer, inner.elems[0].path, "String") && !inner.elems[0].path.args) {
        // Read in place, where both std's lay a String out alike (checked at
        // load); never grown or freed through the slice, so the allocator
        // does not matter.
        AbiValue elem;
        elem.kind = Kind::kValue;
        elem.shim_type = "String";
        elem.facade_type = "alloc::string::String";
        elem.std_fact = "String";
        out->kind = Kind::kSlice;
        out->children = {elem};
        return true;
      }
      if (inner.kind == TK::kSlice) {
        AbiValue elem;
        std::string why;
        if (Classify(inner.elems[0], false, namer, &elem, &why) && elem.kind == Kind::kDynBox) {
          // `&[Box<dyn Trait>]`: each value lent for the call. `&mut [...]`:
          // each box moved into the library's own Vec for the call, and every
          // slot handed back as whatever box the library left there
          // (emit::ArgForm), so swaps and replacements are seen.
          if (is_return) {
            *reason = "slices of trait objects do not cross as returns yet";
            return false;
          }
          out->kind = Kind::kSlice;
          out->is_mutable = t.is_mutable;
          out->children = {elem};
          return true;
        }
        if (Classify(inner.elems[0], false, namer, &elem, &why) &&
            (elem.kind == Kind::kScalar || elem.kind == Kind::kValue)) {
          out->kind = Kind::kSlice;
          out->is_mutable = t.is_mutable;
          out->children = {elem};
          // 128-bit integers are aligned to 16 since rustc 1.77 (to 8
          // before): their slice is read in place, so both sides' alignment
          // must agree, which the load check compares (the fact "i128").
          if (elem.kind == Kind::kScalar && (elem.scalar == "i128" || elem.scalar == "u128")) out->std_fact = "i128";
          return true;
        }
        *reason = "slices of this element type do not cross yet";
        return false;
      }
      if (t.is_mutable && !is_return && inner.kind == TK::kResolvedPath &&
          (IsStd(namer, inner.path, "String") || IsStd(namer, inner.path, "Vec"))) {
        // Each side's String and Vec may differ in layout and allocator: the
        // library works on its own copy, which is written back.
        AbiValue buffer;
        buffer.kind = Kind::kBufferMut;
        if (IsStd(namer, inner.path, "Vec")) {
          AbiValue elem;
          const model::GenericArgs* a = inner.path.args.get();
          const model::Type* e = (a != nullptr && a->args.size() == 1) ? a->args[0].type.get() : nullptr;
          std::string why;
          if (e != nullptr && Classify(*e, false, namer, &elem, &why) && elem.kind == Kind::kDynBox) {
            // `&mut Vec<Box<dyn Trait>>`: as `&mut [Box<dyn Trait>]`, the
            // library's pushes and pops seen too (emit::ArgForm).
            out->kind = Kind::kVec;
            out->is_mutable = true;
            out->children = {elem};
            return true;
          }
          if (e == nullptr || !Classify(*e, false, namer, &elem, &why) || elem.kind != Kind::kScalar ||
              elem.scalar == "i128" || elem.scalar == "u128") {
            *reason = "&mut Vec of this element type does not cross yet";
            return false;
          }
          buffer.children = {elem};
        }
        *out = buffer;
        return true;
      }
      if (inner.kind == TK::kDynTrait && inner.dyn_trait) {
        // As a return: the library's own object, lent to the consumer
        // through an interned cell that holds its pointer.
        if (!DynValue(inner, namer, out, reason)) return false;
        out->kind = Kind::kDynRef;
        out->is_mutable = t.is_mutable;
        out->static_borrow = !is_return && !t.is_mutable && t.lifetime == "'static" &&
                             (inner.dyn_trait->lifetime.empty() || inner.dyn_trait->lifetime == "'static");
        return true;
      }
      if (inner.kind == TK::kPrimitive && Scalars().count(inner.name)) {
        // A reference to an integer, float or bool: a pointer to its bytes.
        out->kind = Kind::kRef;
        out->is_mutable = t.is_mutable;
        out->shim_type = out->facade_type = inner.name;
        return true;
      }
      if (inner.kind == TK::kResolvedPath && NoTypeArgs(inner.path)) {
        std::string shim = namer.ShimName(inner.path.id);
        if (!shim.empty()) {
          out->kind = Kind::kRef;
          out->is_mutable = t.is_mutable;
          out->shim_type = shim;
          out->facade_type = namer.FacadeName(inner.path.id);
          out->type_id = inner.path.id;
          return true;
        }
      }
      *reason = "references to this type do not cross yet";
      if (inner.kind == TK::kResolvedPath && !namer.ForeignReason(inner.path.id).empty()) {
        *reason = namer.ForeignReason(inner.path.id);
      }
      return false;
    }
    case TK::kResolvedPath: {
      const model::Path& p = t.path;
      std::string shim = namer.ShimName(p.id);
      std::string wire = namer.EnumWireName(p.id);
      if (!wire.empty() && NoTypeArgs(p)) {
        out->kind = Kind::kEnum;
        out->wire_name = wire;
        out->shim_type = shim;
        out->facade_type = namer.FacadeName(p.id);
        out->type_id = p.id;
        return true;
      }
      if (!shim.empty() && NoTypeArgs(p)) {
        out->kind = Kind::kValue;
        out->shim_type = shim;
        out->facade_type = namer.FacadeName(p.id);
        out->type_id = p.id;
        return true;
      }
      if (!p.args && StdWireType(namer.StdPath(p.id), &out->wire_name, &out->facade_type)) {
        out->kind = Kind::kStdWire;
        return true;
      }
      const model::GenericArgs* a = p.args.get();
      auto single_type = [&]() -> const model::Type* {
        if (a == nullptr || a->kind != model::GenericArgs::Kind::kAngleBracketed) return nullptr;
        const model::Type* found = nullptr;
        int types = 0;
        for (const model::GenericArg& g : a->args) {
          if (g.kind == model::GenericArg::Kind::kType) {
            found = g.type.get();
            ++types;
          }
        }
        return types == 1 ? found : nullptr;
      };
      if ((IsStd(namer, p, "Vec") || IsStd(namer, p, "Box")) && single_type() != nullptr) {
        const model::Type& inner = *single_type();
        if (IsStd(namer, p, "Box") && inner.kind == TK::kDynTrait) {
          bool error = false, send = false, sync = false;
          for (const auto& pt : inner.dyn_trait->traits) {
            error |= IsStd(namer, pt.trait, "Error");
            send |= IsStd(namer, pt.trait, "Send");
            sync |= IsStd(namer, pt.trait, "Sync");
          }
          if (error && send && sync && inner.dyn_trait->traits.size() == 3 && is_return) {
            out->kind = Kind::kDynError;
            return true;
          }
          if (DynValue(inner, namer, out, reason)) {
            out->kind = Kind::kDynBox;
            return true;
          }
          *reason = "this trait object does not cross yet";
          return false;
        }
        AbiValue elem;
        if (!Classify(inner, false, namer, &elem, reason)) return false;
        bool strings = elem.kind == Kind::kString && is_return && IsStd(namer, p, "Vec");
        bool objects = elem.kind == Kind::kDynBox && IsStd(namer, p, "Vec");
        if (strings || objects) {
          // A returned Vec<String>: each String crosses in its return form.
          // A Vec<Box<dyn Trait>>: each box crosses as a handle (returns) or
          // as the consumer's value and its vtable (arguments).
          out->kind = Kind::kVec;
          out->children = {elem};
          return true;
        }
        if (elem.kind != Kind::kScalar && elem.kind != Kind::kValue) {
          *reason = fmt::format("{} of this element type does not cross yet", p.name);
          return false;
        }
        if (elem.kind == Kind::kScalar && (elem.scalar == "i128" || elem.scalar == "u128")) {
          *reason = "128-bit elements do not cross yet";
          return false;
        }
        out->kind = IsStd(namer, p, "Vec") ? Kind::kVec : Kind::kBox;
        out->children = {elem};
        return true;
      }
      if (IsStd(namer, p, "Cow") && is_return && single_type() != nullptr &&
          single_type()->kind == TK::kPrimitive && single_type()->name == "str") {
        out->kind = Kind::kCowStr;
        return true;
      }
      if (IsStd(namer, p, "Cow") && is_return && single_type() != nullptr && single_type()->kind == TK::kSlice &&
          single_type()->elems[0].kind == TK::kPrimitive && single_type()->elems[0].name == "u8") {
        // Cow<[u8]>: the same form as Cow<str>, its element named.
        out->kind = Kind::kCowStr;
        AbiValue byte;
        byte.kind = Kind::kScalar;
        byte.scalar = "u8";
        out->children = {byte};
        return true;
      }
      if (IsStd(namer, p, "String") && !p.args) {
        // An argument String is rebuilt from a &str on the library's side.
        out->kind = Kind::kString;
        return true;
      }
      if (!is_return && p.args && p.args->kind == model::GenericArgs::Kind::kAngleBracketed &&
          ((IsStd(namer, p, "Option") && p.args->args.size() == 1) ||
           (IsStd(namer, p, "Result") && p.args->args.size() == 2))) {
        out->kind = IsStd(namer, p, "Option") ? Kind::kOption : Kind::kResult;
        for (const model::GenericArg& g : p.args->args) {
          AbiValue inner;
          if (!g.type || !Classify(*g.type, false, namer, &inner, reason)) {
            if (reason->empty()) *reason = p.name + " with these arguments does not cross yet";
            return false;
          }
          bool lent_object = inner.kind == Kind::kDynRef && IsStd(namer, p, "Option");
          if (!IsArgPart(inner) && !lent_object) {
            *reason = p.name + " of this type does not cross as a parameter yet";
            return false;
          }
          out->children.push_back(inner);
        }
        return true;
      }
      if (is_return && p.args && p.args->kind == model::GenericArgs::Kind::kAngleBracketed) {
        const auto& args = p.args->args;
        bool all_types = !args.empty();
        for (const model::GenericArg& a : args) all_types &= a.kind == model::GenericArg::Kind::kType;
        if (all_types && IsStd(namer, p, "Option") && args.size() == 1) {
          AbiValue inner;
          if (!Classify(*args[0].type, true, namer, &inner, reason)) return false;
          out->kind = Kind::kOption;
          out->children = {inner};
          return true;
        }
        if (all_types && IsStd(namer, p, "Result") && args.size() == 2) {
          AbiValue ok;
          AbiValue err;
          if (!Classify(*args[0].type, true, namer, &ok, reason) ||
              !Classify(*args[1].type, true, namer, &err, reason)) {
            return false;
          }
          out->kind = Kind::kResult;
          out->children = {ok, err};
          return true;
        }
      }
      *reason = fmt::format("{} does not cross yet", p.name);
      if (!namer.ForeignReason(p.id).empty()) *reason = namer.ForeignReason(p.id);
      return false;
    }
    case TK::kArray: {
      AbiValue elem;
      if (Classify(t.elems[0], false, namer, &elem, reason) &&
          (elem.kind == Kind::kScalar || elem.kind == Kind::kValue)) {
        out->kind = Kind::kValue;
        out->shim_type = fmt::format("[{}; {}]", elem.WireType(false), t.array_len);
        out->facade_type = fmt::format("[{}; {}]", elem.WireType(true), t.array_len);
        out->array_len = t.array_len;
        out->children = {elem};
        return true;
      }
      *reason = "arrays of this element type do not cross yet";
      return false;
    }
    default:
      *reason = "this kind of type does not cross yet";
      return false;
  }
}

}  // namespace rdylib::plan
