// Closed sets: generic functions, methods and blanket impls instantiated
// once per type of a closed set (plan/closed_set.h, docs/ABI.md).
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <set>

#include "plan/planner.h"

namespace rdylib::plan::internal {
namespace {

// Replaces the type parameter `name` by `with` throughout.
void Substitute(model::Type* t, const std::string& name, const model::Type& with) {
  if (t->kind == model::Type::Kind::kGeneric) {
    if (t->name == name) *t = with;
    return;
  }
  for (model::Type& e : t->elems) Substitute(&e, name, with);
  auto path = [&](model::Path& p) {
    if (!p.args) return;
    for (model::GenericArg& a : p.args->args) {
      if (a.type) Substitute(&*a.type, name, with);
    }
    for (model::AssocItemConstraint& c : p.args->constraints) {
      if (c.equality_type) Substitute(&*c.equality_type, name, with);
    }
    // A closure's arguments and return (`Fn(N) -> N`).
    for (model::Type& i : p.args->inputs) Substitute(&i, name, with);
    if (p.args->output) Substitute(&*p.args->output, name, with);
  };
  path(t->path);
  for (model::GenericBound& b : t->bounds) path(b.trait);
}

// The same in the bounds of `g` (an erased parameter's `F: Fn(N) -> N`).
void SubstituteBounds(model::Generics* g, const std::string& name, const model::Type& with) {
  auto bounds = [&](std::vector<model::GenericBound>* b) {
    model::Type holder;
    holder.kind = model::Type::Kind::kImplTrait;
    holder.bounds = std::move(*b);
    Substitute(&holder, name, with);
    *b = std::move(holder.bounds);
  };
  for (model::GenericParamDef& p : g->params) bounds(&p.bounds);
  for (model::WherePredicate& w : g->where_predicates) {
    bounds(&w.bounds);
    if (w.type) Substitute(&*w.type, name, with);
  }
}

// `g` without the type parameter `name` and the where clauses on it.
model::Generics Without(const model::Generics& g, const std::string& name) {
  model::Generics out;
  for (const model::GenericParamDef& p : g.params) {
    if (p.name != name) out.params.push_back(p);
  }
  for (const model::WherePredicate& w : g.where_predicates) {
    bool on_param = w.kind == model::WherePredicate::Kind::kBound && w.type &&
                    w.type->kind == model::Type::Kind::kGeneric && w.type->name == name;
    if (!on_param) out.where_predicates.push_back(w);
  }
  return out;
}

// "Counter::spread" -> "counter__spread": a name for symbols and methods.
std::string Token(const std::string& s) {
  std::string out;
  for (char c : s) {
    out += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(static_cast<unsigned char>(c)))
                                                       : '_';
  }
  return out;
}

// `where Self: Sized` added to a where clause as rendered ("" or " where ..").
std::string WhereSized(const std::string& where) {
  return where.empty() ? " where Self: Sized" : where + ", Self: Sized";
}

model::Type SelfGeneric() {
  model::Type t;
  t.kind = model::Type::Kind::kGeneric;
  t.name = "Self";
  return t;
}

}  // namespace

std::vector<std::string> Planner::ErasedBesideClosed(const model::Generics& g) const {
  std::vector<std::string> erased;
  bool closed = false;
  for (const model::GenericParamDef& p : g.params) {
    if (p.kind != model::GenericParamDef::Kind::kType) continue;
    std::vector<const model::GenericBound*> bounds;
    for (const model::GenericBound& b : p.bounds) bounds.push_back(&b);
    for (const model::WherePredicate& w : g.where_predicates) {
      if (w.kind != model::WherePredicate::Kind::kBound || !w.type || w.type->kind != model::Type::Kind::kGeneric ||
          w.type->name != p.name) {
        continue;
      }
      for (const model::GenericBound& b : w.bounds) bounds.push_back(&b);
    }
    bool declared = false, crate_trait = false;
    for (const model::GenericBound* b : bounds) {
      if (b->kind != model::GenericBound::Kind::kTrait) continue;
      declared |= IsDeclaredTrait(b->trait.id);
      crate_trait |= IsPublicTrait(b->trait.id) || IsDeclaredTrait(b->trait.id);
    }
    closed |= declared;
    if (!crate_trait) erased.push_back(p.name);
  }
  if (!closed) erased.clear();
  return erased;
}

bool Planner::ClosedParams(const model::Generics& g, std::vector<ClosedParam>* out, std::string* why) {
  std::vector<std::string> names;
  for (const model::GenericParamDef& p : g.params) {
    if (p.kind == model::GenericParamDef::Kind::kLifetime) continue;
    if (p.kind == model::GenericParamDef::Kind::kConst) {
      *why = "const parameters are not instantiated";
      return false;
    }
    if (p.is_synthetic) {
      *why = "`impl Trait` arguments are not instantiated (a caller cannot name their type)";
      return false;
    }
    names.push_back(p.name);
  }
  // `for<'a> &'a I: BitAnd<Output = I>`: std bounds on a shared reference
  // to a parameter, checked for each type of the set like its own bounds.
  auto on_ref = [&](const model::WherePredicate& w) {
    return w.kind == model::WherePredicate::Kind::kBound && w.type &&
           w.type->kind == model::Type::Kind::kBorrowedRef && !w.type->is_mutable &&
           w.type->elems[0].kind == model::Type::Kind::kGeneric &&
           std::find(names.begin(), names.end(), w.type->elems[0].name) != names.end();
  };
  for (const model::WherePredicate& w : g.where_predicates) {
    if (w.kind == model::WherePredicate::Kind::kLifetime) continue;
    bool on_param = w.kind == model::WherePredicate::Kind::kBound && w.type &&
                    w.type->kind == model::Type::Kind::kGeneric &&
                    std::find(names.begin(), names.end(), w.type->name) != names.end();
    if (on_ref(w)) {
      for (const model::GenericBound& b : w.bounds) {
        if (b.kind == model::GenericBound::Kind::kTrait && StdPath(b.trait.id).empty()) {
          *why = fmt::format("a where clause on {} names a trait other than std's, which is not instantiated",
                             api_render_.Type(*w.type));
          return false;
        }
      }
      continue;
    }
    if (!on_param) {
      *why = fmt::format("a where clause on {} is not instantiated",
                         w.type ? api_render_.Type(*w.type) : std::string("another type"));
      return false;
    }
  }
  for (const std::string& name : names) {
    std::vector<const model::GenericBound*> bounds;
    for (const model::GenericParamDef& p : g.params) {
      if (p.name == name) {
        for (const model::GenericBound& b : p.bounds) bounds.push_back(&b);
      }
    }
    for (const model::WherePredicate& w : g.where_predicates) {
      if (w.kind == model::WherePredicate::Kind::kBound && w.type && w.type->name == name) {
        for (const model::GenericBound& b : w.bounds) bounds.push_back(&b);
      }
    }
    ClosedParam cp;
    cp.name = name;
    // The candidates: every type a library bound's crossed impls name.
    std::vector<const model::Type*> candidates;
    for (const model::GenericBound* b : bounds) {
      if (b->kind != model::GenericBound::Kind::kTrait || !IsDeclaredTrait(b->trait.id)) continue;
      auto it = crossed_impls_.find(b->trait.id);
      if (it == crossed_impls_.end()) continue;
      for (const CrossedImpl& c : it->second) candidates.push_back(&c.for_type);
    }
    for (const model::GenericBound* b : bounds) {
      if (b->kind != model::GenericBound::Kind::kTrait) continue;  // lifetimes: any concrete type meets them
      if (b->modifier == model::GenericBound::Modifier::kMaybe) {
        cp.maybe_unsized = true;
        continue;
      }
      ClosedBound cb;
      cb.trait = api_render_.Type(TraitAsType(b->trait));
      if (IsDeclaredTrait(b->trait.id)) {
        cb.kind = ClosedBound::Kind::kLibrary;
        const auto& tr = crate_.Find(b->trait.id)->As<model::Trait>();
        if (!tr.generics.params.empty() || b->trait.args) {
          cb.open = "a trait with parameters does not dispatch a closed set yet";
        }
        for (ItemId id : tr.implementations) {
          const Item* ii = crate_.Find(id);
          if (ii == nullptr || ii->kind != ItemKind::kImpl || !cb.open.empty()) continue;
          const auto& impl = ii->As<model::Impl>();
          if (impl.is_synthetic || impl.is_negative) continue;
          if (!OnlyLifetimes(impl.generics) && !impl.blanket_impl &&
              impl.for_type.kind != model::Type::Kind::kGeneric) {
            // `impl<T: One> One for Wrapping<T>`: generic impls do not
            // cross, so no facade type has this one.
            cb.left_out.push_back(api_render_.Type(impl.for_type));
          } else if (impl.blanket_impl || !OnlyLifetimes(impl.generics)) {
            cb.open = fmt::format("the library implements it for {} (impl{} {} for {}), which admits types it does not list",
                                  api_render_.Type(impl.for_type), api_render_.Params(impl.generics), cb.trait,
                                  api_render_.Type(impl.for_type));
          } else if (!impl.generics.params.empty()) {
            cb.open = fmt::format("its impl for {} has lifetime parameters, which are not instantiated yet",
                                  api_render_.Type(impl.for_type));
          }
        }
        if (auto it = crossed_impls_.find(b->trait.id); it != crossed_impls_.end()) {
          for (const CrossedImpl& c : it->second) {
            // `impl Trait for str` (or a slice): never a Sized parameter's type.
            bool is_unsized = (c.for_type.kind == model::Type::Kind::kPrimitive && c.for_type.name == "str") ||
                              c.for_type.kind == model::Type::Kind::kSlice ||
                              c.for_type.kind == model::Type::Kind::kDynTrait;
            if (!is_unsized) cb.impls.push_back(api_render_.Type(c.for_type));
          }
        }
      } else if (IsPublicTrait(b->trait.id)) {
        cb.open = " (the crate's trait does not cross: see its entry)";
      } else if (!StdPath(b->trait.id).empty()) {
        cb.kind = ClosedBound::Kind::kStd;
        for (const model::Type* t : candidates) {
          int holds = StdBoundHolds(*t, *b, name);
          if (holds > 0) cb.holds.push_back(api_render_.Type(*t));
          if (holds < 0) cb.unknown.push_back(api_render_.Type(*t));
        }
      }
      cp.bounds.push_back(std::move(cb));
    }
    for (const model::WherePredicate& w : g.where_predicates) {
      if (!on_ref(w) || w.type->elems[0].name != name) continue;
      for (const model::GenericBound& b : w.bounds) {
        if (b.kind != model::GenericBound::Kind::kTrait) continue;
        ClosedBound cb;
        cb.kind = ClosedBound::Kind::kStd;
        cb.trait = api_render_.Type(*w.type) + ": " + api_render_.Type(TraitAsType(b.trait));
        for (const model::Type* t : candidates) {
          int holds = RefStdBoundHolds(*t, b, name);
          if (holds > 0) cb.holds.push_back(api_render_.Type(*t));
          if (holds < 0) cb.unknown.push_back(api_render_.Type(*t));
        }
        cp.bounds.push_back(std::move(cb));
      }
    }
    out->push_back(std::move(cp));
  }
  return true;
}

int Planner::RefStdBoundHolds(const model::Type& t, const model::GenericBound& b, const std::string& param) const {
  // std implements these for `&P` of a primitive as for P itself (its
  // forward_ref impls, `Output` the primitive); nothing else is assumed.
  static const std::set<std::string> kForwarded = {
      "Add", "Sub", "Mul", "Div", "Rem", "BitAnd", "BitOr", "BitXor", "Neg", "Not", "Clone", "Copy", "Debug",
      "Display", "PartialEq", "PartialOrd", "Eq", "Ord", "Hash", "Send", "Sync", "Sized", "Unpin"};
  if (t.kind != model::Type::Kind::kPrimitive || !kForwarded.count(Last(StdPath(b.trait.id)))) return -1;
  return StdBoundHolds(t, b, param);
}

int Planner::StdBoundHolds(const model::Type& t, const model::GenericBound& b, const std::string& param) const {
  std::string path = StdPath(b.trait.id);
  std::string name = Last(path);
  // Arguments only as the operator traits take them: the parameter itself
  // (`Add<T, Output = T>`), which is the candidate type.
  auto is_param = [&](const model::Type& a) {
    return a.kind == model::Type::Kind::kGeneric && (a.name == param || a.name == "Self");
  };
  static const std::set<std::string> kOperators = {
      "Add", "Sub", "Mul", "Div", "Rem", "BitAnd", "BitOr", "BitXor", "Shl", "Shr", "AddAssign", "SubAssign",
      "MulAssign", "DivAssign", "RemAssign", "BitAndAssign", "BitOrAssign", "BitXorAssign", "ShlAssign", "ShrAssign"};
  // Shifts take any integer on the right (`Shr<usize, Output = T>`): std
  // implements every pair of integer types.
  bool shift = name == "Shl" || name == "Shr" || name == "ShlAssign" || name == "ShrAssign";
  auto is_integer = [](const model::Type& a) {
    static const std::set<std::string> kIntegers = {"i8", "i16", "i32", "i64", "i128", "isize",
                                                    "u8", "u16", "u32", "u64", "u128", "usize"};
    return a.kind == model::Type::Kind::kPrimitive && kIntegers.count(a.name) > 0;
  };
  if (b.trait.args) {
    for (const model::GenericArg& a : b.trait.args->args) {
      if (a.kind == model::GenericArg::Kind::kLifetime) continue;
      // std's forward_ref impls: an operator of primitives also takes `&T`.
      bool by_ref = a.type && a.type->kind == model::Type::Kind::kBorrowedRef && !a.type->is_mutable &&
                    kOperators.count(name) > 0;
      const model::Type* arg = by_ref ? &a.type->elems[0] : a.type ? &*a.type : nullptr;
      if (arg == nullptr || !(is_param(*arg) || (shift && is_integer(*arg)))) return -1;
    }
    for (const model::AssocItemConstraint& c : b.trait.args->constraints) {
      if (!c.equality_type || !is_param(*c.equality_type)) return -1;
    }
  }
  if (t.kind == model::Type::Kind::kPrimitive) return PrimitiveImplements(t.name, name);
  const Item* item = t.kind == model::Type::Kind::kResolvedPath ? crate_.Find(t.path.id) : nullptr;
  if (item == nullptr || item->crate_id != 0) return -1;
  if (name == "Sized") return 1;
  const std::vector<ItemId>* impls = nullptr;
  if (item->kind == ItemKind::kStruct) impls = &item->As<model::Struct>().impls;
  if (item->kind == ItemKind::kEnum) impls = &item->As<model::Enum>().impls;
  if (impls == nullptr) return -1;
  for (ItemId id : *impls) {
    const Item* ii = crate_.Find(id);
    if (ii == nullptr || ii->kind != ItemKind::kImpl) continue;
    const auto& impl = ii->As<model::Impl>();
    if (impl.trait && !impl.is_negative && (impl.trait->id == b.trait.id || StdPath(impl.trait->id) == path)) {
      return b.trait.args ? -1 : 1;
    }
  }
  return 0;
}

const Planner::CrossedImpl* Planner::FindCrossed(ItemId trait, const std::string& type) const {
  auto it = crossed_impls_.find(trait);
  if (it == crossed_impls_.end()) return nullptr;
  for (const CrossedImpl& c : it->second) {
    if (api_render_.Type(c.for_type) == type) return &c;
  }
  return nullptr;
}

void Planner::AddToImpl(const CrossedImpl& c, FunctionPlan* f) {
  f->impl_header = c.header;
  f->impl_items = c.items;
  f->module = crate_.name;
  // An impl without methods was written as an empty impl: it becomes a
  // block that holds this method.
  std::erase(plan_.empty_impls, std::make_pair(c.header, c.items));
}

void Planner::PlanClosedSets() {
  PlanSealingImpls();
  for (const ClosedCandidate& c : closed_candidates_) {
    if (c.trait != nullptr) {
      PlanClosedImpl(c);
    } else {
      PlanClosedFunction(c);
    }
  }
  closed_candidates_.clear();
}

// The library trait the decision dispatches through: the first declared
// trait among `param`'s bounds in `g`.
const TraitPlan* Planner::HostTrait(const model::Generics& g, const std::string& param) const {
  auto pick = [&](const std::vector<model::GenericBound>& bounds) -> const TraitPlan* {
    for (const model::GenericBound& b : bounds) {
      if (b.kind != model::GenericBound::Kind::kTrait || !IsDeclaredTrait(b.trait.id)) continue;
      for (const TraitPlan& t : plan_.traits) {
        if (t.id == b.trait.id && t.supported) return &t;
      }
    }
    return nullptr;
  };
  for (const model::GenericParamDef& p : g.params) {
    if (p.name != param) continue;
    if (const TraitPlan* t = pick(p.bounds)) return t;
  }
  for (const model::WherePredicate& w : g.where_predicates) {
    if (w.kind != model::WherePredicate::Kind::kBound || !w.type || w.type->name != param) continue;
    if (const TraitPlan* t = pick(w.bounds)) return t;
  }
  return nullptr;
}

std::string Planner::HiddenMethod(const std::string& signature, const std::string& item, const TraitPlan& host,
                                  const std::vector<std::string>& types) {
  return fmt::format(
      "#[doc(hidden)]\n#[allow(unused_variables)]\n{} {{\n"
      "    panic!(\n"
      "        \"{}: rdylib instantiates it only for the library's own impls of {} ({}), not for {{}}\",\n"
      "        core::any::type_name::<Self>()\n"
      "    )\n"
      "}}\n",
      signature, item, host.path, fmt::join(types, ", "));
}

std::string Planner::HiddenName(const TraitPlan& host, const std::string& wanted) {
  // `Foo::bar` and `foo::bar` give the same token: the second gets a number.
  std::string name = wanted;
  for (int i = 2; !hidden_names_.insert({host.id, name}).second; ++i) name = fmt::format("{}_{}", wanted, i);
  return name;
}

void Planner::PlanClosedFunction(const ClosedCandidate& c) {
  const auto& f = c.item->As<model::Function>();
  std::string kind = c.owner >= 0 ? "method" : "function";
  auto refuse = [&](const std::string& reason) {
    std::string why = c.why + "; not instantiated: " + reason;
    // Natively the consumer compiles a generic function: so may the facade.
    if (c.owner < 0 && CopiedFunction(*c.item, c.path, why)) return;
    Status(kind, c.path, "unsupported", why);
  };
  std::vector<ClosedParam> params;
  std::string why;
  // A parameter beside closed ones whose bounds name none of the crate's
  // traits (`F: Fn(N) -> N`, `L: Display`, `impl Fn(N)`): each instance
  // erases it, as a generic function's (its bounds then name the chosen
  // types); the instances' erasure gives the reason when it cannot.
  std::vector<std::string> erased_names = ErasedBesideClosed(f.generics);
  model::Generics closed_generics = f.generics;
  for (const std::string& name : erased_names) closed_generics = Without(closed_generics, name);
  if (!ClosedParams(closed_generics, &params, &why)) return refuse(why);
  ClosedSetDecision d = DecideClosedSet(params);
  if (!d.ok()) return refuse(d.reason);
  // One level of dispatch per closed parameter, in declaration order (the
  // order of the shim's turbofish): each level's trait dispatches on its
  // parameter, and its impl for each type passes the call on to the next
  // level's trait, whose hidden method names the types chosen so far.
  std::vector<const ClosedSetDecision*> levels = {&d};
  for (const ClosedSetDecision& m : d.more) levels.push_back(&m);
  std::vector<const TraitPlan*> hosts;
  std::vector<std::vector<const CrossedImpl*>> crossed(levels.size());
  for (size_t k = 0; k < levels.size(); ++k) {
    const TraitPlan* host = HostTrait(f.generics, levels[k]->param);
    if (host == nullptr) {
      return refuse(levels.size() == 1 ? std::string("its bound's trait is not declared by the facade")
                                       : levels[k]->param + ": its bound's trait is not declared by the facade");
    }
    hosts.push_back(host);
    for (const std::string& type_name : levels[k]->types) {
      const CrossedImpl* cr = FindCrossed(host->id, type_name);
      if (cr == nullptr) return refuse("the facade's impl of " + host->path + " for " + type_name + " is missing");
      crossed[k].push_back(cr);
    }
  }
  // The function as the hidden methods and the thunks take it: `self` as
  // `this` of the owner's type, `Self` written out.
  model::FunctionSignature sig = NamedParams(f.sig);
  std::vector<std::string> args;
  std::vector<std::string> passed;  // the same in the hidden methods, where `self` is `this`
  for (auto& [name, type] : sig.inputs) {
    args.push_back(name);
    ResolveSelf(&type, c.owner);
    if (name == "self") name = "this";
    passed.push_back(name);
  }
  if (sig.output) ResolveSelf(&*sig.output, c.owner);
  // The generics left at level k: without the parameters of levels 0..k.
  std::vector<model::Generics> generics;
  for (size_t k = 0; k < levels.size(); ++k) {
    generics.push_back(Without(k == 0 ? f.generics : generics.back(), levels[k]->param));
  }
  std::string base = "__rdylib_" + Token(Inner(c.path, crate_.name));
  std::string method = HiddenName(*hosts[0], base);
  ClosedSetPlan cs;
  std::vector<FunctionPlan> instances;
  std::vector<size_t> chosen;  // the type of each earlier level
  // The impls these methods go to: an impl written without methods becomes
  // a block that holds them (once the item is planned).
  std::vector<std::pair<std::string, std::string>> emptied;
  // `sig` with the parameters of the chosen levels replaced by their types.
  auto chosen_sig = [&]() {
    model::FunctionSignature out = sig;
    for (size_t j = 0; j < chosen.size(); ++j) {
      for (auto& input : out.inputs) Substitute(&input.second, levels[j]->param, crossed[j][chosen[j]]->for_type);
      if (out.output) Substitute(&*out.output, levels[j]->param, crossed[j][chosen[j]]->for_type);
    }
    return out;
  };
  // generics[k] with the same replacements (an erased parameter's bounds
  // name the closed ones), and level k's parameter as `Self` when `self_k`.
  auto chosen_generics = [&](size_t k, bool self_k) {
    model::Generics out = generics[k];
    for (size_t j = 0; j < chosen.size(); ++j) SubstituteBounds(&out, levels[j]->param, crossed[j][chosen[j]]->for_type);
    if (self_k) SubstituteBounds(&out, levels[k]->param, SelfGeneric());
    return out;
  };
  // Level k, reached through the hidden method `name` of hosts[k].
  std::function<bool(size_t, const std::string&)> level = [&](size_t k, const std::string& name) {
    model::FunctionSignature hidden = chosen_sig();
    for (auto& input : hidden.inputs) Substitute(&input.second, levels[k]->param, SelfGeneric());
    if (hidden.output) Substitute(&*hidden.output, levels[k]->param, SelfGeneric());
    model::Generics hidden_generics = chosen_generics(k, true);
    std::string text = HiddenMethod(PublicStdPaths(fmt::format("fn {}{}{}{}", name, render_.Params(hidden_generics),
                                                               render_.Signature(hidden),
                                                               WhereSized(render_.Where(hidden_generics)))),
                                    c.path, *hosts[k], levels[k]->types);
    if (k == 0) {
      cs.hidden_methods.push_back(text);
    } else {
      cs.more_hidden_methods.emplace_back(hosts[k]->path, text);
    }
    for (size_t i = 0; i < levels[k]->types.size(); ++i) {
      chosen.push_back(i);
      const CrossedImpl& cr = *crossed[k][i];
      model::FunctionSignature here = chosen_sig();
      model::Generics here_generics = chosen_generics(k, false);
      std::vector<std::string> type_names, tokens, shim_types;
      for (size_t j = 0; j < chosen.size(); ++j) {
        type_names.push_back(levels[j]->types[chosen[j]]);
        tokens.push_back(Token(type_names.back()));
        shim_types.push_back(shim_render_.Type(crossed[j][chosen[j]]->for_type));
      }
      if (k + 1 < levels.size()) {
        // Passes the call on to the next parameter's trait.
        std::string next = HiddenName(*hosts[k + 1], fmt::format("{}__{}", base, fmt::join(tokens, "__")));
        cs.impl_methods.push_back(
            {cr.header, cr.items,
             fmt::format("{} {{\n    <{} as crate{}>::{}({})\n}}\n",
                         PublicStdPaths(fmt::format("fn {}{}{}{}", name, render_.Params(here_generics),
                                                    render_.Signature(here), render_.Where(here_generics))),
                         levels[k + 1]->param, hosts[k + 1]->path.substr(crate_.name.size()), next,
                         fmt::join(passed, ", "))});
        emptied.emplace_back(cr.header, cr.items);
        if (!level(k + 1, next)) return false;
        chosen.pop_back();
        continue;
      }
      Item inst = *c.item;
      auto& fi = std::get<model::Function>(inst.inner);
      fi.sig = here;
      fi.generics = here_generics;
      FunctionPlan fp;
      bool converted = false;
      std::string ipath = fmt::format("{}::<{}>", c.path, fmt::join(type_names, ", "));
      if (!LowerFunction(inst, -1, ipath, &fp, &why, &converted)) {
        refuse(fmt::format("for {}: {}", fmt::join(type_names, ", "), why));
        return false;
      }
      fp.facade_signature = PublicStdPaths(fmt::format("fn {}{}{}{}", name, render_.Params(here_generics),
                                                       render_.Signature(here), render_.Where(here_generics)));
      fp.attrs.clear();
      // The types' paths without their lifetimes, which the call infers.
      // An erased parameter is inferred from its proxy (`_`); an `impl
      // Trait` argument is not named at all.
      std::vector<std::string> turbofish;
      for (const model::GenericParamDef& p : f.generics.params) {
        if (p.kind != model::GenericParamDef::Kind::kType || p.is_synthetic) continue;
        auto at = std::find_if(levels.begin(), levels.end(), [&](const ClosedSetDecision* l) { return l->param == p.name; });
        turbofish.push_back(at == levels.end() ? "_" : shim_types[at - levels.begin()]);
      }
      fp.shim_callee =
          fmt::format("target_crate{}::<{}>", c.path.substr(crate_.name.size()), fmt::join(turbofish, ", "));
      fp.symbol = fmt::format("rdylib_v{}_{}__{}", kAbiVersion, Mangle(c.path), fmt::join(tokens, "__"));
      fp.name = name;
      fp.impl_header = cr.header;
      fp.impl_items = cr.items;
      fp.module = crate_.name;
      emptied.emplace_back(cr.header, cr.items);
      instances.push_back(std::move(fp));
      chosen.pop_back();
    }
    return true;
  };
  if (!level(0, method)) return;
  for (const auto& e : emptied) std::erase(plan_.empty_impls, e);
  cs.path = c.path;
  cs.owner = c.owner;
  cs.module = Parent(c.path);
  cs.trait_path = hosts[0]->path;
  cs.text = d.Text();
  if (!erased_names.empty()) {
    // Part of the load check: a library that instantiates them otherwise is refused by name.
    cs.text += fmt::format("; {} erased in each instance, over a proxy that calls back (size_of, TypeId and "
                           "type_name of these see the proxy)",
                           fmt::join(erased_names, ", "));
  }
  // The generic itself, as the library declares it.
  model::Type self_type;
  if (c.owner >= 0) {
    self_type.kind = model::Type::Kind::kResolvedPath;
    self_type.path.id = plan_.types[c.owner].id;
    render_.set_self_type(&self_type);
  }
  std::string attrs;
  if (c.item->deprecation) attrs += "#[deprecated]\n";
  if (c.item->attrs.must_use) attrs += "#[must_use]\n";
  std::string signature = fmt::format("pub {}fn {}{}{}{}", f.header.is_unsafe ? "unsafe " : "", c.item->name,
                                      render_.Params(f.generics),
                                      render_.Signature(NamedParams(f.sig)), render_.Where(f.generics));
  render_.set_self_type(nullptr);
  cs.functions.emplace_back(attrs + PublicStdPaths(signature),
                            fmt::format("<{} as crate{}>::{}({})", d.param, hosts[0]->path.substr(crate_.name.size()),
                                        method, fmt::join(args, ", ")));
  for (FunctionPlan& fp : instances) plan_.functions.push_back(std::move(fp));
  std::string text = cs.text;
  plan_.closed_sets.push_back(std::move(cs));
  Status(kind, c.path, "instantiated", text);
}

void Planner::PlanClosedImpl(const ClosedCandidate& c) {
  const auto& impl = c.item->As<model::Impl>();
  const TraitPlan& tp = *c.trait;
  auto refuse = [&](const std::string& reason) {
    Status("impl", c.path, "unsupported", "generic impl, not instantiated: " + reason);
  };
  if (impl.for_type.kind != model::Type::Kind::kGeneric) {
    return refuse("only blanket impls (impl<T: Bound> Trait for T) over a closed set are instantiated");
  }
  std::vector<ClosedParam> params;
  std::string why;
  if (!ClosedParams(impl.generics, &params, &why)) return refuse(why);
  ClosedSetDecision d = DecideClosedSet(params);
  if (!d.ok()) return refuse(d.reason);
  if (!d.more.empty()) return refuse("a blanket impl with several closed parameters is not instantiated yet");
  if (d.param != impl.for_type.name) return refuse("its closed parameter is not its self type");
  const auto& tr = crate_.Find(tp.id)->As<model::Trait>();
  if (!tp.assoc_items.empty() || !tr.generics.params.empty()) {
    return refuse("its trait has parameters or associated items, which the dispatching impl does not forward yet");
  }
  const TraitPlan* host = HostTrait(impl.generics, d.param);
  if (host == nullptr) return refuse("its bound's trait is not declared by the facade");
  std::string host_facade = "crate" + host->path.substr(crate_.name.size());
  std::string prefix = HiddenName(*host, "__rdylib_" + Token(Inner(tp.path, crate_.name))) + "__";
  std::vector<FunctionPlan> instances;
  for (const std::string& type_name : d.types) {
    const CrossedImpl* crossed = FindCrossed(host->id, type_name);
    if (crossed == nullptr) return refuse("the facade's impl of " + host->path + " for " + type_name + " is missing");
    Item synth = *c.item;
    auto& si = std::get<model::Impl>(synth.inner);
    si.for_type = crossed->for_type;
    si.generics = model::Generics();
    si.blanket_impl = model::Box<model::Type>();
    std::vector<FunctionPlan> fns;
    std::string header, items;
    std::map<std::string, model::Type> params = {{d.param, crossed->for_type}};
    impl_params_ = &params;
    bool planned = PlanLibraryTraitImpl(tp, synth, &fns, &header, &items, &why);
    impl_params_ = nullptr;
    if (!planned) return refuse("for " + type_name + ": " + why);
    for (FunctionPlan& fp : fns) {
      std::string name = Last(fp.path);
      std::string from = "fn " + name;
      if (!fp.facade_signature.starts_with(from)) return refuse("the signature of " + name + " is not as expected");
      fp.facade_signature = "fn " + prefix + name + fp.facade_signature.substr(from.size());
      fp.name = prefix + name;
      AddToImpl(*crossed, &fp);
      instances.push_back(std::move(fp));
    }
  }
  ClosedSetPlan cs;
  cs.path = c.path;
  cs.trait_path = host->path;
  cs.text = d.Text();
  cs.impl_header = PublicStdPaths(fmt::format("{}impl{} {} for {}{}", impl.is_unsafe || tr.is_unsafe ? "unsafe " : "",
                                              render_.Params(impl.generics), render_.Type(TraitAsType(*impl.trait)),
                                              render_.Type(impl.for_type), render_.Where(impl.generics)));
  for (const TraitMethodPlan& mp : tp.methods) {
    if (!mp.declared) continue;
    const model::Function* decl = nullptr;
    for (ItemId m : tr.items) {
      const Item* mi = crate_.Find(m);
      if (mi != nullptr && mi->kind == ItemKind::kFunction && mi->name == mp.name) decl = &mi->As<model::Function>();
    }
    if (decl == nullptr) return refuse(mp.name + " is missing from rustdoc's output");
    model::FunctionSignature sig = NamedParams(decl->sig);
    std::vector<std::string> args;
    for (const auto& input : sig.inputs) args.push_back(input.first);
    std::string rest = render_.Params(decl->generics) + render_.Signature(sig);
    cs.functions.emplace_back(
        PublicStdPaths(fmt::format("fn {}{}{}", mp.name, rest, render_.Where(decl->generics))),
        fmt::format("<{} as {}>::{}{}({})", d.param, host_facade, prefix, mp.name, fmt::join(args, ", ")));
    cs.hidden_methods.push_back(HiddenMethod(
        PublicStdPaths(fmt::format("fn {}{}{}{}", prefix, mp.name, rest, WhereSized(render_.Where(decl->generics)))),
        c.path + "::" + mp.name, *host, d.types));
  }
  for (FunctionPlan& fp : instances) plan_.functions.push_back(std::move(fp));
  plan_.closed_sets.push_back(std::move(cs));
  Status("impl", c.path, "instantiated", d.Text());
}

bool Planner::SealingTrait(const model::GenericBound& b) const {
  if (b.kind != model::GenericBound::Kind::kTrait || b.trait.args || !Canonical(b.trait.id).empty()) return false;
  const Item* item = crate_.Find(b.trait.id);
  if (item == nullptr || item->kind != ItemKind::kTrait || item->crate_id != 0) return false;
  const auto& tr = item->As<model::Trait>();
  return tr.items.empty() && tr.generics.empty() && tr.bounds.empty() && !tr.is_auto && !tr.is_unsafe;
}

std::vector<model::GenericBound> Planner::SealedBounds(const std::vector<model::GenericBound>& bounds) {
  for (const model::GenericBound& b : bounds) {
    if (!SealingTrait(b)) continue;
    const model::ItemSummary* s = crate_.FindPath(b.trait.id);
    std::string name = Mangle(Inner(s != nullptr ? s->Joined() : crate_.name + "::" + b.trait.name, crate_.name));
    facade_paths_[b.trait.id] = "crate::rdylib_sealed::" + name;
    if (std::find(plan_.sealing_traits.begin(), plan_.sealing_traits.end(), name) == plan_.sealing_traits.end()) {
      plan_.sealing_traits.push_back(name);
      std::sort(plan_.sealing_traits.begin(), plan_.sealing_traits.end());
    }
  }
  return bounds;
}

void Planner::PlanSealingImpls() {
  for (const TraitPlan& tp : plan_.traits) {
    if (!tp.supported || !tp.sealed) continue;
    const auto& tr = crate_.Find(tp.id)->As<model::Trait>();
    auto it = crossed_impls_.find(tp.id);
    if (it == crossed_impls_.end()) continue;
    for (const model::GenericBound& b : tr.bounds) {
      if (!SealingTrait(b)) continue;
      for (const CrossedImpl& c : it->second) {
        plan_.empty_impls.emplace_back(
            fmt::format("impl {} for {}", render_.Path(b.trait), render_.Type(c.for_type)), "");
      }
    }
  }
}

void Planner::AddClosedSetChecks() {
  if (plan_.closed_sets.empty()) return;
  // A library built with another set of impls is refused by the item's name.
  for (const ClosedSetPlan& cs : plan_.closed_sets) plan_.checks.push_back({cs.path, "closed set " + cs.text});
  std::stable_sort(plan_.checks.begin(), plan_.checks.end(),
                   [](const ShapeCheck& a, const ShapeCheck& b) { return a.path < b.path; });
}

}  // namespace rdylib::plan::internal
