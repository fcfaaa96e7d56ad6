// Erasure: which type parameters of a generic function cross as a proxy
// over the consumer's value (closures included), and why the others cannot.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "model/item.h"
#include "plan/abi_value.h"

namespace rdylib::plan {

/// A std trait an erased parameter is used through. Each method-bearing one
/// is one or more entries of the parameter's table (docs/ABI.md, "Erasure").
enum class ErasedTrait {
  kFn,
  kFnMut,
  kFnOnce,
  kAsRefStr,    // AsRef<str>
  kAsRefBytes,  // AsRef<[u8]>
  kBorrowStr,   // Borrow<str>
  kIntoString,  // Into<String>
  kToString,
  kDisplay,     // formatted by the consumer with the library's flags
  kDebug,
  kPartialEq,   // PartialEq<Self>
  kPartialOrd,  // PartialOrd<Self>
  kIntoIterator,
  /// A trait of the crate that has a vtable (`R: Replacer`): the value
  /// crosses with that table and the shim's proxy is the vtable's
  /// (`ErasedParam::vtable`); no table of its own.
  kLibTrait,
  // Markers: no entry; they decide the proxy's own impls.
  kCopy,
  kSend,
  kSync,
  kStatic,      // T: 'static
  /// Clone beside a library trait that lacks it (`T: Walk + Clone`): the
  /// trait's table extended with the clone entry. Not erased otherwise.
  kClone,
};

/// How the consumer's value is handed over, for every occurrence of the
/// parameter in one signature.
enum class ErasedMode {
  kOwned,   // T by value: the library owns it; the proxy's drop calls back
  kCopied,  // T: Copy by value: lent for the call, proxies are Copy
  kRef,     // &T (or &dyn Fn..): lent for the call
  kRefMut,  // &mut T (or &mut dyn FnMut..)
  kBoxed,   // Box<dyn Fn.. + Send>: owned, rebuilt as a Box
  // The other way: a closure the library returns (`impl Fn..`,
  // `Box<dyn Fn..>`): a handle whose table the shim writes.
  kReturned,
  kReturnedBoxed,
  // A library value `T: Copy` handed to a consumer's generic trait method:
  // lent for the call (a pointer to the shim's own), the facade's proxies Copy.
  kReturnedCopied,
};

/// One erased type parameter (or `impl Trait` argument, or boxed closure).
struct ErasedParam {
  std::string id;    // names its table and helpers in both crates
  std::string name;  // the parameter as written, for messages
  ErasedMode mode = ErasedMode::kOwned;
  std::vector<ErasedTrait> traits;  // sorted, unique
  /// Fn traits: the closure's arguments, as values the library hands to the
  /// consumer (the forms of returns), and its return, which the consumer
  /// hands to the library (unit, scalar, char, String or a pinned value).
  /// For a returned closure the other way round: its arguments come from
  /// the consumer (scalars, char, &str, &T of a pinned type, String), its
  /// return is any form a return has.
  std::vector<AbiValue> fn_args;
  AbiValue fn_ret;
  /// The Fn bound as each side writes it, e.g. `Fn(&str) -> usize` and
  /// `Fn(&crate::Captures<'_>) -> bool`.
  std::string fn_facade;
  std::string fn_shim;
  /// A closure returning a type parameter bounded only by `AsRef<str>` or
  /// `AsRef<[u8]>` (`F: FnMut(&Captures) -> T, T: AsRef<str>`): the facade
  /// converts the consumer's return to an owned String (Vec<u8>) before it
  /// crosses, and the library's generic sees that type as the parameter.
  /// "str" or "bytes"; fn_facade then ends in `-> R` (declared by the
  /// facade's helpers with that bound) and fn_shim in `-> String`/`-> Vec<u8>`.
  std::string fn_ret_as_ref;
  /// IntoIterator: the item, a value (kStr, kScalar, kChar, kString) or
  /// another erased parameter (`item_param`, its index in the function's list).
  AbiValue item;
  int item_param = -1;
  /// kLibTrait: the trait's vtable (plan/vtable.h): its name, layout hash
  /// and the trait's path on each side.
  std::string vtable;
  std::string vtable_hash;
  std::string shim_trait;
  std::string facade_trait;
  /// kLibTrait: the std supertraits the vtable's proxy implements by calling
  /// back ("Debug", "Display", "Clone"): a bound naming one adds no entry.
  std::vector<std::string> vtable_std;
  /// `?Sized`: passed by reference to a value that may be unsized.
  bool maybe_unsized = false;

  bool Has(ErasedTrait t) const;
  bool IsClosure() const;
  /// Canonical text of everything both sides rely on, for the fingerprint.
  std::string Text() const;
};

/// What a type parameter's bounds let the shim do, for the report.
std::string ErasedTraitName(ErasedTrait t);

/// The reason a generic function's body (its source text) must not be
/// erased: it asks for a type's identity or layout (`size_of`, `align_of`,
/// `needs_drop`, `type_name`, `TypeId`, `transmute`), which would then be
/// the proxy's. "" when it does not. A conservative, textual check: a call
/// to another generic helper that does so is not seen (docs/ABI.md).
std::string BodyIdentityUse(const std::string& body);

/// Sees one function's generics and signature and decides, for each type
/// parameter, `impl Trait` argument and `Box<dyn Fn..>` argument, whether
/// it is erased. A parameter that would change meaning (used in a return,
/// inside a container whose layout matters, through a trait erasure does
/// not know) makes the whole function unsupported with the reason.
class Erasure {
 public:
  Erasure(const model::Function& f, const TypeNamer& namer, std::string id_prefix)
      : f_(f), namer_(namer), prefix_(std::move(id_prefix)) {}

  /// Decides. False with `why` when the function cannot cross by erasure.
  bool Run(std::string* why);

  /// The boundary value of input `index` (after Run): a kErased value for
  /// an erased parameter, false when the input is not one.
  bool InputValue(size_t index, AbiValue* out) const;

  /// The return value when the function returns a closure (after Run):
  /// true with `out` set; false with `why` empty when it returns something
  /// else, or set when the closure cannot cross.
  bool ReturnValue(AbiValue* out, std::string* why);

  /// Type parameter `param` of a trait method, handed by the library to a
  /// consumer's implementation (a vtable entry): its bounds must be ones the
  /// facade's proxy can implement over the library's value (ErasedMode::kReturned).
  /// False with `why` empty when it is a closure (the caller's other form),
  /// else with the reason (erasure_reversed.cc).
  bool ReversedValue(const std::string& param, AbiValue* out, std::string* why);

  const std::vector<ErasedParam>& params() const { return params_; }

  /// After Run: the return, a `Cow` (or `Option<Cow>`), may borrow from a
  /// lent parameter, which the library sees as the shim's proxy: a borrowed
  /// one must be handed back owned (AbiValue::copy_borrowed).
  bool copy_return() const { return copy_return_; }

  /// Renders a closure's Fn bound: set by the planner, which knows the
  /// facade's and the shim's paths.
  struct Renderers {
    std::function<std::string(const model::GenericBound&)> facade;
    std::function<std::string(const model::GenericBound&)> shim;
  };
  void set_renderers(Renderers r) { render_ = std::move(r); }

 private:
  struct Use {
    std::string param;  // the type parameter
    ErasedMode mode;
  };
  bool CollectBounds(std::string* why);
  bool AddBound(const std::string& param, const model::GenericBound& b, std::string* why);
  bool ClassifyUses(std::string* why);
  bool MakeParam(const std::string& name, ErasedMode mode, std::string* why);
  static AbiValue ValueOf(const ErasedParam& ep);
  bool MentionsParam(const model::Type& t, std::string* which) const;
  bool CowReturn(const model::Type& t) const;
  std::string StdTrait(const model::Path& p) const;

  const model::Function& f_;
  const TypeNamer& namer_;
  std::string prefix_;
  Renderers render_;
  std::vector<std::string> type_params_;
  std::map<std::string, std::vector<const model::GenericBound*>> bounds_;
  std::map<std::string, std::vector<model::GenericBound>> synthetic_;  // impl Trait / Box<dyn>
  bool copy_return_ = false;
  std::set<std::string> closure_returns_;  // type parameters only a closure returns (fn_ret_as_ref)
  std::map<size_t, std::pair<std::string, ErasedMode>> input_use_;    // input -> param
  std::set<std::string> static_refs_;  // parameters some input borrows as `&'static T`
  std::vector<ErasedParam> params_;
};

}  // namespace rdylib::plan
