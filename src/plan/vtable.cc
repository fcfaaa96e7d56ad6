// Vtables: which values an entry may carry, and the canonical layout text.
#include "plan/vtable.h"

#include <fmt/format.h>

#include <algorithm>

#include "plan/fingerprint.h"
#include "util/files.h"

namespace rdylib::plan {

bool VtableValue(const AbiValue& v, bool is_return, std::string* why) {
  using Kind = AbiValue::Kind;
  switch (v.kind) {
    case Kind::kUnit: return true;
    case Kind::kScalar:
      if (v.scalar == "i128" || v.scalar == "u128") break;
      return true;
    case Kind::kChar:
    case Kind::kStr:
      return true;
    case Kind::kRef:
      if (!is_return) return true;
      break;
    case Kind::kString:
      if (is_return) return true;
      break;
    // `&mut String`, `&mut Vec<T>`: the consumer works on a copy, written
    // back into the library's buffer through the shim's setter.
    case Kind::kBufferMut:
      if (!is_return) return true;
      break;
    // Cow<str>, Cow<[u8]>, also in an Option: handed back through `put`
    // (borrowed stays borrowed, owned is copied by the shim).
    case Kind::kCowStr:
      if (is_return) return true;
      break;
    case Kind::kOption:
      if (is_return && v.children[0].kind == Kind::kCowStr) return true;
      break;
    default: break;
  }
  *why = fmt::format("a {} {} does not cross back from the consumer yet", FormText(v),
                     is_return ? "return" : "parameter");
  return false;
}

std::string StdSupertraitEntry(const std::string& trait) {
  if (trait == "Clone") return "std_clone";
  if (trait == "PartialEq") return "std_eq";
  if (trait == "Eq") return "";
  if (trait == "PartialOrd") return "std_partial_cmp";
  if (trait == "Ord") return "std_cmp";
  if (trait == "Hash") return "std_hash";
  if (trait == "TypeId") return "std_type_id";
  return trait == "Debug" ? "std_fmt_debug" : "std_fmt_display";
}

void AddStdSupertrait(const std::string& name, std::vector<std::string>* list) {
  if (std::find(list->begin(), list->end(), name) != list->end()) return;
  if (name == "Eq" || name == "PartialOrd") AddStdSupertrait("PartialEq", list);
  if (name == "Ord") {
    AddStdSupertrait("Eq", list);
    AddStdSupertrait("PartialOrd", list);
  }
  list->push_back(name);
}

bool ComparesValues(const std::vector<std::string>& list) {
  return std::find(list.begin(), list.end(), "PartialEq") != list.end();
}

bool StdSupertrait(const std::string& std_path, std::string* name, std::string* why) {
  name->clear();
  if (std_path == "core::marker::Send" || std_path == "core::marker::Sync" || std_path == "core::marker::Sized") {
    return true;  // checked by the consumer's compiler on the facade's bounds; the proxy is sized
  }
  if (std_path == "core::fmt::Debug" || std_path == "core::fmt::Display") {
    *name = std_path.substr(std::string("core::fmt::").size());
    return true;
  }
  if (std_path == "core::clone::Clone") {
    *name = "Clone";
    return true;
  }
  // Compared only with a value of the same consumer type: the trait is not
  // dyn-compatible, and a generic parameter's proxies within one call all
  // wrap the consumer's values of one type (docs/ABI.md, "Vtables").
  if (std_path == "core::cmp::PartialEq" || std_path == "core::cmp::Eq" || std_path == "core::cmp::PartialOrd" ||
      std_path == "core::cmp::Ord") {
    *name = std_path.substr(std::string("core::cmp::").size());
    return true;
  }
  // The consumer's Hash feeds the library's Hasher, lent as a table of its methods.
  if (std_path == "core::hash::Hash") {
    *name = "Hash";
    return true;
  }
  std::string what;
  if (std_path == "core::marker::Copy") {
    what = "cannot hold for a proxy over a value the consumer owns and drops through the table";
  } else if (std_path == "core::default::Default") {
    what = "makes a value without one to call back through: the proxy has no consumer type to make it of";
  } else if (std_path == "core::any::Any") {
    what = "would give the proxy's TypeId, not the consumer's type's";
  } else {
    what = "is a std trait the proxy does not implement";
  }
  *why = fmt::format("its supertrait {} {}", std_path, what);
  return false;
}

void AssignVtableLayout(VtablePlan* vt) {
  std::vector<std::string> parts = {"drop", "size", "align"};
  for (const VtableEntry& e : vt->entries) {
    std::vector<std::string> params;
    for (const auto& [name, v] : e.params) params.push_back(FormText(v));
    parts.push_back(fmt::format("{}{}::{}({}{}) -> {}", e.is_unsafe ? "unsafe " : "", e.trait_path, e.name,
                                e.mutable_self ? "&mut self" : "&self",
                                params.empty() ? "" : ", " + fmt::format("{}", fmt::join(params, ", ")),
                                FormText(e.ret)) +
                    (e.self_sized ? " where Self: Sized" : ""));
    if (!e.default_erased.empty()) {
      // A provided generic method's default thunk takes the forward forms.
      std::vector<std::string> forward;
      for (const auto& [name, v] : e.default_params) forward.push_back(FormText(v));
      parts.push_back(fmt::format("{}::{} default({})", e.trait_path, e.name, fmt::join(forward, ", ")));
    }
  }
  for (const std::string& t : vt->std_supertraits) {
    if (t == "Clone") {
      parts.push_back("core::clone::Clone::clone(&self) -> owned data");
    } else if (t == "PartialEq") {
      parts.push_back("core::cmp::PartialEq::eq(&self, other: &Self) -> bool");
    } else if (t == "Eq") {
      parts.push_back("core::cmp::Eq marker");
    } else if (t == "PartialOrd") {
      parts.push_back("core::cmp::PartialOrd::partial_cmp(&self, other: &Self) -> Option<Ordering> i8");
    } else if (t == "Ord") {
      parts.push_back("core::cmp::Ord::cmp(&self, other: &Self) -> Ordering i8");
    } else if (t == "Hash") {
      parts.push_back("core::hash::Hash::hash(&self, state: Hasher write(kind, bytes, ret))");
    } else if (t == "TypeId") {
      parts.push_back("core::any::TypeId::of::<Self>() identity, checked by comparisons");
    } else {
      parts.push_back(fmt::format("core::fmt::{}::fmt(&self, flags) -> String put", t));
    }
  }
  for (const std::string& m : vt->library_defaults) parts.push_back(m + " library default");
  vt->layout_text = fmt::format("vtable {}{}", vt->instance.empty() ? "" : "of " + vt->instance + ": ",
                                 fmt::join(parts, "; "));
  vt->hash = HexHash(vt->trait_path + "\n" + vt->layout_text).substr(0, 8);
}

std::string VtableTraitName(const VtablePlan& vt, const std::string& trait, bool facade, bool bound) {
  std::string name = (facade ? "crate" : "target_crate") + trait.substr(trait.find("::"));
  if (trait != vt.trait_path) return name;
  if (bound) return name + (facade ? vt.facade_args : vt.shim_args);
  return name + (facade ? vt.facade_impl_args : vt.shim_impl_args);
}

std::string VtableMethodPath(const VtablePlan& vt, const std::string& trait, const std::string& self_type,
                             const std::string& method, bool facade) {
  if (vt.instance.empty() || trait != vt.trait_path) {
    return VtableTraitName(vt, trait, facade, false) + "::" + method;
  }
  return fmt::format("<{} as {}>::{}", self_type, VtableTraitName(vt, trait, facade, false), method);
}


void SubstituteVtableArgsInBounds(const std::map<std::string, model::Type>& subst, model::Generics* generics) {
  auto bounds = [&](std::vector<model::GenericBound>* b) {
    // Bounds are substituted as those of an `impl Bounds` type.
    model::Type holder;
    holder.kind = model::Type::Kind::kImplTrait;
    holder.bounds = std::move(*b);
    SubstituteVtableArgs(subst, &holder);
    *b = std::move(holder.bounds);
  };
  for (model::GenericParamDef& p : generics->params) bounds(&p.bounds);
  for (model::WherePredicate& w : generics->where_predicates) bounds(&w.bounds);
}

void SubstituteVtableArgs(const std::map<std::string, model::Type>& subst, model::Type* t) {
  using TK = model::Type::Kind;
  if (t->kind == TK::kGeneric) {
    if (auto it = subst.find(t->name); it != subst.end()) *t = it->second;
    return;
  }
  if (t->kind == TK::kQualifiedPath && !t->elems.empty() && t->elems[0].kind == TK::kGeneric &&
      t->elems[0].name == "Self") {
    // `Self::Item` or `<Self as Trait>::Item`.
    if (auto it = subst.find("Self::" + t->name); it != subst.end()) {
      *t = it->second;
      return;
    }
  }
  auto path = [&](model::Path& p) {
    if (!p.args) return;
    for (model::GenericArg& a : p.args->args) {
      if (a.type) SubstituteVtableArgs(subst, &*a.type);
    }
    for (model::AssocItemConstraint& c : p.args->constraints) {
      if (c.equality_type) SubstituteVtableArgs(subst, &*c.equality_type);
    }
    for (model::Type& i : p.args->inputs) SubstituteVtableArgs(subst, &i);
    if (p.args->output) SubstituteVtableArgs(subst, &*p.args->output);
  };
  path(t->path);
  for (model::Type& e : t->elems) SubstituteVtableArgs(subst, &e);
  if (t->dyn_trait) {
    for (auto& pt : t->dyn_trait->traits) path(pt.trait);
  }
  for (model::GenericBound& b : t->bounds) path(b.trait);
  if (t->fn_pointer) {
    for (auto& input : t->fn_pointer->sig.inputs) SubstituteVtableArgs(subst, &input.second);
    if (t->fn_pointer->sig.output) SubstituteVtableArgs(subst, &*t->fn_pointer->sig.output);
  }
}

}  // namespace rdylib::plan
