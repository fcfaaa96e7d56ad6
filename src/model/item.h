// The model's items: everything a rustdoc index entry can describe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "model/types.h"

namespace rdylib::model {

struct Span {
  std::string file;
  uint32_t line = 0;    // 1-based
  uint32_t column = 0;  // 1-based
  uint32_t end_line = 0;    // 1-based, inclusive
  uint32_t end_column = 0;  // 1-based, exclusive

  /// "file:line", the form diagnostics use.
  std::string ToString() const;
};

struct Visibility {
  enum class Kind { kPublic, kDefault, kCrate, kRestricted };
  Kind kind = Kind::kPublic;
  std::string restricted_path;  // kRestricted: pub(in path)
};

struct Deprecation {
  std::string since;
  std::string note;
};

/// The attributes that matter to the ABI and to the facade's fidelity.
/// Everything else is kept as written in `other`.
struct Attributes {
  bool non_exhaustive = false;
  bool automatically_derived = false;
  bool macro_export = false;
  bool no_mangle = false;
  bool doc_hidden = false;  // #[doc(hidden)], alone or among other doc(..) flags
  std::optional<std::string> must_use;  // the reason, "" when none
  std::string repr;                     // e.g. "C", "u8", "transparent", "C, align(8)"
  std::string export_name;
  std::vector<std::string> other;
};

struct Module {
  bool is_crate = false;
  bool is_stripped = false;
  std::vector<ItemId> items;
};

struct ExternCrate {
  std::string name;
  std::string rename;
};

struct Use {
  std::string source;  // the path as written
  std::string name;    // the name it is imported as
  ItemId target = kNoId;  // kNoId for primitives and unresolved items
  bool is_glob = false;
};

struct Struct {
  enum class Kind { kUnit, kTuple, kPlain };
  Kind kind = Kind::kPlain;
  Generics generics;
  /// kTuple: one entry per position, kNoId where the field is private.
  /// kPlain: the visible fields.
  std::vector<ItemId> fields;
  bool has_stripped_fields = false;
  std::vector<ItemId> impls;
};

struct Union {
  Generics generics;
  std::vector<ItemId> fields;
  bool has_stripped_fields = false;
  std::vector<ItemId> impls;
};

struct StructField {
  Type type;
};

struct Enum {
  Generics generics;
  std::vector<ItemId> variants;
  bool has_stripped_variants = false;
  std::vector<ItemId> impls;
};

struct Variant {
  enum class Kind { kPlain, kTuple, kStruct };
  Kind kind = Kind::kPlain;
  std::vector<ItemId> fields;  // kTuple: kNoId for stripped positions
  bool has_stripped_fields = false;
  std::optional<std::string> discriminant_expr;
  std::optional<std::string> discriminant_value;
};

struct Function {
  FunctionSignature sig;
  Generics generics;
  FunctionHeader header;
  bool has_body = true;
};

struct Trait {
  bool is_auto = false;
  bool is_unsafe = false;
  bool is_dyn_compatible = true;
  std::vector<ItemId> items;
  Generics generics;
  std::vector<GenericBound> bounds;  // supertraits
  std::vector<ItemId> implementations;
};

struct TraitAlias {
  Generics generics;
  std::vector<GenericBound> params;
};

struct Impl {
  bool is_unsafe = false;
  Generics generics;
  std::vector<std::string> provided_trait_methods;
  Box<Path> trait;  // empty for inherent impls
  Type for_type;
  std::vector<ItemId> items;
  bool is_negative = false;
  bool is_synthetic = false;  // auto trait impls rustdoc computed
  Box<Type> blanket_impl;     // the generic it is blanket over, e.g. T
};

struct TypeAlias {
  Type type;
  Generics generics;
};

struct Constant {
  Type type;
  std::string expr;
  std::optional<std::string> value;
  bool is_literal = false;
};

struct Static {
  Type type;
  bool is_mutable = false;
  bool is_unsafe = false;
  std::string expr;
};

struct Macro {
  std::string source;
};

struct ProcMacro {
  enum class Kind { kBang, kAttr, kDerive };
  Kind kind = Kind::kBang;
  std::vector<std::string> helpers;
};

struct Primitive {
  std::string name;
  std::vector<ItemId> impls;
};

struct AssocConst {
  Type type;
  std::optional<std::string> value;  // default value in traits
};

struct AssocType {
  Generics generics;
  std::vector<GenericBound> bounds;
  Box<Type> type;  // the default (in traits) or the value (in impls)
};

struct ExternType {};

enum class ItemKind : uint8_t {
  kModule,
  kExternCrate,
  kUse,
  kUnion,
  kStruct,
  kStructField,
  kEnum,
  kVariant,
  kFunction,
  kTraitAlias,
  kTrait,
  kImpl,
  kTypeAlias,
  kConstant,
  kStatic,
  kExternType,
  kMacro,
  kProcMacro,
  kPrimitive,
  kAssocConst,
  kAssocType,
};

/// The lowercase name rustdoc uses for the kind, e.g. "struct_field".
const char* ItemKindName(ItemKind kind);

using ItemInner =
    std::variant<Module, ExternCrate, Use, Union, Struct, StructField, Enum,
                 Variant, Function, TraitAlias, Trait, Impl, TypeAlias,
                 Constant, Static, ExternType, Macro, ProcMacro, Primitive,
                 AssocConst, AssocType>;

struct Item {
  ItemId id = kNoId;
  uint32_t crate_id = 0;
  std::string name;  // empty for impls and unnamed uses
  std::optional<Span> span;
  Visibility visibility;
  bool has_docs = false;
  Attributes attrs;
  std::optional<Deprecation> deprecation;
  ItemKind kind = ItemKind::kModule;
  ItemInner inner;

  template <typename T>
  const T& As() const {
    return std::get<T>(inner);
  }
  template <typename T>
  const T* TryAs() const {
    return std::get_if<T>(&inner);
  }
};

}  // namespace rdylib::model
