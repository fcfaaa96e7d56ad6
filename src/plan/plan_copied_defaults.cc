// The library's default bodies of provided methods of traits without a
// vtable, copied into the facade's trait declaration (docs/ABI.md, "Copied
// default bodies").
#include <fmt/format.h>

#include "plan/planner.h"
#include "plan/rust_source.h"

namespace rdylib::plan {
namespace {

const char* const kDeclared = kProvidedDeclared;

// Rewrites the report's reason of trait method `path`: its leading
// kDeclared (a candidate's, which nothing has decided on yet) becomes
// `provided`.
void SetProvidedReason(Plan* plan, const std::string& path, const std::string& provided) {
  for (ItemStatus& st : plan->statuses) {
    if (st.kind != "trait_method" || st.path != path || !st.reason.starts_with(kDeclared)) continue;
    st.reason = provided + st.reason.substr(std::string(kDeclared).size());
  }
}

}  // namespace

std::string internal::BodyFrom(const model::Span& span) {
  std::string file = span.file;
  size_t src = file.rfind("/src/");
  if (src != std::string::npos) {
    file = file.substr(src + 1);
  } else if (size_t slash = file.rfind('/'); slash != std::string::npos) {
    file = file.substr(slash + 1);
  }
  return fmt::format("{}:{}", file, span.line);
}

std::string CopiedDefaultReason(const TraitMethodPlan& m) {
  return fmt::format("provided: the facade's default body is the library's, copied from {}: a consumer's impl "
                     "that does not override it runs it, compiled for its own type",
                     m.body_from);
}

void DropCopiedBody(Plan* plan, const std::string& trait_path, TraitMethodPlan* m, const std::string& why) {
  m->copied_body.clear();
  m->body_from.clear();
  SetProvidedReason(plan, trait_path + "::" + m->name,
                    fmt::format("provided: declared without its default body (not copied: {}), so a consumer's impl "
                                "must define it",
                                why));
}

void ConfirmCopiedBody(Plan* plan, const std::string& trait_path, const TraitMethodPlan& m) {
  SetProvidedReason(plan, trait_path + "::" + m.name, CopiedDefaultReason(m));
}

void DropCopiedFunction(Plan* plan, CopiedFunctionPlan* f, const std::string& why) {
  for (ItemStatus& st : plan->statuses) {
    if (st.kind != "function") continue;
    if (st.path == f->path) {
      st.status = "unsupported";
      st.reason = fmt::format("{}; not copied: {}", f->fallback, why);
    } else if (st.reason == "as " + f->path) {
      // A re-export of it: the facade has nothing to re-export.
      st.status = "unsupported";
      st.reason = fmt::format("as {}: not copied: {}", f->path, why);
    }
  }
  // Its re-exports go too.
  std::erase_if(plan->reexports, [&](const auto& r) { return r.second == f->path; });
  f->body.clear();
}

void ConfirmCopiedFunction(Plan* plan, const CopiedFunctionPlan& f) {
  for (ItemStatus& st : plan->statuses) {
    if (st.kind != "function" || st.path != f.path) continue;
    st.reason = fmt::format("generic: the library's body, copied from {}, compiled in the consumer for its own "
                            "types (the same MIR as the library's)",
                            f.body_from);
  }
}

namespace internal {

void Planner::PlanCopiedDefaults() {
  for (TraitPlan& tp : plan_.traits) {
    // With a vtable the facade's default runs the library's own, on a
    // proxy; a sealed trait has no consumer impls to give a default to.
    if (!tp.supported || tp.vtable >= 0 || tp.sealed) continue;
    const Item* trait_item = crate_.Find(tp.id);
    if (trait_item == nullptr) continue;
    for (TraitMethodPlan& mp : tp.methods) {
      if (!mp.declared || !mp.provided) continue;
      const Item* method = nullptr;
      for (ItemId m : trait_item->As<model::Trait>().items) {
        const Item* mi = crate_.Find(m);
        if (mi != nullptr && mi->kind == ItemKind::kFunction && mi->name == mp.name) method = mi;
      }
      std::string why = method == nullptr ? "rustdoc lists no such method" : CopiedBody(*method, &mp);
      if (!why.empty()) DropCopiedBody(&plan_, tp.path, &mp, why);
    }
  }
}

bool Planner::CopiedFunction(const Item& item, const std::string& path, const std::string& fallback) {
  const model::Function& f = item.As<model::Function>();
  if (f.header.is_async || f.sig.is_c_variadic || !item.span) return false;
  std::string source = SourceText(item);
  std::string why;
  std::optional<FnSource> fn = SplitFn(source, &why);
  if (!fn || fn->name != item.name || fn->params.size() != f.sig.inputs.size()) return false;
  for (size_t i = 0; i < fn->params.size(); ++i) {
    if (fn->params[i] != f.sig.inputs[i].first || ParamName(f.sig, i) != f.sig.inputs[i].first) return false;
  }
  std::optional<std::vector<SourceToken>> tokens = Tokenize(fn->body, &why);
  if (!tokens || !FirstPathSegmentAmong(*tokens, {"rt", "api", "rdylib*"}).empty()) return false;
  CopiedFunctionPlan cf;
  cf.path = path;
  cf.module = Parent(path);
  if (item.deprecation) cf.attrs += "#[deprecated]\n";
  if (item.attrs.must_use) cf.attrs += "#[must_use]\n";
  cf.declaration = fmt::format("pub {}{}fn {}{}{}{}", f.header.is_const ? "const " : "",
                               f.header.is_unsafe ? "unsafe " : "", item.name, render_.Params(f.generics),
                               render_.Signature(NamedParams(f.sig)), render_.Where(f.generics));
  cf.body = fn->body;
  cf.body_from = BodyFrom(*item.span);
  cf.fallback = fallback;
  plan_.copied_functions.push_back(std::move(cf));
  Status("function", path, "exported",
         fallback + "; the library's body is copied if the facade compiles it to the same MIR");
  return true;
}

std::string Planner::CopiedBody(const Item& method, TraitMethodPlan* mp) {
  if (!method.span) return "rustdoc gives no source span";
  std::string source = SourceText(method);
  if (source.empty()) return fmt::format("its source {} cannot be read", method.span->file);
  std::string why;
  std::optional<FnSource> fn = SplitFn(source, &why);
  if (!fn) return why;
  if (fn->name != method.name) return "its source is not a function as written (a macro writes it)";
  const model::Function& f = method.As<model::Function>();
  if (fn->params.size() != f.sig.inputs.size()) {
    return "its source's parameters are not rustdoc's (a macro or cfg writes them)";
  }
  // The facade declares the parameters by name; a pattern would be lost.
  for (size_t i = 0; i < fn->params.size(); ++i) {
    const std::string& name = f.sig.inputs[i].first;
    if (i == 0 && name == "self") continue;
    if (fn->params[i] != name || ParamName(f.sig, i) != name) {
      return fmt::format("its parameter `{}` is a pattern (or a name) the facade's declaration does not keep",
                         fn->params[i]);
    }
  }
  std::optional<std::vector<SourceToken>> tokens = Tokenize(fn->body, &why);
  if (!tokens) return why;
  // The facade's own names in the trait's module would silently stand for
  // the library's private items of the same name.
  std::string own = FirstPathSegmentAmong(*tokens, {"rt", "api", "rdylib*"});
  if (own == "$") return "its source is a macro's (it has a `$` metavariable)";
  if (!own.empty()) return fmt::format("it names `{}::`, which the facade's module declares for itself", own);
  mp->copied_body = fn->body;
  mp->body_from = BodyFrom(*method.span);
  return "";
}

}  // namespace internal
}  // namespace rdylib::plan
