// Functions and methods: each lowered to a thunk of boundary values.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <set>

#include "plan/planner.h"
#include "plan/std_self.h"
#include "util/files.h"

namespace rdylib::plan::internal {

void Planner::PlanFunctions() {
  for (const api::ApiEntry& e : api_.entries) {
    if (e.kind != "function" && e.kind != "method") continue;
    const Item* item = crate_.Find(e.id);
    if (item == nullptr) continue;
    int owner = -1;
    if (e.kind == "method") {
      // Methods once, under the canonical path of their type.
      std::string type_path = Parent(e.path);
      auto t = std::find_if(plan_.types.begin(), plan_.types.end(),
                            [&](const TypePlan& tp) { return tp.path == type_path; });
      if (t == plan_.types.end() || !t->supported) {
        if (IsCanonicalTypePath(type_path)) {
          Status("method", e.path, "unsupported", "its type does not cross yet");
        }
        continue;
      }
      owner = static_cast<int>(t - plan_.types.begin());
    } else if (Canonical(e.id) != e.path) {
      continue;  // a re-export: PlanPaths lists it
    }
    PlanFunction(*item, e, owner);
  }
}

void Planner::PlanFunction(const Item& item, const api::ApiEntry& e, int owner) {
  std::string kind = owner >= 0 ? "method" : "function";
  FunctionPlan fp;
  std::string why;
  bool converted = false;
  if (!LowerFunction(item, owner, e.path, &fp, &why, &converted)) {
    if (why.starts_with("generic, not erased")) {
      // PlanClosedSets instantiates it per type, or reports both reasons.
      closed_candidates_.push_back({&item, e.path, owner, why, nullptr});
      return;
    }
    Status(kind, e.path, "unsupported", why);
    return;
  }
  if (owner >= 0 && fp.receiver != FunctionPlan::Receiver::kNone &&
      plan_.types[owner].shape == TypePlan::Shape::kDataEnum &&
      plan_.types[owner].data_variants.empty()) {
    // Its thunk would be dead code, which the compiler warns about.
    Status(kind, e.path, "unsupported",
           "an enum without variants has no value to call this method on");
    return;
  }
  const auto& f = item.As<model::Function>();
  std::string reason = f.header.is_const ? "not const in the facade (it calls the library)" : "";
  if (owner >= 0 && plan_.types[owner].shape == TypePlan::Shape::kDataEnum &&
      fp.receiver != FunctionPlan::Receiver::kNone) {
    reason += std::string(reason.empty() ? "" : "; ") +
              "self crosses as the enum's wire form and is rebuilt on the other side";
    converted = true;
  }
  if (std::find(plan_.shared_allocations.begin(), plan_.shared_allocations.end(), e.path) !=
      plan_.shared_allocations.end()) {
    // docs/ABI.md, "std generic types".
    reason += std::string(reason.empty() ? "" : "; ") +
              "an Rc or Arc crosses as its one allocation (one count on both sides; needs one allocator)";
  }
  std::function<bool(const AbiValue&)> rebuilt = [&](const AbiValue& v) {
    if (v.kind == AbiValue::Kind::kCollection) return true;
    return std::any_of(v.children.begin(), v.children.end(), rebuilt);
  };
  if (rebuilt(fp.ret) ||
      std::any_of(fp.params.begin(), fp.params.end(), [&](const ParamPlan& p) { return rebuilt(p.value); })) {
    reason += std::string(reason.empty() ? "" : "; ") +
              "std's collections are rebuilt on the other side (O(n); a HashMap's or HashSet's iteration order is "
              "the receiver's, and a & parameter lends the library a copy)";
  }
  bool only_returned = std::all_of(fp.erased.begin(), fp.erased.end(), [](const ErasedParam& ep) {
    return ep.mode == ErasedMode::kReturned || ep.mode == ErasedMode::kReturnedBoxed;
  });
  if (!fp.erased.empty() && only_returned) {
    reason += std::string(reason.empty() ? "" : "; ") +
              "returns a closure: a handle whose calls and drop go to the library";
    converted = true;
  }
  if (!fp.erased.empty() && !only_returned) {
    // The report marks every erased item, with what erasure changes.
    std::vector<std::string> what;
    for (const ErasedParam& ep : fp.erased) what.push_back(fmt::format("{} ({})", ep.name, ep.Text()));
    Status(kind, e.path, "erased",
           fmt::format("{}{}: the library's generic runs once, over a proxy that calls back (size_of, "
                       "TypeId and type_name of these see the proxy)",
                       reason.empty() ? "" : reason + "; ", fmt::join(what, ", ")));
    plan_.functions.push_back(std::move(fp));
    return;
  }
  Status(kind, e.path, converted ? "converted" : "exported",
         converted ? (reason.empty() ? "" : reason + "; ") + "values are converted at the boundary"
                   : reason);
  plan_.functions.push_back(std::move(fp));
}

bool Planner::LowerFunction(const Item& item, int owner, const std::string& path, FunctionPlan* out,
                            std::string* why, bool* converted,
                            const std::map<std::string, model::Type>* assoc) {
  const auto& f = item.As<model::Function>();
  // Type parameters, `impl Trait` and closure arguments cross by erasure
  // (plan/erasure.h), or the function is reported with the reason.
  Erasure erasure(f, *this, Mangle(path));
  erasure.set_renderers({[this](const model::GenericBound& b) { return render_.Bounds({b}); },
                         [this](const model::GenericBound& b) {
                           // Public paths for std's items (core::ops::Fn), as the facade.
                           shim_render_.set_full_std_paths(true);
                           std::string text = shim_render_.Bounds({b});
                           shim_render_.set_full_std_paths(false);
                           return text;
                         }});
  bool erases = !OnlyLifetimes(f.generics);
  for (const auto& input : f.sig.inputs) {
    erases |= input.second.kind == model::Type::Kind::kImplTrait || MentionsDynFn(input.second);
  }
  if (f.sig.output) {
    erases |= f.sig.output->kind == model::Type::Kind::kImplTrait || MentionsDynFn(*f.sig.output);
  }
  if (erases && !erasure.Run(why)) {
    *why = "generic, not erased: " + *why;
    return false;
  }
  if (erases && !erasure.params().empty() && !OnlyLifetimes(f.generics)) {
    std::string body_reason = BodyIdentityUse(SourceText(item));
    if (!body_reason.empty()) {
      *why = "generic, not erased: " + body_reason;
      return false;
    }
  }
  if (f.header.is_async) {
    *why = "async functions do not cross yet";
    return false;
  }
  if (erases && f.header.is_unsafe) {
    *why = "unsafe generic functions are not erased yet";
    return false;
  }
  if (f.sig.is_c_variadic) {
    *why = "C-variadic functions (`...`) do not cross";
    return false;
  }
  FunctionPlan fp;
  fp.path = path;
  fp.owner = owner;
  fp.module = Parent(path);
  fp.name = item.name;
  model::Type self_type;
  if (owner >= 0) {
    self_type.kind = model::Type::Kind::kResolvedPath;
    self_type.path.id = plan_.types[owner].id;
    if (!plan_.types[owner].lifetimes.empty()) {
      // `Self` in `impl<'a> T<'a>` is `T<'a>`, never `T` with an elided lifetime.
      model::GenericArgs args;
      for (const std::string& l : plan_.types[owner].lifetimes) {
        model::GenericArg a;
        a.kind = model::GenericArg::Kind::kLifetime;
        a.lifetime = l;
        args.args.push_back(std::move(a));
      }
      self_type.path.args = std::move(args);
    }
    render_.set_self_type(&self_type);
  }
  auto fail = [&](const std::string& reason) {
    render_.set_self_type(nullptr);
    *why = reason;
    return false;
  };
  bool data_enum = owner >= 0 && plan_.types[owner].shape == TypePlan::Shape::kDataEnum;
  // A parameter written as `_` or a pattern has no name the thunks can use:
  // it gets one, in the facade's signature too.
  model::FunctionSignature named = NamedParams(f.sig);
  for (size_t i = 0; i < named.inputs.size(); ++i) {
    const auto& [name, type] = named.inputs[i];
    if (i == 0 && name == "self" && owner >= 0) {
      if (type.kind == model::Type::Kind::kGeneric) {
        fp.receiver = FunctionPlan::Receiver::kValue;
      } else if (type.kind == model::Type::Kind::kBorrowedRef &&
                 type.elems[0].kind == model::Type::Kind::kGeneric) {
        fp.receiver = type.is_mutable ? FunctionPlan::Receiver::kRefMut
                                      : FunctionPlan::Receiver::kRef;
      } else {
        return fail("this kind of self does not cross yet");
      }
      if (data_enum && fp.receiver == FunctionPlan::Receiver::kRef && !plan_.types[owner].freeze) {
        // The library gets a rebuilt copy: what it changed through a Cell
        // or Mutex inside would be lost.
        return fail("&self of an enum with data that has interior mutability does not cross yet");
      }
      continue;
    }
    model::Type resolved = type;
    ResolveAssoc(&resolved, assoc);
    ResolveSelf(&resolved, owner);
    AbiValue v;
    std::string reason;
    if (erases && erasure.InputValue(i, &v)) {
      fp.params.push_back({name, v});
      continue;
    }
    if (!Classify(resolved, false, *this, &v, &reason) || v.kind == AbiValue::Kind::kUnit) {
      return fail(fmt::format("parameter {}: {}", name, reason));
    }
    *converted |= v.IsConverted();
    bool has_self = owner >= 0 && !f.sig.inputs.empty() && f.sig.inputs[0].first == "self";
    if (v.kind == AbiValue::Kind::kDynRef && !v.static_borrow) {
      std::string lent = LentDynRef(type, f, has_self);
      if (!lent.empty()) return fail(fmt::format("parameter {}: {}", name, lent));
    } else if (v.LendsProxies()) {
      std::string lent = LentInside(type, f, has_self);
      if (!lent.empty()) return fail(fmt::format("parameter {}: {}", name, lent));
    }
    fp.params.push_back({name, v});
  }
  if (f.sig.output) {
    model::Type resolved = *f.sig.output;
    ResolveAssoc(&resolved, assoc);
    ResolveSelf(&resolved, owner);
    std::string reason;
    bool closure = erases && erasure.ReturnValue(&fp.ret, &reason);
    if (!reason.empty()) return fail("returns a closure: " + reason);
    if (!closure && !Classify(resolved, true, *this, &fp.ret, &reason)) return fail("return type: " + reason);
    *converted |= fp.ret.IsConverted();
    if (data_enum && fp.receiver != FunctionPlan::Receiver::kNone && fp.receiver != FunctionPlan::Receiver::kValue &&
        fp.ret.Borrows()) {
      return fail("returns a borrow of an enum with data, which is rebuilt for each call");
    }
    bool copied_buffer = std::any_of(fp.params.begin(), fp.params.end(), [](const ParamPlan& p) {
      return p.value.kind == AbiValue::Kind::kBufferMut;
    });
    // A Cow that may borrow from a copy the call makes (a &mut String
    // parameter, an erased proxy) is handed back owned (plan/std_self.h).
    std::string copied_why;
    if ((copied_buffer || (erases && erasure.copy_return())) && !SettleStdSelfReturn(&fp.ret, true, &copied_why)) {
      return fail("returns a borrow while a &mut String or &mut Vec parameter crosses as a copy");
    }
  }
  // An Rc or Arc shares its allocation: the measured fact of its counts'
  // place covers values aligned to 8 at most (no padding before the value).
  std::string shared_why;
  std::function<void(const AbiValue&)> shared = [&](const AbiValue& v) {
    if (v.kind == AbiValue::Kind::kShared && v.children[0].type_id != model::kNoId) {
      auto it = pinned_.find(v.children[0].type_id);
      const ForeignType* foreign = Foreign(v.children[0].type_id);
      uint64_t align = it != pinned_.end() ? plan_.types[it->second].align : foreign ? foreign->align : 0;
      if (align == 0) {
        shared_why = fmt::format("{} of a type whose alignment is not measured does not cross yet", v.container);
      } else if (align > 8) {
        shared_why = fmt::format("{} of a type aligned to {} does not cross yet (the measured fact {} covers values "
                                 "aligned to 8 at most)",
                                 v.container, align, v.std_fact);
      }
    }
    for (const AbiValue& c : v.children) shared(c);
  };
  for (const ParamPlan& p : fp.params) shared(p.value);
  shared(fp.ret);
  if (!shared_why.empty()) return fail(shared_why);
  std::function<void(const AbiValue&)> facts = [&](const AbiValue& v) {
    if (!v.std_fact.empty()) plan_.std_facts.emplace_back(v.std_fact, path);
    if (v.kind == AbiValue::Kind::kShared) plan_.shared_allocations.push_back(path);
    for (const AbiValue& c : v.children) facts(c);
  };
  for (const ParamPlan& p : fp.params) facts(p.value);
  facts(fp.ret);
  auto sig = named;  // with `Self::Target` and the like written out
  for (auto& input : sig.inputs) ResolveAssoc(&input.second, assoc);
  for (size_t i = 0; i < sig.inputs.size(); ++i) {
    if (sig.inputs[i].first != "self") sig.inputs[i].first = ParamName(f.sig, i);
  }
  if (sig.output) ResolveAssoc(&*sig.output, assoc);
  if (erases) fp.erased = erasure.params();
  // An unsafe function stays unsafe: its caller keeps the library's
  // obligations, and the facade passes its arguments on as they are.
  fp.facade_signature = fmt::format("pub {}fn {}{}{}{}", f.header.is_unsafe ? "unsafe " : "", item.name,
                                    render_.Params(f.generics),
                                    render_.Signature(sig), render_.Where(f.generics));
  render_.set_self_type(nullptr);
  if (item.deprecation) fp.attrs += "#[deprecated]\n";
  if (item.attrs.must_use) fp.attrs += "#[must_use]\n";
  // AssignFingerprints appends the hash of the whole lowered signature.
  fp.symbol = fmt::format("rdylib_v{}_{}", kAbiVersion, Mangle(path));
  *out = std::move(fp);
  return true;
}

std::string ParamName(const model::FunctionSignature& sig, size_t i) {
  const std::string& n = sig.inputs[i].first;
  bool ident = !n.empty() && n != "_" && std::all_of(n.begin(), n.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
  // The thunks' return slot would clash with a parameter of its name
  // (libc's `W_EXITCODE(ret, sig)`).
  static const std::set<std::string> kThunkNames = {"ret"};
  return ident && !kThunkNames.count(n) ? n : fmt::format("arg{}", i);
}

model::FunctionSignature NamedParams(model::FunctionSignature sig) {
  for (size_t i = 0; i < sig.inputs.size(); ++i) sig.inputs[i].first = ParamName(sig, i);
  return sig;
}

bool Planner::MentionsDynFn(const model::Type& t) {
  if (t.kind == model::Type::Kind::kDynTrait) return true;
  for (const model::Type& e : t.elems) {
    if (MentionsDynFn(e)) return true;
  }
  if (t.path.args) {
    for (const model::GenericArg& a : t.path.args->args) {
      if (a.type && MentionsDynFn(*a.type)) return true;
    }
  }
  return false;
}

void Planner::ResolveAssoc(model::Type* t, const std::map<std::string, model::Type>* assoc) {
  if (assoc == nullptr) return;
  if (t->kind == model::Type::Kind::kQualifiedPath && !t->elems.empty() &&
      t->elems[0].kind == model::Type::Kind::kGeneric && t->elems[0].name == "Self") {
    auto it = assoc->find(t->name);
    if (it != assoc->end()) {
      *t = it->second;
      return;
    }
  }
  for (model::Type& e : t->elems) ResolveAssoc(&e, assoc);
  if (t->path.args) {
    for (model::GenericArg& a : t->path.args->args) {
      if (a.type) ResolveAssoc(&*a.type, assoc);
    }
  }
}

void Planner::ResolveSelf(model::Type* t, int owner) {
  if (owner < 0) return;
  if (t->kind == model::Type::Kind::kGeneric && t->name == "Self") {
    t->kind = model::Type::Kind::kResolvedPath;
    t->path.id = plan_.types[owner].id;
    t->name.clear();
  }
  for (model::Type& e : t->elems) ResolveSelf(&e, owner);
  if (t->path.args) {
    for (model::GenericArg& a : t->path.args->args) {
      if (a.type) ResolveSelf(&*a.type, owner);
    }
  }
}

std::string Planner::ShimType(const model::Type& t, const AbiValue& v) {
  switch (v.kind) {
    case AbiValue::Kind::kValue:
    case AbiValue::Kind::kEnum: return v.shim_type;
    case AbiValue::Kind::kStr: return "&str";
    case AbiValue::Kind::kString: return "String";
    case AbiValue::Kind::kChar: return "char";
    case AbiValue::Kind::kScalar: return v.scalar;
    default: return shim_render_.Type(t);
  }
}

}  // namespace rdylib::plan::internal
