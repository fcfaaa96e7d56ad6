// The model's types: Rust types, generic arguments, bounds and generics.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/box.h"

namespace rdylib::model {

/// An item id in the crate's index; ids are only meaningful inside one Crate.
using ItemId = uint32_t;
inline constexpr ItemId kNoId = UINT32_MAX;

struct Type;
struct GenericArgs;
struct GenericBound;
struct GenericParamDef;

/// `Name<Args>` as written, resolved to an item id (which may be external).
struct Path {
  std::string name;  // as written at the use site, e.g. "Result" or "fmt::Debug"
  ItemId id = kNoId;
  Box<GenericArgs> args;  // empty when written without arguments
};

struct GenericArg {
  enum class Kind { kLifetime, kType, kConst, kInfer };
  Kind kind = Kind::kType;
  std::string lifetime;      // kLifetime: "'a"
  Box<Type> type;            // kType
  std::string const_expr;    // kConst: the expression as written
};

/// `Item = T` or `Item: Bound` inside angle brackets.
struct AssocItemConstraint {
  std::string name;
  Box<GenericArgs> args;
  bool is_equality = true;
  Box<Type> equality_type;           // when the right side is a type
  std::string equality_const;        // when the right side is a constant
  std::vector<GenericBound> bounds;  // when !is_equality
};

struct GenericArgs {
  enum class Kind { kAngleBracketed, kParenthesized, kReturnTypeNotation };
  Kind kind = Kind::kAngleBracketed;
  std::vector<GenericArg> args;                     // angle bracketed
  std::vector<AssocItemConstraint> constraints;     // angle bracketed
  std::vector<Type> inputs;                         // parenthesized: Fn(A, B)
  Box<Type> output;                                 // parenthesized: -> C
};

struct GenericBound {
  enum class Kind { kTrait, kOutlives, kUse };
  enum class Modifier { kNone, kMaybe, kMaybeConst };
  Kind kind = Kind::kTrait;
  Path trait;                                     // kTrait
  std::vector<GenericParamDef> generic_params;    // kTrait: for<'a>
  Modifier modifier = Modifier::kNone;            // kTrait: ?Sized
  std::string lifetime;                           // kOutlives
  std::vector<std::string> use_args;              // kUse: use<'a, T>
};

struct GenericParamDef {
  enum class Kind { kLifetime, kType, kConst };
  std::string name;
  Kind kind = Kind::kType;
  std::vector<std::string> outlives;      // kLifetime
  std::vector<GenericBound> bounds;       // kType
  Box<Type> default_type;                 // kType / kConst (its type)
  bool is_synthetic = false;              // kType: from `impl Trait` argument
  std::string const_default;              // kConst
};

struct WherePredicate {
  enum class Kind { kBound, kLifetime, kEq };
  Kind kind = Kind::kBound;
  Box<Type> type;                              // kBound, kEq (lhs)
  std::vector<GenericBound> bounds;            // kBound
  std::vector<GenericParamDef> generic_params; // kBound: for<'a>
  std::string lifetime;                        // kLifetime
  std::vector<std::string> outlives;           // kLifetime
  Box<Type> rhs_type;                          // kEq
  std::string rhs_const;                       // kEq
};

struct Generics {
  std::vector<GenericParamDef> params;
  std::vector<WherePredicate> where_predicates;

  bool empty() const { return params.empty() && where_predicates.empty(); }
};

/// The qualifiers of a function.
struct FunctionHeader {
  bool is_const = false;
  bool is_unsafe = false;
  bool is_async = false;
  std::string abi = "Rust";  // "Rust", "C", "C-unwind", "system", ...
};

struct FunctionSignature {
  std::vector<std::pair<std::string, Type>> inputs;
  Box<Type> output;  // empty for `()`
  bool is_c_variadic = false;
};

struct FunctionPointer {
  FunctionSignature sig;
  std::vector<GenericParamDef> generic_params;  // for<'a>
  FunctionHeader header;
};

/// `dyn Trait + Send + 'a`: each trait with its own for<'a> binder.
struct DynTrait {
  struct PolyTrait {
    Path trait;
    std::vector<GenericParamDef> generic_params;
  };
  std::vector<PolyTrait> traits;
  std::string lifetime;
};

struct Type {
  enum class Kind {
    kResolvedPath,   // path
    kDynTrait,       // dyn_trait
    kGeneric,        // name
    kPrimitive,      // name
    kFunctionPointer,// fn_pointer
    kTuple,          // elems
    kSlice,          // elems[0]
    kArray,          // elems[0], array_len
    kPat,            // elems[0], pat
    kImplTrait,      // bounds
    kInfer,          // `_`
    kRawPointer,     // elems[0], is_mutable
    kBorrowedRef,    // elems[0], lifetime, is_mutable
    kQualifiedPath,  // name, path.args, elems[0] = self type, trait
  };
  Kind kind = Kind::kInfer;
  std::string name;
  Path path;
  std::vector<Type> elems;
  std::string lifetime;
  bool is_mutable = false;
  std::string array_len;
  Box<DynTrait> dyn_trait;
  Box<FunctionPointer> fn_pointer;
  std::vector<GenericBound> bounds;
  Box<Path> trait;  // kQualifiedPath: `<T as Trait>::name`, absent for `T::name`
};

}  // namespace rdylib::model
