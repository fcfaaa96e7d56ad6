// Closed sets: which type parameter of a generic item the shim instantiates
// once per type, because the library's traits admit a known, finite set.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace rdylib::plan {

/// At most this many types per instantiated item: beyond it the item is
/// reported (each type is a thunk in the library and an impl in the facade).
inline constexpr size_t kMaxClosedSet = 24;

/// At most this many combinations for an item with several closed
/// parameters (the product of their sets): each is a thunk in the library
/// and a method in the facade.
inline constexpr size_t kMaxClosedCombinations = 64;

/// One trait bound of a type parameter, as the closed-set decision sees it.
struct ClosedBound {
  enum class Kind {
    kLibrary,  // a trait of the crate that the facade declares
    kStd,      // a trait of std, core or alloc
    kOther,    // a dependency's trait, or one the facade does not declare
  };
  Kind kind = Kind::kOther;
  std::string trait;  // as the report names it
  /// kLibrary: the self types of the library's impls of it that cross, as
  /// the report names them, in the order they are planned.
  std::vector<std::string> impls;
  /// kLibrary: why its set of types is open ("" when closed), e.g. a
  /// blanket impl that admits types the library does not know. kOther: a
  /// note after its name, e.g. " (the crate's trait does not cross: ...)".
  std::string open;
  /// kLibrary: its generic impls over other types (`impl<T: One> One for
  /// Wrapping<T>`), which do not cross: no facade type gets them, so they
  /// leave the set closed, and the report names them.
  std::vector<std::string> left_out;
  /// kStd: the types (among the candidates) known to implement it, and
  /// those rdylib cannot tell about; the others do not implement it.
  std::vector<std::string> holds;
  std::vector<std::string> unknown;
};

/// A type parameter of a generic function, method or blanket impl.
struct ClosedParam {
  std::string name;
  std::vector<ClosedBound> bounds;
  bool maybe_unsized = false;  // T: ?Sized
};

/// The decision: the parameter instantiated, the library trait the facade
/// dispatches through (the first of its bounds that is one), and the types,
/// or the reason there is no closed set.
struct ClosedSetDecision {
  std::string param;
  std::string trait;
  std::vector<std::string> types;
  std::vector<std::string> left_out;  // the host trait's generic impls over other types
  std::string reason;  // set when types is empty
  /// Several closed parameters: the decisions for the second and later
  /// ones, in declaration order (each with its own param, trait and types);
  /// the item is instantiated for every combination.
  std::vector<ClosedSetDecision> more;

  bool ok() const { return reason.empty(); }
  /// "instantiated for i8, i32, closed_lib::Meters (T: closed_lib::Number)";
  /// with several parameters "instantiated for each of 8 combinations of
  /// i8, u64 (the closed set of A: lib::Number) and u8, u16, u32, u64 (the
  /// closed set of B: lib::Width)".
  std::string Text() const;
};

/// Decides for the type parameters of one item (lifetimes left out).
ClosedSetDecision DecideClosedSet(const std::vector<ClosedParam>& params);

/// Whether std's trait `name` (its last path segment) holds for primitive
/// `prim`: 1 yes, 0 no, -1 rdylib cannot tell (a trait it has no table
/// for, or a type that is not a number, bool or char). Operator traits are
/// meant with `Self` as their operand and output (`Add<Output = T>`).
int PrimitiveImplements(const std::string& prim, const std::string& name);

}  // namespace rdylib::plan
