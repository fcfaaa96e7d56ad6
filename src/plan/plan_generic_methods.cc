// Generic methods of library traits: whether the facade can declare one and
// the library's impls forward it by erasure (docs/ABI.md, "Erasure").
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <vector>

#include "plan/planner.h"
#include "plan/vtable.h"

namespace rdylib::plan::internal {
namespace {

// Appends the crate's traits named by `bounds` (and their arguments' bounds).
void CrateBoundTraits(const std::vector<model::GenericBound>& bounds, std::vector<model::ItemId>* out) {
  for (const model::GenericBound& b : bounds) {
    if (b.kind == model::GenericBound::Kind::kTrait) out->push_back(b.trait.id);
  }
}

}  // namespace

std::string Planner::GenericTraitMethod(const std::string& trait_path, const model::Trait& tr, const Item& method,
                                        std::string* erased) {
  const auto& f = method.As<model::Function>();
  // A bound on one of the crate's traits would cross through that trait's
  // vtable, but traits are declared before any vtable is planned.
  std::vector<model::ItemId> named;
  for (const model::GenericParamDef& p : f.generics.params) CrateBoundTraits(p.bounds, &named);
  for (const model::WherePredicate& w : f.generics.where_predicates) CrateBoundTraits(w.bounds, &named);
  for (model::ItemId id : named) {
    if (IsPublicTrait(id)) {
      return fmt::format("generic, not erased: a bound on the crate's own trait {} is not erased in trait methods "
                         "yet",
                         Canonical(id));
    }
  }
  if (f.sig.output && f.sig.output->kind == model::Type::Kind::kImplTrait) {
    return "generic, not erased: it returns `impl Trait`, which generic trait methods do not return yet";
  }
  Erasure erasure(f, *this, Mangle(trait_path + "::" + method.name));
  std::string why;
  // A trait with type parameters or associated types: a bound may name them
  // (`F: FnMut(&Self::Item)`), which only an impl or an instance knows. The
  // facade declares the method as the library does; each library impl
  // erases it with its own arguments put in (plan_traits.cc, or is refused
  // with the reason), each vtable instance with the instance's.
  bool instanced = !tr.generics.params.empty() || std::any_of(tr.items.begin(), tr.items.end(), [&](ItemId m) {
    const Item* mi = crate_.Find(m);
    return mi != nullptr && mi->kind == ItemKind::kAssocType;
  });
  bool per_instance = false;
  if (!erasure.Run(&why)) {
    if (!instanced) return "generic, not erased: " + why;
    // Only when they are what erasure could not know: with a number in
    // place of each, it must erase (`fn fold<B, F>(self, init: B, f: F) ->
    // B` stays refused, with its own reason).
    std::map<std::string, model::Type> stand_in;
    model::Type number;
    number.kind = model::Type::Kind::kPrimitive;
    number.name = "u32";
    for (const model::GenericParamDef& p : tr.generics.params) {
      if (p.kind == model::GenericParamDef::Kind::kType) stand_in[p.name] = number;
    }
    for (ItemId m : tr.items) {
      const Item* mi = crate_.Find(m);
      if (mi != nullptr && mi->kind == ItemKind::kAssocType) stand_in["Self::" + mi->name] = number;
    }
    model::Function g = f;
    for (auto& input : g.sig.inputs) SubstituteVtableArgs(stand_in, &input.second);
    if (g.sig.output) SubstituteVtableArgs(stand_in, &*g.sig.output);
    SubstituteVtableArgsInBounds(stand_in, &g.generics);
    Erasure stood_in(g, *this, Mangle(trait_path + "::" + method.name));
    std::string ignored;
    if (!stood_in.Run(&ignored)) return "generic, not erased: " + why;
    per_instance = true;
  }
  // Each body that may run: the default, and every library impl's override.
  // One that asks for the type's identity would see the proxy.
  if (f.has_body) {
    std::string body = BodyIdentityUse(SourceText(method));
    if (!body.empty()) return "generic, not erased: its default " + body.substr(std::string("its ").size());
  }
  for (model::ItemId id : tr.implementations) {
    const Item* impl_item = crate_.Find(id);
    if (impl_item == nullptr || impl_item->kind != ItemKind::kImpl) continue;
    const auto& impl = impl_item->As<model::Impl>();
    if (impl.is_synthetic || impl.is_negative) continue;
    for (model::ItemId m : impl.items) {
      const Item* mi = crate_.Find(m);
      if (mi == nullptr || mi->kind != ItemKind::kFunction || mi->name != method.name) continue;
      std::string body = BodyIdentityUse(SourceText(*mi));
      if (!body.empty()) {
        return fmt::format("generic, not erased: the impl for {}: {}", api_render_.Type(impl.for_type), body);
      }
    }
  }
  if (per_instance) {
    std::vector<std::string> names;
    for (const model::GenericParamDef& p : f.generics.params) {
      if (p.kind == model::GenericParamDef::Kind::kType) names.push_back(p.name);
    }
    *erased = fmt::format("{} (erased per library impl and per vtable instance, whose arguments and associated "
                          "types its bounds name)",
                          fmt::join(names, ", "));
    return "";
  }
  std::vector<std::string> what;
  for (const ErasedParam& ep : erasure.params()) what.push_back(fmt::format("{} ({})", ep.name, ep.Text()));
  *erased = fmt::format("{}", fmt::join(what, ", "));
  return "";
}

}  // namespace rdylib::plan::internal

namespace rdylib::plan::internal {

namespace {

Erasure::Renderers BoundRenderers(api::TypeRenderer* facade, api::TypeRenderer* shim) {
  return {[facade](const model::GenericBound& b) { return facade->Bounds({b}); },
          [shim](const model::GenericBound& b) {
            // Public paths for std's items (core::ops::Fn), as the facade.
            shim->set_full_std_paths(true);
            std::string text = shim->Bounds({b});
            shim->set_full_std_paths(false);
            return text;
          }};
}

}  // namespace

bool Planner::DefaultBodyErasure(const std::string& prefix, const model::Function& f, VtableEntry* e,
                                 std::string* why) {
  Erasure erasure(f, *this, prefix);
  erasure.set_renderers(BoundRenderers(&render_, &shim_render_));
  if (!erasure.Run(why)) return false;
  e->default_params = e->params;
  for (size_t i = 1; i < f.sig.inputs.size(); ++i) {
    AbiValue v;
    if (erasure.InputValue(i, &v)) e->default_params[i - 1].second = v;
  }
  e->default_erased = erasure.params();
  return true;
}

bool Planner::ReversedClosure(const std::string& prefix, const model::Function& f, const std::string& param,
                              AbiValue* value, ErasedParam* out, std::string* why) {
  // The library's closure, handed to the consumer for the call: the form
  // of a closure the library returns, over a function `-> impl <bounds>`.
  model::Function returns;
  model::Type ret;
  ret.kind = model::Type::Kind::kImplTrait;
  for (const model::GenericParamDef& p : f.generics.params) {
    if (p.name == param) ret.bounds = p.bounds;
  }
  returns.sig.output = ret;
  Erasure erasure(returns, *this, prefix);
  erasure.set_renderers(BoundRenderers(&render_, &shim_render_));
  if (!erasure.ReturnValue(value, why)) {
    if (why->empty()) {
      *why = fmt::format("{} is not a closure: only closures cross from the library to a consumer's generic "
                         "method yet",
                         param);
    } else {
      *why = param + ": " + *why;
    }
    return false;
  }
  *out = erasure.params().back();
  out->name = param;
  return true;
}

}  // namespace rdylib::plan::internal
