// Classifying std's generic containers, shared pointers and cells.
#include "plan/std_generic.h"

#include <fmt/format.h>

#include <string_view>
#include <vector>

namespace rdylib::plan {
namespace {

using Kind = AbiValue::Kind;
using TK = model::Type::Kind;

bool IsCollection(const std::string& name) {
  return name == "HashMap" || name == "BTreeMap" || name == "HashSet" || name == "BTreeSet" || name == "VecDeque";
}

bool IsMap(const std::string& name) { return name == "HashMap" || name == "BTreeMap"; }

bool IsCell(const std::string& name) {
  return name == "Cell" || name == "RefCell" || name == "Mutex" || name == "RwLock";
}

// The type arguments of `p`, or false when it has others (lifetimes, consts,
// associated constraints) or none.
bool TypeArgs(const model::Path& p, std::vector<const model::Type*>* out) {
  if (!p.args || p.args->kind != model::GenericArgs::Kind::kAngleBracketed || !p.args->constraints.empty()) {
    return false;
  }
  for (const model::GenericArg& a : p.args->args) {
    if (a.kind != model::GenericArg::Kind::kType || !a.type) return false;
    out->push_back(a.type.get());
  }
  return !out->empty();
}

// An element (or a map's value) of an owned collection: a value that crosses
// by itself in both directions.
bool IsElement(const AbiValue& c) {
  switch (c.kind) {
    case Kind::kScalar: return c.scalar != "i128" && c.scalar != "u128";
    case Kind::kChar:
    case Kind::kString:
    case Kind::kEnum: return true;
    case Kind::kValue: return c.type_id != model::kNoId;
    default: return false;
  }
}

// A key (or a set's element): rebuilding the collection runs Hash and Eq
// (HashMap, HashSet) or Ord (BTreeMap, BTreeSet) on it, which each side's
// std computes alike for primitives and Strings, and the facade for the
// crate's types whose impls it derives alike or forwards.
bool IsKey(const AbiValue& c, const std::string& container, const TypeNamer& namer) {
  if ((c.kind == Kind::kValue || c.kind == Kind::kEnum) && c.type_id != model::kNoId) {
    if (container == "HashMap" || container == "HashSet") {
      return namer.ImplementsStd(c.type_id, "Hash") && namer.ImplementsStd(c.type_id, "Eq");
    }
    return namer.ImplementsStd(c.type_id, "Ord");
  }
  if (c.kind == Kind::kChar || c.kind == Kind::kString) return true;
  return c.kind == Kind::kScalar && c.scalar != "i128" && c.scalar != "u128" && c.scalar != "f32" &&
         c.scalar != "f64";
}

// A value copied for a `&` parameter: plain data, whose copy the library
// cannot tell from the consumer's value (apart from its address).
bool IsCopiedElement(const AbiValue& c) {
  return c.kind == Kind::kChar || c.kind == Kind::kString || (c.kind == Kind::kScalar && IsElement(c));
}

bool Collection(const std::string& name, const model::Path& p, bool is_return, bool lent, const TypeNamer& namer,
                AbiValue* out, std::string* reason) {
  std::vector<const model::Type*> args;
  size_t want = IsMap(name) ? 2 : 1;
  if (!TypeArgs(p, &args) || args.size() != want) {
    *reason = name == "HashMap" || name == "HashSet"
                  ? fmt::format("{} with a hasher other than RandomState does not cross yet", name)
                  : fmt::format("{} with these arguments does not cross yet", name);
    return false;
  }
  out->kind = Kind::kCollection;
  out->container = name;
  out->lent = lent;
  for (size_t i = 0; i < args.size(); ++i) {
    AbiValue c;
    std::string why;
    if (!Classify(*args[i], is_return, namer, &c, &why) || !IsElement(c)) {
      *reason = fmt::format("{} of this element type does not cross yet", name);
      return false;
    }
    bool key = i == 0 && name != "VecDeque";
    if (key && !IsKey(c, name, namer)) {
      // Rebuilding runs the keys' Hash, Eq or Ord on the other side, which
      // for the crate's types the facade may not implement alike.
      *reason = fmt::format(
          "{} keyed by this type does not cross yet (keys: integers, bool, char, String and the crate's types whose "
          "Hash and Eq, or Ord, the facade implements as the library; the collection is rebuilt with them on the "
          "other side)",
          name);
      return false;
    }
    if (lent && !IsCopiedElement(c)) {
      *reason = fmt::format(
          "&{} of this element type does not cross yet: the library gets a rebuilt copy, which for the crate's "
          "types would not be the consumer's values",
          name);
      return false;
    }
    out->children.push_back(std::move(c));
  }
  return true;
}

bool Shared(const std::string& name, const model::Path& p, const TypeNamer& namer, AbiValue* out,
            std::string* reason) {
  std::vector<const model::Type*> args;
  if (!TypeArgs(p, &args) || args.size() != 1) {
    *reason = fmt::format("{} with these arguments does not cross yet", name);
    return false;
  }
  const model::Type& inner = *args[0];
  AbiValue c;
  std::string why;
  bool string = inner.kind == TK::kResolvedPath && !inner.path.args &&
                (namer.StdPath(inner.path.id) == "alloc::string::String" ||
                 namer.StdPath(inner.path.id) == "std::string::String");
  if (string) {
    // The String is shared in place, inside the one allocation.
    c.kind = Kind::kValue;
    c.shim_type = "String";
    c.facade_type = "alloc::string::String";
    c.std_fact = "String";
  } else if (!Classify(inner, false, namer, &c, &why) ||
             !((c.kind == Kind::kScalar && c.scalar != "i128" && c.scalar != "u128" && c.scalar.find('*') ==
                std::string::npos) ||
               (c.kind == Kind::kValue && c.type_id != model::kNoId))) {
    *reason = inner.kind == TK::kSlice || inner.kind == TK::kDynTrait ||
                      (inner.kind == TK::kPrimitive && inner.name == "str")
                  ? fmt::format("{} of an unsized type does not cross yet", name)
                  : fmt::format(
                        "{} of this type does not cross yet (the value is shared in place: integers, floats, bool, "
                        "String and the crate's pinned types)",
                        name);
    return false;
  }
  out->kind = Kind::kShared;
  out->container = name;
  out->std_fact = SharedFact(name);
  out->children = {c};
  return true;
}

// `Box<dyn Any>`, `Box<dyn Any + Send>` and the like.
bool AnyBox(const model::Type& t, const TypeNamer& namer) {
  std::string box = namer.StdPath(t.path.id);
  std::vector<const model::Type*> args;
  if ((box != "alloc::boxed::Box" && box != "std::boxed::Box") || !TypeArgs(t.path, &args) || args.size() != 1 ||
      args[0]->kind != TK::kDynTrait || !args[0]->dyn_trait) {
    return false;
  }
  for (const auto& pt : args[0]->dyn_trait->traits) {
    std::string trait = namer.StdPath(pt.trait.id);
    if (trait == "core::any::Any" || trait == "std::any::Any") return true;
  }
  return false;
}

// A cell or lock by value: moved out with into_inner and rebuilt around
// its value, which crosses in its own form.
bool Moved(const std::string& name, const model::Path& p, bool is_return, const TypeNamer& namer, AbiValue* out,
           std::string* reason) {
  std::vector<const model::Type*> args;
  AbiValue c;
  std::string why;
  if (!TypeArgs(p, &args) || args.size() != 1 || !Classify(*args[0], is_return, namer, &c, &why) || !IsElement(c)) {
    *reason = fmt::format(
        "{} of this type does not cross by value yet (integers, floats, bool, char, String, the crate's pinned "
        "types and enums with data)",
        name);
    return false;
  }
  out->kind = Kind::kCellValue;
  out->container = name;
  out->children = {c};
  return true;
}

}  // namespace

std::string StdGenericName(const std::string& std_path) {
  static const std::pair<std::string_view, std::string_view> kPaths[] = {
      {"std::collections::hash::map::HashMap", "HashMap"},
      {"std::collections::hash::set::HashSet", "HashSet"},
      {"alloc::collections::btree::map::BTreeMap", "BTreeMap"},
      {"std::collections::btree::map::BTreeMap", "BTreeMap"},
      {"alloc::collections::btree::set::BTreeSet", "BTreeSet"},
      {"std::collections::btree::set::BTreeSet", "BTreeSet"},
      {"alloc::collections::vec_deque::VecDeque", "VecDeque"},
      {"std::collections::vec_deque::VecDeque", "VecDeque"},
      {"alloc::rc::Rc", "Rc"},
      {"std::rc::Rc", "Rc"},
      {"alloc::sync::Arc", "Arc"},
      {"std::sync::Arc", "Arc"},
      {"core::cell::Cell", "Cell"},
      {"std::cell::Cell", "Cell"},
      {"core::cell::RefCell", "RefCell"},
      {"std::cell::RefCell", "RefCell"},
      {"std::sync::mutex::Mutex", "Mutex"},
      {"std::sync::poison::mutex::Mutex", "Mutex"},
      {"std::sync::Mutex", "Mutex"},
      {"std::sync::rwlock::RwLock", "RwLock"},
      {"std::sync::poison::rwlock::RwLock", "RwLock"},
      {"std::sync::RwLock", "RwLock"},
  };
  for (const auto& [path, name] : kPaths) {
    if (std_path == path) return std::string(name);
  }
  return "";
}

std::string SharedFact(const std::string& container) { return container + "<u64>"; }

bool ClassifyStdGeneric(const model::Type& t, bool is_return, const TypeNamer& namer, AbiValue* out,
                        std::string* reason, bool* handled) {
  *handled = false;
  const model::Type* named = &t;
  bool ref = t.kind == TK::kBorrowedRef;
  if (ref) named = &t.elems[0];
  if (named->kind != TK::kResolvedPath) return false;
  if (!ref && AnyBox(*named, namer)) {
    *handled = true;
    *reason =
        "Box<dyn Any> does not cross: the consumer downcasts by TypeId, which each compiler computes for its "
        "own std and crates, so whether a downcast succeeds would depend on the two compilers, not on the value";
    return false;
  }
  std::string name = StdGenericName(namer.StdPath(named->path.id));
  if (name.empty()) return false;
  *handled = true;
  const model::Path& p = named->path;
  if (IsCell(name)) {
    if (ref) {
      *reason = fmt::format(
          "&{} does not cross: it would be shared in place, which needs both std's to implement it alike (its "
          "borrow flag, lock word or poison flag), and rdylib cannot check that",
          name);
      return false;
    }
    return Moved(name, p, is_return, namer, out, reason);
  }
  if (IsCollection(name)) {
    if (!ref) return Collection(name, p, is_return, false, namer, out, reason);
    if (is_return) {
      *reason = fmt::format(
          "a returned &{} does not cross: std's {} cannot be shared in place (its layout is each std's own), and a "
          "copy would not be a borrow of the library's",
          name, name);
      return false;
    }
    if (t.is_mutable) {
      *reason = fmt::format(
          "&mut {} does not cross yet: the library would change a rebuilt copy, and writing it back exactly is not "
          "done",
          name);
      return false;
    }
    return Collection(name, p, false, true, namer, out, reason);
  }
  // Rc and Arc.
  if (ref) {
    *reason = fmt::format("references to {} do not cross yet (an owned {} does)", name, name);
    return false;
  }
  return Shared(name, p, namer, out, reason);
}

}  // namespace rdylib::plan
