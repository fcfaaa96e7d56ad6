// Trait impls of pinned types: forwarded, derived, or lowered method by method.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "plan/planner.h"
#include "util/files.h"

namespace rdylib::plan::internal {
namespace {

// `text` with every named lifetime but 'static written `'_`.
std::string AnyLifetimes(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\'' || i + 1 >= text.size() || !(std::isalpha(static_cast<unsigned char>(text[i + 1])) || text[i + 1] == '_')) {
      out += text[i];
      continue;
    }
    size_t end = i + 1;
    while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_')) ++end;
    std::string name = text.substr(i, end - i);
    out += name == "'static" ? name : "'_";
    i = end - 1;
  }
  return out;
}

}  // namespace


void Planner::PlanImpls(TypePlan& t, const std::vector<ItemId>& impls) {
  static const std::map<std::string, std::string> kForwarded = {
      {"core::clone::Clone", "Clone"},   {"core::marker::Copy", "Copy"},
      {"core::fmt::Debug", "Debug"},     {"core::fmt::Display", "Display"},
      {"core::cmp::PartialEq", "PartialEq"}, {"core::cmp::Eq", "Eq"},
      {"core::cmp::PartialOrd", "PartialOrd"}, {"core::cmp::Ord", "Ord"},
      {"core::hash::Hash", "Hash"},      {"core::default::Default", "Default"},
      {"core::error::Error", "Error"}};

  const int owner = static_cast<int>(&t - plan_.types.data());
  bool send = false;
  bool sync = false;
  bool explicit_drop = false;
  // A PartialEq the library derives, on a type whose every byte is a public
  // field, is derived by the facade too: then its constants work as patterns.
  bool derive_eq = false;
  if (t.shape != TypePlan::Shape::kDataEnum &&
      (t.shape == TypePlan::Shape::kEnum || (t.all_fields_cross && t.natural_layout))) {
    for (ItemId id : impls) {
      const Item* item = crate_.Find(id);
      if (item == nullptr || !item->As<model::Impl>().trait) continue;
      derive_eq |= api_render_.PathName(*item->As<model::Impl>().trait) ==
                   "core::marker::StructuralPartialEq";
    }
  }
  for (ItemId id : impls) {
    const Item* item = crate_.Find(id);
    if (item == nullptr) continue;
    // std's own hidden impls that its derives write (1.95's `impl
    // TrivialClone` beside a derived Clone): not API, as in the public API.
    if (item->attrs.doc_hidden && item->attrs.automatically_derived) continue;
    const auto& impl = item->As<model::Impl>();
    if (!impl.trait) continue;
    // rustdoc lists with a type the impls for another of the crate's types
    // that name it (quote's `impl BitOr<HasIterator> for
    // ThereIsNoIteratorInRepetition` among HasIterator's): each is planned
    // with its own type. (`impl From<Name> for String` stays: see From.)
    if (impl.for_type.kind == model::Type::Kind::kResolvedPath && impl.for_type.path.id != t.id &&
        pinned_.count(impl.for_type.path.id)) {
      continue;
    }
    std::string trait = api_render_.PathName(*impl.trait);
    if (trait == "core::ops::drop::Drop") explicit_drop = true;
    if (impl.is_synthetic) {
      if (trait == "core::marker::Send") send = !impl.is_negative;
      if (trait == "core::marker::Sync") sync = !impl.is_negative;
      if (!impl.is_negative) std_impls_.insert({owner, trait});
      continue;
    }
    if (impl.blanket_impl) continue;
    if (IsPublicTrait(impl.trait->id)) continue;  // planned with the trait (plan_traits.cc)
    if (ForeignTrait(impl.trait->id) != nullptr) {
      foreign_impls_.emplace_back(id, owner);  // plan_foreign_impls.cc
      continue;
    }
    // An impl for a primitive that names the type (`impl PartialEq<Char>
    // for char`, listed with Char) is named by its own self type.
    std::string impl_path = impl.for_type.kind == model::Type::Kind::kPrimitive
                                ? TraitImplPath(api_render_.Type(impl.for_type), impl)
                                : TraitImplPath(t.path, impl);
    bool lifetimes_only = OnlyLifetimes(impl.generics);
    if (ForwardedTraits().count(trait) && impl.for_type.kind == model::Type::Kind::kBorrowedRef) {
      Status("impl", fmt::format("<{} as {}>", api_render_.Type(impl.for_type),
                                 api_render_.Type(TraitAsType(*impl.trait))),
             "unsupported", "impls of forwarded std traits for references to the type are not forwarded yet");
      continue;
    }
    if ((ForwardedTraits().count(trait) || IsCrossTypeComparison(impl)) && lifetimes_only) {
      trait_method_impls_.emplace_back(id, static_cast<int>(&t - plan_.types.data()));
      continue;  // planned with the functions
    }
    if (trait == "core::ops::drop::Drop") {
      Status("impl", impl_path, "exported", "the facade's drop runs the library's");
      continue;
    }
    if (t.shape == TypePlan::Shape::kDataEnum) {
      PlanDataEnumImpl(t, *item, trait, impl_path);
      continue;
    }
    if ((trait == "core::convert::From" || trait == "core::str::traits::FromStr") &&
        lifetimes_only) {
      from_impls_.insert(id);  // planned with the functions
      continue;
    }
    if (derive_eq && trait == "core::marker::StructuralPartialEq") {
      Status("impl", impl_path, "exported", "comes with the facade's derived PartialEq");
      continue;
    }
    if (derive_eq && trait == "core::cmp::PartialEq" && item->attrs.automatically_derived) {
      std_impls_.insert({owner, trait});
      t.derives.push_back("PartialEq");
      Status("impl", impl_path, "exported", "derived by the facade, as by the library");
      continue;
    }
    auto it = kForwarded.find(trait);
    if (it == kForwarded.end()) {
      Status("impl", impl_path, "unsupported",
             trait == "core::marker::StructuralPartialEq"
                 ? "compiler-internal marker: constants of the facade type cannot be used as patterns"
                 : "this trait is not forwarded yet");
      continue;
    }
    if (impl.trait->args || !lifetimes_only) {
      Status("impl", impl_path, "unsupported", "trait impls with generic arguments are not forwarded yet");
      continue;
    }
    if (it->second == "Error") NoteErrorSource(t, impl);
    if (it->second == "Copy") t.is_copy = true;
    std_impls_.insert({owner, trait});
    t.traits.push_back(it->second);
    if (it->second == "Debug" || it->second == "Display") {
      Status("impl", impl_path, "converted", "formatted by the library with the caller's flags, then copied");
    } else if (it->second == "Error" && t.error_source) {
      Status("impl", impl_path, "converted", "source() is the library's source chain, copied as text");
    } else {
      Status("impl", impl_path, "exported");
    }
  }
  bool copy = std::count(t.derives.begin(), t.derives.end(), "Copy") > 0;
  if (t.shape == TypePlan::Shape::kDataEnum && copy &&
      std::count(t.derives.begin(), t.derives.end(), "Clone") == 0) {
    // Copy needs Clone; a Copy type's Clone copies its bytes (a hand-written
    // one, as petgraph's `copyclone!` writes, is not forwarded for enums).
    t.derives.push_back("Clone");
    std_impls_.insert({owner, "core::clone::Clone"});
    for (ItemStatus& st : plan_.statuses) {
      if (st.kind == "impl" && st.path == "<" + t.path + " as core::clone::Clone>") {
        st.status = "exported";
        st.reason = "derived by the facade: the type is Copy, so a clone is a copy of its bytes";
      }
    }
  }
  std::sort(t.traits.begin(), t.traits.end());
  std::sort(t.derives.begin(), t.derives.end());
  if (t.shape == TypePlan::Shape::kDataEnum) {
    // The facade's own enum drops its own fields, and has the auto traits
    // its fields give it.
    t.marker.clear();
    return;
  }
  t.forward_drop = t.needs_drop && (explicit_drop || !t.all_fields_cross);
  if (t.forward_drop) {
    // The library's drop frees these fields; the facade must not drop them
    // again: std ones are emptied after it, others stay opaque bytes.
    std::erase_if(t.fields, [&](FieldPlan& f) {
      if (!f.needs_drop) return false;
      if ((f.facade_type.starts_with("alloc::") && !f.facade_type.starts_with("alloc::boxed::")) ||
          f.facade_type == "core::option::Option<alloc::string::String>") {
        // Vec<T> -> Vec::<T>::new(): a type in expression position.
        std::string ty = f.facade_type;
        if (size_t lt = ty.find('<'); lt != std::string::npos) ty.insert(lt, "::");
        f.emptied = ty.starts_with("core::option::") ? "None" : ty + "::new()";
        return false;
      }
      plan_.statuses[f.status].status = "unsupported";
      plan_.statuses[f.status].reason =
          "owned by a type whose drop runs in the library: not exposed as a field yet";
      return true;
    });
    t.all_fields_cross = false;
    t.natural_layout = false;
  }
  // An opaque image of bytes is Send and Sync; take away what the library
  // type does not have.
  t.sync = sync;
  if (!send && !sync) t.marker = "core::marker::PhantomData<*mut ()>";
  else if (!send) t.marker = "core::marker::PhantomData<std::sync::MutexGuard<'static, ()>>";
  else if (!sync) t.marker = "core::marker::PhantomData<core::cell::Cell<()>>";
}

void Planner::PlanDataEnumImpl(TypePlan& t, const Item& item, const std::string& trait,
                               const std::string& impl_path) {
  static const std::map<std::string, std::string> kDerivable = {
      {"core::clone::Clone", "Clone"},     {"core::marker::Copy", "Copy"},
      {"core::fmt::Debug", "Debug"},       {"core::cmp::PartialEq", "PartialEq"},
      {"core::cmp::Eq", "Eq"},             {"core::hash::Hash", "Hash"},
      {"core::cmp::PartialOrd", "PartialOrd"}, {"core::cmp::Ord", "Ord"}};
  const int owner = static_cast<int>(&t - plan_.types.data());
  auto d = kDerivable.find(trait);
  if (item.attrs.automatically_derived && d != kDerivable.end()) {
    std_impls_.insert({owner, trait});
    t.derives.push_back(d->second);
    Status("impl", impl_path, "exported", "derived by the facade, as by the library");
    return;
  }
  if (trait == "core::marker::StructuralPartialEq") {
    Status("impl", impl_path, "exported", "comes with the facade's derived PartialEq");
    return;
  }
  const auto& impl = item.As<model::Impl>();
  if (trait == "core::fmt::Display" || trait == "core::fmt::Debug") {
    std_impls_.insert({owner, trait});
    t.traits.push_back(trait == "core::fmt::Display" ? "Display" : "Debug");
    Status("impl", impl_path, "converted", "formatted by the library from a borrowed wire view");
    return;
  }
  if (trait == "core::error::Error") {
    std_impls_.insert({owner, trait});
    NoteErrorSource(t, impl);
    t.traits.push_back("Error");
    Status("impl", impl_path, t.error_source ? "converted" : "exported",
           t.error_source ? "source() is the library's source chain, copied as text" : "");
    return;
  }
  Status("impl", impl_path, "unsupported", "this trait is not forwarded for enums with data yet");
}

void Planner::NoteErrorSource(TypePlan& t, const model::Impl& impl) {
  for (ItemId m : impl.items) {
    const Item* mi = crate_.Find(m);
    if (mi != nullptr && mi->name == "source") t.error_source = true;
  }
}

const std::map<std::string, Planner::ForwardedTrait>& Planner::ForwardedTraits() {
  static const std::map<std::string, ForwardedTrait> kTraits = {
      {"core::convert::AsRef", {"core::convert::AsRef", {"as_ref"}}},
      {"core::convert::AsMut", {"core::convert::AsMut", {"as_mut"}}},
      {"core::borrow::Borrow", {"core::borrow::Borrow", {"borrow"}}},
      {"core::borrow::BorrowMut", {"core::borrow::BorrowMut", {"borrow_mut"}}},
      {"core::convert::TryFrom", {"core::convert::TryFrom", {"try_from"}}},
      {"core::ops::deref::Deref", {"core::ops::Deref", {"deref"}}},
      {"core::ops::deref::DerefMut", {"core::ops::DerefMut", {"deref_mut"}, "core::ops::deref::Deref"}},
      {"core::ops::index::Index", {"core::ops::Index", {"index"}}},
      {"core::ops::index::IndexMut", {"core::ops::IndexMut", {"index_mut"}, "core::ops::index::Index"}},
      {"core::iter::traits::iterator::Iterator", {"core::iter::Iterator", {"next"}}},
      {"core::iter::traits::collect::IntoIterator", {"core::iter::IntoIterator", {"into_iter"}}},
      // Operators: each impl's one method (`Mul<f32>` and `Mul<Vec3>` are two impls).
      {"core::ops::arith::Add", {"core::ops::Add", {"add"}}},
      {"core::ops::arith::Sub", {"core::ops::Sub", {"sub"}}},
      {"core::ops::arith::Mul", {"core::ops::Mul", {"mul"}}},
      {"core::ops::arith::Div", {"core::ops::Div", {"div"}}},
      {"core::ops::arith::Rem", {"core::ops::Rem", {"rem"}}},
      {"core::ops::arith::Neg", {"core::ops::Neg", {"neg"}}},
      {"core::ops::bit::Not", {"core::ops::Not", {"not"}}},
      {"core::ops::bit::BitAnd", {"core::ops::BitAnd", {"bitand"}}},
      {"core::ops::bit::BitOr", {"core::ops::BitOr", {"bitor"}}},
      {"core::ops::bit::BitXor", {"core::ops::BitXor", {"bitxor"}}},
      {"core::ops::bit::Shl", {"core::ops::Shl", {"shl"}}},
      {"core::ops::bit::Shr", {"core::ops::Shr", {"shr"}}},
      {"core::ops::arith::AddAssign", {"core::ops::AddAssign", {"add_assign"}}},
      {"core::ops::arith::SubAssign", {"core::ops::SubAssign", {"sub_assign"}}},
      {"core::ops::arith::MulAssign", {"core::ops::MulAssign", {"mul_assign"}}},
      {"core::ops::arith::DivAssign", {"core::ops::DivAssign", {"div_assign"}}},
      {"core::ops::arith::RemAssign", {"core::ops::RemAssign", {"rem_assign"}}},
      {"core::ops::bit::BitAndAssign", {"core::ops::BitAndAssign", {"bitand_assign"}}},
      {"core::ops::bit::BitOrAssign", {"core::ops::BitOrAssign", {"bitor_assign"}}},
      {"core::ops::bit::BitXorAssign", {"core::ops::BitXorAssign", {"bitxor_assign"}}},
      {"core::ops::bit::ShlAssign", {"core::ops::ShlAssign", {"shl_assign"}}},
      {"core::ops::bit::ShrAssign", {"core::ops::ShrAssign", {"shr_assign"}}},
      {"core::iter::traits::double_ended::DoubleEndedIterator",
       {"core::iter::DoubleEndedIterator", {"next_back"}, "core::iter::traits::iterator::Iterator"}},
      {"core::iter::traits::exact_size::ExactSizeIterator",
       {"core::iter::ExactSizeIterator", {}, "core::iter::traits::iterator::Iterator"}},
      {"core::iter::traits::marker::FusedIterator",
       {"core::iter::FusedIterator", {}, "core::iter::traits::iterator::Iterator"}}};
  return kTraits;
}

const std::map<std::string, Planner::ForwardedTrait>& Planner::CrossTypeComparisons() {
  // PartialOrd's lt, le, gt and ge are forwarded where the impl writes
  // them, so an impl that overrides them keeps its own.
  static const std::map<std::string, ForwardedTrait> kTraits = {
      {"core::cmp::PartialEq", {"core::cmp::PartialEq", {"eq"}}},
      {"core::cmp::PartialOrd", {"core::cmp::PartialOrd", {"partial_cmp"}, "core::cmp::PartialEq"}}};
  return kTraits;
}

bool Planner::IsCrossTypeComparison(const model::Impl& impl) {
  if (!impl.trait || !impl.trait->args || !CrossTypeComparisons().count(api_render_.PathName(*impl.trait))) {
    return false;
  }
  // For one of the crate's own types (`impl PartialOrd<B> for A`), not for
  // a std type that names it (regex's `impl PartialEq<Char> for char`,
  // listed with Char; PlanImpls has already set aside impls for the crate's
  // other types).
  if (impl.for_type.kind != model::Type::Kind::kResolvedPath || !pinned_.count(impl.for_type.path.id)) {
    return false;
  }
  for (const model::GenericArg& a : impl.trait->args->args) {
    if (a.type && api_render_.Type(*a.type) != api_render_.Type(impl.for_type)) return true;
  }
  return false;
}

const Planner::ForwardedTrait& Planner::MethodForwarding(const model::Impl& impl) {
  std::string trait = api_render_.PathName(*impl.trait);
  if (IsCrossTypeComparison(impl)) return CrossTypeComparisons().at(trait);
  return ForwardedTraits().at(trait);
}

void Planner::PlanTraitMethodImpls() {
  // Supertraits first, so an impl can check that the one it needs exists.
  std::vector<std::pair<ItemId, int>> order = trait_method_impls_;
  auto depth = [&](const std::pair<ItemId, int>& e) {
    const auto& impl = crate_.Find(e.first)->As<model::Impl>();
    return std::string(MethodForwarding(impl).needs).empty() ? 0 : 1;
  };
  std::stable_sort(order.begin(), order.end(),
                   [&](const auto& a, const auto& b) { return depth(a) < depth(b); });
  // Owner and trait with its arguments: IndexMut<usize> needs Index<usize>,
  // PartialOrd<B> needs PartialEq<B>.
  std::set<std::pair<int, std::string>> forwarded;
  for (const auto& [id, owner] : order) {
    const auto& impl = crate_.Find(id)->As<model::Impl>();
    std::string trait = api_render_.PathName(*impl.trait);
    const ForwardedTrait& how = MethodForwarding(impl);
    const bool cross_type = IsCrossTypeComparison(impl);
    std::string path = TraitImplPath(plan_.types[owner].path, impl);
    if (*how.needs && !forwarded.count({owner, how.needs + TraitArgs(impl)})) {
      std_impls_refused_.insert({owner, trait});
      Status("impl", path, "unsupported", fmt::format("needs {}{}, which is not forwarded", how.needs, TraitArgs(impl)));
      continue;
    }
    std::string assoc;
    std::map<std::string, model::Type> assoc_types;
    std::vector<const Item*> methods;
    std::string why;
    for (ItemId m : impl.items) {
      const Item* mi = crate_.Find(m);
      if (mi == nullptr) continue;
      if (mi->kind == ItemKind::kFunction) methods.push_back(mi);
      if (mi->kind == ItemKind::kAssocType) {
        const auto& at = mi->As<model::AssocType>();
        if (!at.type || MentionsUnplanned(*at.type)) {
          why = "its " + mi->name + " type does not cross";
          break;
        }
        assoc += fmt::format("type {} = {};\n\n", mi->name, render_.Type(*at.type));
        assoc_types[mi->name] = *at.type;
      }
    }
    std::string header = fmt::format("impl{} {}{} for {}", render_.Params(impl.generics), how.facade,
                                     TraitArgs(impl), render_.Type(impl.for_type));
    std::vector<FunctionPlan> lowered;
    std::vector<std::string> skipped;
    bool converted = false;
    for (const std::string& name : how.required) {
      if (std::none_of(methods.begin(), methods.end(), [&](const Item* m) { return m->name == name; })) {
        why = "its " + name + " is missing from rustdoc's output";
      }
    }
    for (const Item* method : methods) {
      if (!why.empty()) break;
      FunctionPlan fp;
      std::string reason;
      bool required = std::find(how.required.begin(), how.required.end(), method->name) != how.required.end();
      if (!LowerFunction(*method, owner, path + "::" + method->name, &fp, &reason, &converted,
                         &assoc_types)) {
        if (required) why = method->name + ": " + reason;
        else skipped.push_back(method->name);
        continue;
      }
      fp.facade_signature = fp.facade_signature.substr(4);  // no `pub` in a trait impl
      // The path names the trait's arguments, which tell AsRef<str> from
      // AsRef<[u8]>; AssignFingerprints appends the signature's hash.
      fp.symbol = fmt::format("rdylib_v{}_{}__{}_{}_{}", kAbiVersion, Mangle(plan_.types[owner].path),
                              Last(trait), method->name, HexHash(path).substr(0, 8));
      fp.impl_header = header;
      fp.impl_items = assoc;
      fp.shim_callee = fmt::format("<{} as {}{}>::{}", ShimName(plan_.types[owner].id), how.facade,
                                   ShimTraitArgs(impl), method->name);
      lowered.push_back(std::move(fp));
    }
    if (!why.empty()) {
      Status("impl", path, "unsupported", why);
      std_impls_refused_.insert({owner, trait});
      continue;
    }
    forwarded.insert({owner, trait + TraitArgs(impl)});
    // std_impls_ records Self comparisons only (a HashSet of the type, a
    // dependency trait's supertrait): PartialEq<Other> is not PartialEq.
    if (!cross_type) std_impls_.insert({owner, trait});
    std::string note = converted ? "values are converted at the boundary" : "";
    if (!skipped.empty()) {
      note += fmt::format("{}{} not forwarded (the trait's default runs instead)", note.empty() ? "" : "; ",
                          fmt::join(skipped, ", "));
    }
    Status("impl", path, converted ? "converted" : "exported", note);
    if (lowered.empty()) plan_.empty_impls.emplace_back(header, assoc);
    for (FunctionPlan& fp : lowered) plan_.functions.push_back(std::move(fp));
  }
}

std::string Planner::TraitArgs(const model::Impl& impl) {
  if (!impl.trait->args) return "";
  std::vector<std::string> parts;
  for (const model::GenericArg& a : impl.trait->args->args) {
    if (a.type) parts.push_back(render_.Type(*a.type));
  }
  return parts.empty() ? "" : fmt::format("<{}>", fmt::join(parts, ", "));
}

std::string Planner::TraitImplPath(const std::string& type_path, const model::Impl& impl) {
  return fmt::format("<{} as {}>", type_path, api_render_.Type(TraitAsType(*impl.trait)));
}

model::Type Planner::TraitAsType(const model::Path& trait) {
  model::Type t;
  t.kind = model::Type::Kind::kResolvedPath;
  t.path = trait;
  return t;
}

std::string Planner::ShimTraitArgs(const model::Impl& impl) {
  if (!impl.trait->args) return "";
  std::vector<std::string> parts;
  for (const model::GenericArg& a : impl.trait->args->args) {
    if (!a.type) continue;
    AbiValue v;
    std::string ignored;
    if (Classify(*a.type, false, *this, &v, &ignored)) {
      parts.push_back(ShimType(*a.type, v));
    } else {
      parts.push_back(shim_render_.Type(*a.type));
    }
  }
  return parts.empty() ? "" : fmt::format("<{}>", fmt::join(parts, ", "));
}

void Planner::PlanFromImpls() {
  for (ItemId id : from_impls_) {
    const Item& item = *crate_.Find(id);
    const auto& impl = item.As<model::Impl>();
    if (api_render_.PathName(*impl.trait) == "core::str::traits::FromStr") {
      PlanFromStr(impl);
      continue;
    }
    std::string x_text = api_render_.Type(*impl.trait->args->args[0].type);
    std::string path = fmt::format("<{} as core::convert::From<{}>>::from",
                                   api_render_.Type(impl.for_type), x_text);
    const Item* from = nullptr;
    for (ItemId m : impl.items) {
      const Item* mi = crate_.Find(m);
      if (mi != nullptr && mi->name == "from") from = mi;
    }
    const model::GenericArgs* args = impl.trait->args.get();
    AbiValue x;
    AbiValue y;
    std::string reason;
    if (from == nullptr || args == nullptr || args->args.size() != 1 || !args->args[0].type ||
        !Classify(*args->args[0].type, false, *this, &x, &reason) || x.kind == AbiValue::Kind::kUnit ||
        !Classify(impl.for_type, true, *this, &y, &reason)) {
      Status("impl", path, "unsupported", reason.empty() ? "this From impl does not cross yet" : reason);
      continue;
    }
    FunctionPlan fp;
    fp.path = path;
    fp.name = "from";
    fp.module = crate_.name;
    std::string param = from->As<model::Function>().sig.inputs.empty()
                            ? "value"
                            : from->As<model::Function>().sig.inputs[0].first;
    fp.params.push_back({param, x});
    fp.ret = y;
    std::string x_facade = render_.Type(*args->args[0].type);
    std::string y_facade = render_.Type(impl.for_type);
    fp.facade_signature = fmt::format("fn from({}: {}) -> Self", param, x_facade);
    fp.impl_header = fmt::format("impl{} core::convert::From<{}> for {}", render_.Params(impl.generics),
                                 x_facade, y_facade);
    // The impl's own lifetimes (`impl<'a> From<&'a str> for Bytes`) mean
    // nothing in the thunk: any will do.
    fp.shim_callee = AnyLifetimes(fmt::format("<{} as core::convert::From<{}>>::from",
                                              ShimType(impl.for_type, y), ShimType(*args->args[0].type, x)));
    fp.symbol = fmt::format("rdylib_v{}_{}__From_{}", kAbiVersion, crate_.name, HexHash(path).substr(0, 8));
    bool converted = x.IsConverted() || y.IsConverted();
    Status("impl", path, converted ? "converted" : "exported");
    plan_.functions.push_back(std::move(fp));
  }
}

void Planner::PlanFromStr(const model::Impl& impl) {
  std::string path = fmt::format("<{} as core::str::FromStr>::from_str",
                                 api_render_.Type(impl.for_type));
  const model::Type* err = nullptr;
  for (ItemId m : impl.items) {
    const Item* mi = crate_.Find(m);
    if (mi != nullptr && mi->kind == ItemKind::kAssocType && mi->name == "Err") {
      err = mi->As<model::AssocType>().type.get();
    }
  }
  AbiValue self_value;
  AbiValue err_value;
  std::string reason;
  if (err == nullptr || !Classify(impl.for_type, true, *this, &self_value, &reason) ||
      !Classify(*err, true, *this, &err_value, &reason)) {
    Status("impl", path, "unsupported", reason.empty() ? "its Err type does not cross yet" : reason);
    return;
  }
  FunctionPlan fp;
  fp.path = path;
  fp.name = "from_str";
  fp.module = crate_.name;
  AbiValue str_value;
  str_value.kind = AbiValue::Kind::kStr;
  fp.params.push_back({"s", str_value});
  fp.ret.kind = AbiValue::Kind::kResult;
  fp.ret.children = {self_value, err_value};
  fp.facade_signature = "fn from_str(s: &str) -> core::result::Result<Self, Self::Err>";
  fp.impl_header = fmt::format("impl{} core::str::FromStr for {}", render_.Params(impl.generics),
                               render_.Type(impl.for_type));
  fp.impl_items = fmt::format("type Err = {};\n\n", render_.Type(*err));
  fp.shim_callee = fmt::format("<{} as core::str::FromStr>::from_str", ShimType(impl.for_type, self_value));
  fp.symbol = fmt::format("rdylib_v{}_{}__FromStr_{}", kAbiVersion, crate_.name, HexHash(path).substr(0, 8));
  Status("impl", path, "converted", "the result is converted at the boundary");
  plan_.functions.push_back(std::move(fp));
}

}  // namespace rdylib::plan::internal
