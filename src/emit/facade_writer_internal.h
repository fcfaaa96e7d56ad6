// The facade writer's class, shared by the files that emit its parts.
// Internal to the emit stage; facade_writer.h is its interface.
#pragma once

#include <fmt/format.h>

#include <functional>
#include <string>
#include <vector>

#include "plan/plan.h"
#include "util/printer.h"

namespace rdylib::emit::internal {

using plan::AbiValue;
using plan::FunctionPlan;
using plan::TypePlan;

/// "engine::math::Vec3" -> "crate::math::Vec3".
std::string FacadePath(const std::string& path, const std::string& crate);
/// "a::b::c" -> "c".
std::string Last(const std::string& path);

/// The facade's field-pointer table: one entry per thunk.
struct Thunk {
  std::string symbol;
  std::string item;  // the API item it serves, for messages
  std::string type;  // Rust fn-pointer type
};

/// Writes a facade's lib.rs from a plan: the module tree, the pinned types,
/// functions, trait impls, and the loader.
class FacadeWriter {
 public:
  FacadeWriter(const plan::Plan& plan, const std::string& lib_file)
      : plan_(plan), lib_file_(lib_file) {}

  std::string Write();

 private:
  void PrintModule(const std::string& module);

  void PrintType(const TypePlan& t);

  // The inherent impl (methods, associated consts) and the trait impls.
  void PrintMembers(const TypePlan& t);

  // Public fields at their offsets, opaque bytes in between.
  std::vector<std::string> Members(const TypePlan& t, bool tuple);

  void PrintConst(const plan::ConstPlan& c);

  void PrintStatic(const plan::StaticPlan& st);

  void PrintLayoutAsserts(const TypePlan& t);

  std::string Register(const std::string& symbol, const std::string& item, const std::string& type);

  /// A thunk's fn-pointer type: every thunk returns its panic, if any.
  static std::string ThunkType(const std::string& params) {
    return "unsafe extern \"C\" fn(" + params + ") -> *mut rt::WirePanic";
  }

  // Calls a thunk that returns a value of Rust type `wire` into `ret`.
  void PrintCall(const std::string& field, const std::string& args);
  std::string FreePanic() const { return Prefix() + "__free_panic"; }
  std::string FreeString() const { return Prefix() + "__free_string"; }
  std::string Prefix() const { return plan_.SymbolPrefix(); }

  void PrintFunction(const FunctionPlan& f, const std::string& owner);

  // FacadeFromWire names the library's free functions generically; point
  // them at this crate's symbols.
  std::string ReplaceApi(std::string s);

  void PrintTraits(const TypePlan& t);

  // A library trait's declaration (facade_trait_decl.cc).
  void PrintTraitDecl(const plan::TraitPlan& t);

  // Closed sets (facade_closed_sets.cc): a trait's hidden dispatch methods,
  // a module's dispatching functions (and, at the root, blanket impls), and
  // a type's dispatching methods.
  void PrintClosedSetMethods(const plan::TraitPlan& t, bool* first);
  void PrintClosedSets(const std::string& module);
  /// The module's `mod rdylib_copied` of copied generic types, and their
  /// re-exports (facade_copied_types.cc).
  void PrintCopiedTypes(const std::string& module);
  void PrintSealingTraits();  // the root's private sealing markers
  bool HasClosedSetMembers(const TypePlan& t) const;
  void PrintClosedSetMembers(const TypePlan& t);
  // Several closed parameters: the trait impls' methods that pass the call
  // on, their impls' headers (added to `headers` once), and those methods
  // of the impl `header` (its other items first when `*first`).
  void AddClosedSetImplHeaders(std::vector<std::string>* headers) const;
  void PrintClosedSetImplMethods(const std::string& header, bool* first);

  // Vtables (facade_vtables.cc): the rdylib_vt module, a provided method's
  // default body, and a call of a vtable thunk after `first` arguments.
  void PrintVtables();
  // The impls of a trait object's traits for the facade type `type` whose
  // thunk handle is the expression `h`: calls through the dyn thunks.
  void PrintHandleImpls(const plan::VtablePlan& vt, const std::string& type, const std::string& h);
  void PrintDefaultBody(const plan::TraitPlan& t, const plan::TraitMethodPlan& m);
  void PrintVtableCall(const std::string& symbol, const std::string& item,
                       std::vector<std::pair<std::string, std::string>> first, const plan::VtableEntry& e);

  // `Name<'a>`: the type with its lifetime arguments.
  static std::string SelfType(const TypePlan& t) { return t.name + t.lifetime_args; }

  void PrintTraitImpl(const std::string& trait, const TypePlan& t, const std::string& sig,
                      const std::function<void()>& body);

  // The thunk table, loaded and checked once, at first use.
  void PrintApi();

  const plan::Plan& plan_;
  std::string lib_file_;
  Printer p_;
  std::vector<Thunk> thunks_;
};

}  // namespace rdylib::emit::internal
