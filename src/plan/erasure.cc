// Deciding which type parameters are erased, and why others are not.
#include "plan/erasure.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <set>

#include "plan/fingerprint.h"
#include "plan/vtable.h"

namespace rdylib::plan {
namespace {

using TK = model::Type::Kind;

const char* ModeName(ErasedMode m) {
  switch (m) {
    case ErasedMode::kOwned: return "owned";
    case ErasedMode::kCopied: return "copied";
    case ErasedMode::kRef: return "ref";
    case ErasedMode::kRefMut: return "ref_mut";
    case ErasedMode::kBoxed: return "boxed";
    case ErasedMode::kReturned: return "returned";
    case ErasedMode::kReturnedBoxed: return "returned_boxed";
    case ErasedMode::kReturnedCopied: return "returned_copied";
  }
  return "owned";
}

// A value a closure returns or an iterator yields, handed from the consumer
// to the library: it must own nothing the library cannot take over.
bool Producible(const AbiValue& v) {
  switch (v.kind) {
    case AbiValue::Kind::kUnit:
    case AbiValue::Kind::kChar:
    case AbiValue::Kind::kString:
      return true;
    case AbiValue::Kind::kScalar:
      return v.scalar != "i128" && v.scalar != "u128";
    case AbiValue::Kind::kValue:
      return v.array_len.empty();
    default:
      return false;
  }
}

// The lifetimes a type names that are not `'_` or `'static`.
void NamedLifetimes(const model::Type& t, std::set<std::string>* out) {
  if (!t.lifetime.empty() && t.lifetime != "'_" && t.lifetime != "'static") out->insert(t.lifetime);
  for (const model::Type& e : t.elems) NamedLifetimes(e, out);
  if (t.path.args) {
    for (const model::GenericArg& a : t.path.args->args) {
      if (a.kind == model::GenericArg::Kind::kLifetime && a.lifetime != "'_" && a.lifetime != "'static") {
        out->insert(a.lifetime);
      }
      if (a.type) NamedLifetimes(*a.type, out);
    }
  }
}

// True when a path in the type has a lifetime argument (`Context<'a>`).
bool LifetimeArgs(const model::Type& t) {
  for (const model::Type& e : t.elems) {
    if (LifetimeArgs(e)) return true;
  }
  if (t.path.args) {
    for (const model::GenericArg& a : t.path.args->args) {
      if (a.kind == model::GenericArg::Kind::kLifetime) return true;
      if (a.type && LifetimeArgs(*a.type)) return true;
    }
  }
  return false;
}

// True when a path in the type has a lifetime argument other than `'_`.
bool NamedLifetimeArgs(const model::Type& t) {
  for (const model::Type& e : t.elems) {
    if (NamedLifetimeArgs(e)) return true;
  }
  if (t.path.args) {
    for (const model::GenericArg& a : t.path.args->args) {
      if (a.kind == model::GenericArg::Kind::kLifetime && a.lifetime != "'_") return true;
      if (a.type && NamedLifetimeArgs(*a.type)) return true;
    }
  }
  return false;
}

// True when a type borrows anything: a reference or a lifetime other than 'static.
bool Borrows(const model::Type& t) {
  if (t.kind == TK::kBorrowedRef) return true;
  if (t.kind == TK::kImplTrait) return true;  // may capture any lifetime
  for (const model::Type& e : t.elems) {
    if (Borrows(e)) return true;
  }
  if (t.path.args) {
    for (const model::GenericArg& a : t.path.args->args) {
      if (a.kind == model::GenericArg::Kind::kLifetime && a.lifetime != "'static") return true;
      if (a.type && Borrows(*a.type)) return true;
    }
  }
  return false;
}

}  // namespace

bool ErasedParam::Has(ErasedTrait t) const {
  return std::find(traits.begin(), traits.end(), t) != traits.end();
}

bool ErasedParam::IsClosure() const {
  return Has(ErasedTrait::kFn) || Has(ErasedTrait::kFnMut) || Has(ErasedTrait::kFnOnce);
}

std::string ErasedTraitName(ErasedTrait t) {
  switch (t) {
    case ErasedTrait::kFn: return "Fn";
    case ErasedTrait::kFnMut: return "FnMut";
    case ErasedTrait::kFnOnce: return "FnOnce";
    case ErasedTrait::kAsRefStr: return "AsRef<str>";
    case ErasedTrait::kAsRefBytes: return "AsRef<[u8]>";
    case ErasedTrait::kBorrowStr: return "Borrow<str>";
    case ErasedTrait::kIntoString: return "Into<String>";
    case ErasedTrait::kToString: return "ToString";
    case ErasedTrait::kDisplay: return "Display";
    case ErasedTrait::kDebug: return "Debug";
    case ErasedTrait::kPartialEq: return "PartialEq";
    case ErasedTrait::kPartialOrd: return "PartialOrd";
    case ErasedTrait::kIntoIterator: return "IntoIterator";
    case ErasedTrait::kLibTrait: return "a library trait";
    case ErasedTrait::kCopy: return "Copy";
    case ErasedTrait::kSend: return "Send";
    case ErasedTrait::kSync: return "Sync";
    case ErasedTrait::kStatic: return "'static";
    case ErasedTrait::kClone: return "Clone";
  }
  return "?";
}

std::string BodyIdentityUse(const std::string& body) {
  for (const char* word : {"size_of", "align_of", "needs_drop", "type_name", "TypeId", "transmute"}) {
    size_t at = body.find(word);
    while (at != std::string::npos) {
      auto ident = [&](size_t i) {
        return i < body.size() && (std::isalnum(static_cast<unsigned char>(body[i])) || body[i] == '_');
      };
      // A whole word or a prefix of one (`size_of_val`, `type_name_of_val`).
      if (at == 0 || !ident(at - 1)) {
        return fmt::format("its body uses {}, which erasure would answer for the proxy, not the consumer's type",
                           word);
      }
      at = body.find(word, at + 1);
    }
  }
  return "";
}

std::string ErasedParam::Text() const {
  std::vector<std::string> parts;
  for (ErasedTrait t : traits) {
    if (t == ErasedTrait::kFn || t == ErasedTrait::kFnMut || t == ErasedTrait::kFnOnce) {
      std::vector<std::string> args;
      for (const AbiValue& a : fn_args) args.push_back(FormText(a));
      parts.push_back(fmt::format("{}({}) -> {}{}", ErasedTraitName(t), fmt::join(args, ", "), FormText(fn_ret),
                                  fn_ret_as_ref.empty() ? "" : " (from AsRef<" + std::string(fn_ret_as_ref == "str" ? "str" : "[u8]") + ">)"));
    } else if (t == ErasedTrait::kLibTrait) {
      parts.push_back(fmt::format("{} vtable {}", facade_trait, vtable_hash));
    } else if (t == ErasedTrait::kIntoIterator) {
      parts.push_back(fmt::format("IntoIterator<Item = {}>",
                                  item_param >= 0 ? fmt::format("param {}", item_param) : FormText(item)));
    } else {
      parts.push_back(ErasedTraitName(t));
    }
  }
  return fmt::format("{} {}", ModeName(mode), fmt::join(parts, " + "));
}

std::string Erasure::StdTrait(const model::Path& p) const {
  std::string full = namer_.StdPath(p.id);
  // std re-exports core's and alloc's traits: name them by the defining crate.
  if (full.rfind("std::", 0) == 0) return full.substr(5);
  if (full.rfind("core::", 0) == 0) return full.substr(6);
  if (full.rfind("alloc::", 0) == 0) return full.substr(7);
  return "";
}

bool Erasure::MentionsParam(const model::Type& t, std::string* which) const {
  if (t.kind == TK::kGeneric &&
      std::find(type_params_.begin(), type_params_.end(), t.name) != type_params_.end()) {
    *which = t.name;
    return true;
  }
  if (t.kind == TK::kImplTrait) {
    *which = "impl Trait";
    return true;
  }
  for (const model::Type& e : t.elems) {
    if (MentionsParam(e, which)) return true;
  }
  if (t.path.args) {
    for (const model::GenericArg& a : t.path.args->args) {
      if (a.type && MentionsParam(*a.type, which)) return true;
    }
    for (const model::Type& in : t.path.args->inputs) {
      if (MentionsParam(in, which)) return true;
    }
    if (t.path.args->output && MentionsParam(*t.path.args->output, which)) return true;
  }
  if (t.dyn_trait) {
    for (const auto& pt : t.dyn_trait->traits) {
      model::Type as_path;
      as_path.kind = TK::kResolvedPath;
      as_path.path = pt.trait;
      if (MentionsParam(as_path, which)) return true;
    }
  }
  return false;
}

bool Erasure::CowReturn(const model::Type& t) const {
  if (t.kind != TK::kResolvedPath || !t.path.args) return false;
  std::string full = namer_.StdPath(t.path.id);
  const model::Type* arg = nullptr;
  for (const model::GenericArg& a : t.path.args->args) {
    if (a.type) arg = a.type.get();
  }
  if (full == "alloc::borrow::Cow" || full == "std::borrow::Cow") return true;
  bool option = full == "core::option::Option" || full == "std::option::Option";
  return option && arg != nullptr && CowReturn(*arg);
}

bool Erasure::CollectBounds(std::string* why) {
  for (const model::GenericParamDef& p : f_.generics.params) {
    if (p.kind == model::GenericParamDef::Kind::kConst) {
      *why = fmt::format("const parameter {}: each value needs its own instance, which is not built yet", p.name);
      return false;
    }
    if (p.kind != model::GenericParamDef::Kind::kType || p.is_synthetic) continue;
    type_params_.push_back(p.name);
    for (const model::GenericBound& b : p.bounds) bounds_[p.name].push_back(&b);
  }
  for (const model::WherePredicate& w : f_.generics.where_predicates) {
    if (w.kind == model::WherePredicate::Kind::kLifetime) continue;
    // `where Self: Sized` (a trait method kept out of `dyn`): about the
    // receiver, not the erased parameters; the facade's signature keeps it.
    bool self_sized = w.kind == model::WherePredicate::Kind::kBound && w.type && w.type->kind == TK::kGeneric &&
                      w.type->name == "Self" && !w.bounds.empty() &&
                      std::all_of(w.bounds.begin(), w.bounds.end(), [&](const model::GenericBound& b) {
                        return b.kind == model::GenericBound::Kind::kTrait && StdTrait(b.trait) == "marker::Sized";
                      });
    if (self_sized) continue;
    std::string which;
    if (w.kind == model::WherePredicate::Kind::kBound && w.type->kind == TK::kGeneric &&
        bounds_.count(w.type->name) + std::count(type_params_.begin(), type_params_.end(), w.type->name) > 0) {
      for (const model::GenericBound& b : w.bounds) bounds_[w.type->name].push_back(&b);
      continue;
    }
    *why = "a where clause on a type other than a parameter: erasure cannot keep what it requires";
    return false;
  }
  return true;
}

bool Erasure::AddBound(const std::string& param, const model::GenericBound& b, std::string* why) {
  ErasedParam& ep = params_.back();
  bool returned = ep.mode == ErasedMode::kReturned || ep.mode == ErasedMode::kReturnedBoxed ||
                  ep.mode == ErasedMode::kReturnedCopied;
  if (b.kind == model::GenericBound::Kind::kOutlives) {
    if (b.lifetime == "'static") {
      ep.traits.push_back(ErasedTrait::kStatic);
      return true;
    }
    // A returned closure's borrow: the facade's signature keeps it.
    if (returned) return true;
    *why = fmt::format("{}: {} ties the value to a borrow the proxy cannot carry", param, b.lifetime);
    return false;
  }
  if (b.kind != model::GenericBound::Kind::kTrait) {
    *why = fmt::format("{}: a `use<..>` bound is not erased", param);
    return false;
  }
  if (b.modifier == model::GenericBound::Modifier::kMaybe) {  // ?Sized: by reference anyway
    ep.maybe_unsized = true;
    return true;
  }
  std::string t = StdTrait(b.trait);
  const model::GenericArgs* args = b.trait.args.get();
  auto single_arg = [&]() -> const model::Type* {
    if (args == nullptr || args->kind != model::GenericArgs::Kind::kAngleBracketed || args->args.size() != 1 ||
        !args->args[0].type) {
      return nullptr;
    }
    return args->args[0].type.get();
  };
  auto is_str = [](const model::Type* ty) { return ty && ty->kind == TK::kPrimitive && ty->name == "str"; };
  if (t == "ops::function::Fn" || t == "ops::function::FnMut" || t == "ops::function::FnOnce") {
    if (args == nullptr || args->kind != model::GenericArgs::Kind::kParenthesized) {
      *why = fmt::format("{}: an Fn bound without its signature", param);
      return false;
    }
    if (ep.IsClosure()) {
      *why = fmt::format("{}: two Fn bounds", param);
      return false;
    }
    ep.traits.push_back(t == "ops::function::Fn"      ? ErasedTrait::kFn
                        : t == "ops::function::FnMut" ? ErasedTrait::kFnMut
                                                      : ErasedTrait::kFnOnce);
    std::set<std::string> binder;
    for (const model::GenericParamDef& g : b.generic_params) binder.insert(g.name);
    for (const model::Type& in : args->inputs) {
      std::string which;
      if (MentionsParam(in, &which)) {
        *why = fmt::format("{}: its closure takes {}, a type parameter, which would have to cross as a proxy too", param, which);
        return false;
      }
      std::set<std::string> named;
      NamedLifetimes(in, &named);
      for (const std::string& l : named) {
        if (!binder.count(l)) {
          *why = fmt::format("{}: its closure's argument borrows for the function's lifetime {}", param, l);
          return false;
        }
      }
      // `&Captures<'_>`: a reference to a type whose lifetimes are all
      // anonymous crosses as a pointer, cast through `*const ()` (below).
      bool anonymous_ref = in.kind == TK::kBorrowedRef && !NamedLifetimeArgs(in);
      if (LifetimeArgs(in) && !anonymous_ref) {
        // The shim names the crate's types with 'static lifetimes, which a
        // closure's argument does not have.
        *why = fmt::format("{}: a closure argument of a type with lifetime parameters does not cross yet", param);
        return false;
      }
      AbiValue v;
      std::string reason;
      if (!Classify(in, !returned, namer_, &v, &reason)) {
        *why = fmt::format("{}: a closure argument: {}", param, reason);
        return false;
      }
      if (LifetimeArgs(in) && (v.kind != AbiValue::Kind::kRef || returned)) {
        *why = fmt::format("{}: a closure argument of a type with lifetime parameters does not cross yet", param);
        return false;
      }
      if (returned && v.kind != AbiValue::Kind::kScalar && v.kind != AbiValue::Kind::kChar &&
          v.kind != AbiValue::Kind::kStr && v.kind != AbiValue::Kind::kRef && v.kind != AbiValue::Kind::kString) {
        *why = fmt::format("{}: this argument of a returned closure does not cross from the consumer yet", param);
        return false;
      }
      if (returned && v.kind == AbiValue::Kind::kScalar && (v.scalar == "i128" || v.scalar == "u128")) {
        *why = fmt::format("{}: 128-bit arguments of a returned closure do not cross yet", param);
        return false;
      }
      ep.fn_args.push_back(v);
    }
    if (args->output && LifetimeArgs(*args->output)) {
      *why = fmt::format("{}: a closure returning a type with lifetime parameters does not cross yet", param);
      return false;
    }
    std::string ret_param;  // a type parameter the closure returns, bounded by AsRef only
    if (args->output && !returned && args->output->kind == TK::kGeneric &&
        std::find(type_params_.begin(), type_params_.end(), args->output->name) != type_params_.end()) {
      ret_param = args->output->name;
      std::string as_ref;
      for (const model::GenericBound* rb : bounds_[ret_param]) {
        if (rb->kind != model::GenericBound::Kind::kTrait || StdTrait(rb->trait) == "marker::Sized") continue;
        const model::GenericArgs* ra = rb->trait.args.get();
        const model::Type* arg = ra && ra->args.size() == 1 && ra->args[0].type ? ra->args[0].type.get() : nullptr;
        bool str = arg && arg->kind == TK::kPrimitive && arg->name == "str";
        bool bytes = arg && arg->kind == TK::kSlice && arg->elems[0].kind == TK::kPrimitive && arg->elems[0].name == "u8";
        if (StdTrait(rb->trait) != "convert::AsRef" || !(str || bytes) || !as_ref.empty()) {
          as_ref.clear();
          break;
        }
        as_ref = str ? "str" : "bytes";
      }
      if (as_ref.empty()) {
        *why = fmt::format("{}: its closure returns {}, a type parameter bounded by other than one AsRef<str> or "
                           "AsRef<[u8]> (not erased yet)",
                           param, ret_param);
        return false;
      }
      ep.fn_ret_as_ref = as_ref;
      ep.fn_ret.kind = as_ref == "str" ? AbiValue::Kind::kString : AbiValue::Kind::kVec;
      if (as_ref == "bytes") {
        AbiValue byte;
        byte.kind = AbiValue::Kind::kScalar;
        byte.scalar = "u8";
        ep.fn_ret.children = {byte};
      }
      closure_returns_.insert(ret_param);
    }
    if (args->output && ret_param.empty()) {
      std::string which;
      if (MentionsParam(*args->output, &which)) {
        *why = fmt::format("{}: its closure returns {}, a type parameter (not erased yet)", param, which);
        return false;
      }
      std::string reason;
      if (returned) {
        if (!Classify(*args->output, true, namer_, &ep.fn_ret, &reason)) {
          *why = fmt::format("{}: the closure's return: {}", param, reason);
          return false;
        }
      } else if (!Classify(*args->output, false, namer_, &ep.fn_ret, &reason) || !Producible(ep.fn_ret)) {
        *why = fmt::format("{}: the closure's return {}", param,
                           reason.empty() ? "does not cross from the consumer yet" : reason);
        return false;
      }
    }
    if (render_.facade) {
      ep.fn_facade = render_.facade(b);
      ep.fn_shim = render_.shim(b);
      if (!ret_param.empty()) {
        // The facade's helpers name the return `R`; the shim's closure returns the owned value.
        auto retarget = [&](std::string* text, const std::string& to) {
          std::string tail = "-> " + ret_param;
          if (text->size() >= tail.size() && text->compare(text->size() - tail.size(), tail.size(), tail) == 0) {
            text->replace(text->size() - tail.size(), tail.size(), "-> " + to);
          }
        };
        retarget(&ep.fn_facade, "R");
        retarget(&ep.fn_shim, ep.fn_ret_as_ref == "str" ? "String" : "Vec<u8>");
      }
    }
    return true;
  }
  if (t == "convert::AsRef" && is_str(single_arg())) {
    ep.traits.push_back(ErasedTrait::kAsRefStr);
    return true;
  }
  if (t == "convert::AsRef" && single_arg() && single_arg()->kind == TK::kSlice &&
      single_arg()->elems[0].kind == TK::kPrimitive && single_arg()->elems[0].name == "u8") {
    ep.traits.push_back(ErasedTrait::kAsRefBytes);
    return true;
  }
  if (t == "borrow::Borrow" && is_str(single_arg())) {
    ep.traits.push_back(ErasedTrait::kBorrowStr);
    return true;
  }
  if (t == "convert::Into" && single_arg() && single_arg()->kind == TK::kResolvedPath &&
      namer_.StdPath(single_arg()->path.id).find("string::String") != std::string::npos) {
    ep.traits.push_back(ErasedTrait::kIntoString);
    return true;
  }
  if (t == "string::ToString") {
    ep.traits.push_back(ErasedTrait::kToString);
    return true;
  }
  bool self_arg = args == nullptr || args->args.empty() ||
                  (single_arg() && single_arg()->kind == TK::kGeneric && single_arg()->name == param);
  if (t == "cmp::PartialEq" && self_arg) {
    ep.traits.push_back(ErasedTrait::kPartialEq);
    return true;
  }
  if (t == "cmp::PartialOrd" && self_arg) {
    ep.traits.push_back(ErasedTrait::kPartialOrd);
    ep.traits.push_back(ErasedTrait::kPartialEq);  // its supertrait
    return true;
  }
  if (t == "marker::Copy") {
    ep.traits.push_back(ErasedTrait::kCopy);
    return true;
  }
  if (t == "marker::Send" || t == "marker::Sync") {
    ep.traits.push_back(t == "marker::Send" ? ErasedTrait::kSend : ErasedTrait::kSync);
    return true;
  }
  if (t == "marker::Sized") return true;
  if (t == "iter::traits::collect::IntoIterator") {
    const model::AssocItemConstraint* item = nullptr;
    if (args != nullptr) {
      for (const model::AssocItemConstraint& c : args->constraints) {
        if (c.name == "Item" && c.is_equality && c.equality_type) item = &c;
      }
    }
    if (item == nullptr) {
      *why = fmt::format("{}: IntoIterator without `Item = X`: the item's type is the consumer's", param);
      return false;
    }
    ep.traits.push_back(ErasedTrait::kIntoIterator);
    const model::Type& it = *item->equality_type;
    if (it.kind == TK::kGeneric &&
        std::find(type_params_.begin(), type_params_.end(), it.name) != type_params_.end()) {
      ep.item.kind = AbiValue::Kind::kUnit;
      ep.item.wire_name = it.name;  // resolved to an index once its parameter exists
      return true;
    }
    std::string reason;
    if (!Classify(it, false, namer_, &ep.item, &reason) ||
        !(ep.item.kind == AbiValue::Kind::kStr || (Producible(ep.item) && ep.item.kind != AbiValue::Kind::kUnit &&
                                                   ep.item.kind != AbiValue::Kind::kValue))) {
      *why = fmt::format("{}: its items {}", param, reason.empty() ? "do not cross from the consumer yet" : reason);
      return false;
    }
    return true;
  }
  if (t.empty()) {
    std::string vtable, hash, shim, facade, vtable_why;
    if (namer_.DynTrait(b.trait, &vtable, &hash, &shim, &facade, &vtable_why)) {
      // A trait of the crate with a vtable: the value crosses with it.
      if (!ep.vtable.empty()) {
        *why = fmt::format("{}: two bounds on library traits are not erased yet", param);
        return false;
      }
      if (returned) {
        *why = fmt::format("{}: a returned value of a library trait is not erased", param);
        return false;
      }
      ep.traits.push_back(ErasedTrait::kLibTrait);
      ep.vtable = vtable;
      ep.vtable_hash = hash;
      ep.shim_trait = shim;
      ep.facade_trait = facade;
      ep.vtable_std = namer_.DynStdSupertraits(b.trait.id);
      return true;
    }
    if (!vtable_why.empty()) {
      *why = fmt::format("{}: {}", param, vtable_why);
      return false;
    }
    *why = fmt::format("{}: {} is not std's, and not a trait of the crate with a vtable", param, b.trait.name);
    return false;
  }
  if (t == "fmt::Display" || t == "fmt::Debug") {
    ep.traits.push_back(t == "fmt::Display" ? ErasedTrait::kDisplay : ErasedTrait::kDebug);
    return true;
  }
  if (t == "clone::Clone") {
    ep.traits.push_back(ErasedTrait::kClone);  // beside a library trait only (MakeParam)
    return true;
  }
  if (t == "any::Any") {
    *why = fmt::format("{}: Any identifies the type itself (TypeId), which erasure would change", param);
    return false;
  }
  *why = fmt::format("{}: the bound {} is not erasable yet", param, b.trait.name);
  return false;
}

bool Erasure::MakeParam(const std::string& name, ErasedMode mode, std::string* why) {
  for (ErasedParam& existing : params_) {
    if (existing.name != name) continue;
    ErasedMode have = existing.mode == ErasedMode::kCopied ? ErasedMode::kOwned : existing.mode;
    if (have != mode) {
      *why = fmt::format("{} crosses both by value and by reference", name);
      return false;
    }
    return true;
  }
  ErasedParam ep;
  ep.name = name;
  ep.mode = mode;
  std::string safe;
  for (char c : name) safe += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  // The prefix is a path, maybe a trait impl's (`<F as lib::Trait>::m`): an identifier part.
  std::string prefix;
  for (char c : prefix_) prefix += std::isalnum(static_cast<unsigned char>(c)) || c == '_' ? c : '_';
  ep.id = fmt::format("{}__{}", prefix, safe);
  params_.push_back(std::move(ep));
  const std::vector<model::GenericBound>* synthetic = nullptr;
  if (auto it = synthetic_.find(name); it != synthetic_.end()) synthetic = &it->second;
  if (synthetic != nullptr) {
    for (const model::GenericBound& b : *synthetic) {
      if (!AddBound(name, b, why)) return false;
    }
  } else {
    for (const model::GenericBound* b : bounds_[name]) {
      if (!AddBound(name, *b, why)) return false;
    }
  }
  ErasedParam& ep_ref = params_.back();
  std::sort(ep_ref.traits.begin(), ep_ref.traits.end());
  ep_ref.traits.erase(std::unique(ep_ref.traits.begin(), ep_ref.traits.end()), ep_ref.traits.end());
  if (ep_ref.Has(ErasedTrait::kClone) && !ep_ref.Has(ErasedTrait::kLibTrait)) {
    *why = fmt::format("{}: the bound Clone is not erasable yet", name);
    return false;
  }
  // `&'static T` implies `T: 'static`: a library trait's comparisons check identity.
  if (static_refs_.count(name) && ep_ref.Has(ErasedTrait::kLibTrait) && !ep_ref.Has(ErasedTrait::kStatic)) {
    ep_ref.traits.push_back(ErasedTrait::kStatic);
    std::sort(ep_ref.traits.begin(), ep_ref.traits.end());
  }
  bool methods = false;
  for (ErasedTrait t : ep_ref.traits) methods |= t < ErasedTrait::kCopy;
  if (!methods) {
    *why = fmt::format("{} has no bound erasure can call through: its only use would be its type", name);
    return false;
  }
  if (ep_ref.Has(ErasedTrait::kCopy)) {
    if (mode == ErasedMode::kOwned) ep_ref.mode = ErasedMode::kCopied;
    if (mode == ErasedMode::kReturned) ep_ref.mode = ErasedMode::kReturnedCopied;
    if (ep_ref.Has(ErasedTrait::kStatic)) {
      *why = fmt::format("{}: Copy + 'static: the {} may keep copies, which a lent proxy cannot outlive", name,
                         ep_ref.mode == ErasedMode::kReturnedCopied ? "consumer's method" : "library");
      return false;
    }
  }
  const ErasedMode m = ep_ref.mode;
  if ((ep_ref.Has(ErasedTrait::kFnOnce) || ep_ref.Has(ErasedTrait::kIntoString) ||
       ep_ref.Has(ErasedTrait::kIntoIterator)) &&
      (m == ErasedMode::kRef || m == ErasedMode::kRefMut || m == ErasedMode::kCopied ||
       m == ErasedMode::kReturnedCopied)) {
    *why = fmt::format("{}: consumed through its bound, but it is lent", name);
    return false;
  }
  if (ep_ref.Has(ErasedTrait::kLibTrait)) {
    // The proxy is the vtable's: it implements the library trait, the
    // markers, and the trait's std supertraits that the table carries
    // (`R: Labelled + Display` where `Labelled: Display`): a bound naming
    // one of those is met by the same proxy, through the same entry.
    auto carried = [&](ErasedTrait t) {
      const char* std_name = t == ErasedTrait::kDisplay ? "Display"
                             : t == ErasedTrait::kDebug ? "Debug"
                             : t == ErasedTrait::kClone ? "Clone"
                                                        : "";
      return *std_name != '\0' &&
             std::find(ep_ref.vtable_std.begin(), ep_ref.vtable_std.end(), std_name) != ep_ref.vtable_std.end();
    };
    std::erase_if(ep_ref.traits, carried);
    std::vector<std::string> extra;  // Debug, Display and Clone that the table does not carry
    for (ErasedTrait t : ep_ref.traits) {
      if (t == ErasedTrait::kDebug || t == ErasedTrait::kDisplay || t == ErasedTrait::kClone) {
        extra.push_back(ErasedTraitName(t));
      } else if (t != ErasedTrait::kLibTrait && t != ErasedTrait::kSend && t != ErasedTrait::kSync &&
                 t != ErasedTrait::kStatic) {
        *why = fmt::format("{}: a library trait bound together with {} is not erased yet", name, ErasedTraitName(t));
        return false;
      }
    }
    if (ep_ref.mode == ErasedMode::kBoxed) {
      *why = fmt::format("{}: a boxed value of a library trait crosses as a trait object, not erased", name);
      return false;
    }
    // A 'static parameter's values may outlive the call and meet values of
    // another consumer type: its comparisons check identity (docs/ABI.md,
    // "Vtables"), through a table with the identity entry.
    bool identity = ep_ref.Has(ErasedTrait::kStatic) && ComparesValues(ep_ref.vtable_std) &&
                    std::find(ep_ref.vtable_std.begin(), ep_ref.vtable_std.end(), "TypeId") == ep_ref.vtable_std.end();
    if (identity) extra.push_back("'static");
    if (!extra.empty()) {
      // This use's own table: the trait's, extended with their entries
      // (plan_vtable_extended.cc); its proxy implements them by calling back.
      std::string table, hash, shim, facade, table_why;
      if (!namer_.ExtendedVtable(ep_ref.vtable, extra, &table, &hash, &shim, &facade, &table_why)) {
        *why = fmt::format("{}: a library trait bound together with {}: {}", name, fmt::join(extra, " and "),
                           table_why);
        return false;
      }
      ep_ref.vtable = table;
      ep_ref.vtable_hash = hash;
      ep_ref.shim_trait = shim;
      ep_ref.facade_trait = facade;
      for (std::string& t : extra) ep_ref.vtable_std.push_back(t == "'static" ? "TypeId" : std::move(t));
      std::erase_if(ep_ref.traits, carried);
    }
  }
  if (ep_ref.IsClosure() && ep_ref.traits.size() > 1) {
    for (ErasedTrait t : ep_ref.traits) {
      if (t < ErasedTrait::kCopy && t != ErasedTrait::kFn && t != ErasedTrait::kFnMut && t != ErasedTrait::kFnOnce) {
        *why = fmt::format("{}: a closure with other bounds ({}) is not erased yet", name, ErasedTraitName(t));
        return false;
      }
    }
  }
  if (ep_ref.Has(ErasedTrait::kCopy) && ep_ref.IsClosure()) {
    *why = fmt::format("{}: Copy closures are not erased yet", name);
    return false;
  }
  return true;
}

bool Erasure::Run(std::string* why) {
  if (!CollectBounds(why)) return false;
  // Each input: a parameter by value or by reference, an `impl Trait`, a
  // boxed or borrowed closure, or a type that must not mention a parameter.
  for (size_t i = 0; i < f_.sig.inputs.size(); ++i) {
    const auto& [name, t] = f_.sig.inputs[i];
    if (name == "self" && i == 0) continue;
    auto is_param = [&](const model::Type& x) {
      return x.kind == TK::kGeneric &&
             std::find(type_params_.begin(), type_params_.end(), x.name) != type_params_.end();
    };
    auto dyn_bounds = [&](const model::Type& x, std::vector<model::GenericBound>* out) {
      if (x.kind != TK::kDynTrait || !x.dyn_trait) return false;
      bool fn = false;
      for (const auto& pt : x.dyn_trait->traits) {
        model::GenericBound b;
        b.kind = model::GenericBound::Kind::kTrait;
        b.trait = pt.trait;
        for (const model::GenericParamDef& g : pt.generic_params) b.generic_params.push_back(g);
        std::string s = StdTrait(pt.trait);
        fn |= s == "ops::function::Fn" || s == "ops::function::FnMut" || s == "ops::function::FnOnce";
        out->push_back(std::move(b));
      }
      if (!x.dyn_trait->lifetime.empty()) {
        model::GenericBound l;
        l.kind = model::GenericBound::Kind::kOutlives;
        l.lifetime = x.dyn_trait->lifetime;
        if (l.lifetime == "'static") out->push_back(std::move(l));
      }
      return fn;
    };
    // `impl Trait` and `dyn Fn` arguments are named after the argument.
    std::string key = fmt::format("impl_{}", name);
    if (is_param(t)) {
      input_use_[i] = {t.name, ErasedMode::kOwned};
    } else if (t.kind == TK::kBorrowedRef && is_param(t.elems[0])) {
      if (t.lifetime == "'static") static_refs_.insert(t.elems[0].name);  // implies T: 'static
      input_use_[i] = {t.elems[0].name, t.is_mutable ? ErasedMode::kRefMut : ErasedMode::kRef};
    } else if (t.kind == TK::kImplTrait) {
      synthetic_[key] = t.bounds;
      input_use_[i] = {key, ErasedMode::kOwned};
    } else if (t.kind == TK::kBorrowedRef && dyn_bounds(t.elems[0], &synthetic_[key])) {
      input_use_[i] = {key, t.is_mutable ? ErasedMode::kRefMut : ErasedMode::kRef};
    } else if (t.kind == TK::kResolvedPath && t.path.args && t.path.args->args.size() == 1 &&
               t.path.args->args[0].type && namer_.StdPath(t.path.id).find("boxed::Box") != std::string::npos &&
               dyn_bounds(*t.path.args->args[0].type, &synthetic_[key])) {
      input_use_[i] = {key, ErasedMode::kBoxed};
    } else {
      synthetic_.erase(key);
      std::string which;
      if (MentionsParam(t, &which)) {
        *why = fmt::format("parameter {}: {} inside this type would change its layout (a container of the "
                           "consumer's type), which erasure cannot keep",
                           name, which);
        return false;
      }
    }
  }
  if (f_.sig.output && f_.sig.output->kind != TK::kImplTrait) {  // impl Fn: ReturnValue
    std::string which;
    if (MentionsParam(*f_.sig.output, &which)) {
      *why = fmt::format("returns {}: erasure would return the proxy, not the consumer's own type", which);
      return false;
    }
  }
  // A return that borrows from a lent parameter would borrow from the
  // shim's temporary proxy, not the consumer's value.
  if (f_.sig.output) {
    std::set<std::string> out_lifetimes;
    NamedLifetimes(*f_.sig.output, &out_lifetimes);
    bool out_borrows = Borrows(*f_.sig.output);
    auto has_self = !f_.sig.inputs.empty() && f_.sig.inputs[0].first == "self";
    for (const auto& [index, use] : input_use_) {
      if (use.second != ErasedMode::kRef && use.second != ErasedMode::kRefMut) continue;
      const model::Type& in = f_.sig.inputs[index].second;
      bool tied = in.lifetime.empty() || in.lifetime == "'_" ? (!has_self && out_borrows)
                                                              : out_lifetimes.count(in.lifetime) > 0;
      if (tied && CowReturn(*f_.sig.output)) {
        // A Cow borrowed from the proxy is handed back owned (a copy).
        copy_return_ = true;
        continue;
      }
      if (tied) {
        *why = fmt::format("the return borrows from {}, which the library sees as a proxy", use.first);
        return false;
      }
    }
  }
  for (const auto& [index, use] : input_use_) {
    if (!MakeParam(use.first, use.second, why)) return false;
  }
  // Item parameters of IntoIterator: erased as owned values of their own.
  for (size_t i = 0; i < params_.size(); ++i) {
    if (!params_[i].Has(ErasedTrait::kIntoIterator) || params_[i].item.wire_name.empty()) continue;
    std::string item = params_[i].item.wire_name;
    for (const auto& [index, use] : input_use_) {
      if (use.first == item) {
        *why = fmt::format("{} is both an argument and another argument's item", item);
        return false;
      }
    }
    if (!MakeParam(item, ErasedMode::kOwned, why)) return false;
    params_[i].item = AbiValue{};
    params_[i].item_param = static_cast<int>(params_.size() - 1);
    if (params_.back().IsClosure()) {
      *why = fmt::format("{}: iterators of closures are not erased yet", item);
      return false;
    }
    if (params_.back().Has(ErasedTrait::kLibTrait)) {
      *why = fmt::format("{}: iterators of library trait values are not erased yet", item);
      return false;
    }
  }
  for (const std::string& p : type_params_) {
    if (closure_returns_.count(p)) {
      // Only a closure's return: it must appear nowhere else.
      for (const auto& [index, use] : input_use_) {
        if (use.first == p) {
          *why = fmt::format("{} is both a closure's return and an argument", p);
          return false;
        }
      }
      continue;
    }
    bool used = std::any_of(params_.begin(), params_.end(), [&](const ErasedParam& ep) { return ep.name == p; });
    if (!used) {
      *why = fmt::format("{} is only chosen by the caller (no argument has it): erasure has no value to call through", p);
      return false;
    }
  }
  return true;
}

AbiValue Erasure::ValueOf(const ErasedParam& ep) {
  AbiValue v;
  v.kind = AbiValue::Kind::kErased;
  v.wire_name = ep.id;
  v.erased_mode = ModeName(ep.mode);
  v.erased_text = ep.Text();
  return v;
}

bool Erasure::ReturnValue(AbiValue* out, std::string* why) {
  why->clear();
  if (!f_.sig.output) return false;
  const model::Type& t = *f_.sig.output;
  std::vector<model::GenericBound> bounds;
  ErasedMode mode = ErasedMode::kReturned;
  auto fn_bound = [&](const model::Path& p) {
    std::string s = StdTrait(p);
    return s == "ops::function::Fn" || s == "ops::function::FnMut" || s == "ops::function::FnOnce";
  };
  bool fn = false;
  if (t.kind == TK::kImplTrait) {
    bounds = t.bounds;
    for (const model::GenericBound& b : bounds) fn |= b.kind == model::GenericBound::Kind::kTrait && fn_bound(b.trait);
  } else if (t.kind == TK::kResolvedPath && t.path.args && t.path.args->args.size() == 1 && t.path.args->args[0].type &&
             namer_.StdPath(t.path.id).find("boxed::Box") != std::string::npos &&
             t.path.args->args[0].type->kind == TK::kDynTrait) {
    mode = ErasedMode::kReturnedBoxed;
    for (const auto& pt : t.path.args->args[0].type->dyn_trait->traits) {
      model::GenericBound b;
      b.trait = pt.trait;
      b.generic_params = pt.generic_params;
      fn |= fn_bound(pt.trait);
      bounds.push_back(std::move(b));
    }
  }
  if (!fn) return false;
  synthetic_["ret"] = bounds;
  if (!MakeParam("ret", mode, why)) return false;
  if (params_.back().traits.size() > 1) {
    for (ErasedTrait tr : params_.back().traits) {
      if (tr != ErasedTrait::kFn && tr != ErasedTrait::kFnMut && tr != ErasedTrait::kFnOnce &&
          tr != ErasedTrait::kSend && tr != ErasedTrait::kSync && tr != ErasedTrait::kStatic) {
        *why = fmt::format("the returned closure's bound {} is not forwarded yet", ErasedTraitName(tr));
        return false;
      }
    }
  }
  *out = ValueOf(params_.back());
  return true;
}

bool Erasure::InputValue(size_t index, AbiValue* out) const {
  auto it = input_use_.find(index);
  if (it == input_use_.end()) return false;
  for (const ErasedParam& ep : params_) {
    if (ep.name != it->second.first) continue;
    if (ep.Has(ErasedTrait::kLibTrait)) {
      // The vtable's own form (docs/ABI.md, "Erasure"): the consumer's value
      // and the trait's table; the shim's proxy is the generic's type.
      out->kind = ep.mode == ErasedMode::kRef || ep.mode == ErasedMode::kRefMut ? AbiValue::Kind::kDynRef
                                                                                : AbiValue::Kind::kDynBox;
      out->is_mutable = ep.mode == ErasedMode::kRefMut;
      out->wire_name = ep.vtable;
      out->dyn_hash = ep.vtable_hash;
      out->shim_type = ep.shim_trait;
      out->facade_type = ep.facade_trait;
      out->erased_mode = "generic";
      out->erased_text = ep.Text();
      out->maybe_unsized = ep.maybe_unsized && out->kind == AbiValue::Kind::kDynRef;
      return true;
    }
    out->kind = AbiValue::Kind::kErased;
    out->wire_name = ep.id;
    out->erased_mode = ModeName(ep.mode);
    out->erased_text = ep.Text();
    for (const ErasedParam& other : params_) {
      if (ep.item_param >= 0 && &other == &params_[ep.item_param]) out->erased_text += "; item: " + other.Text();
    }
    return true;
  }
  return false;
}

}  // namespace rdylib::plan
