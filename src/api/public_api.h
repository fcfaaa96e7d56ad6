// The public API of a crate: every item under every public path, with its
// signature, sorted. This is what `rdylib api` prints and what later stages
// start from.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "model/crate.h"

namespace rdylib::api {

/// One line of the public API.
struct ApiEntry {
  /// module, struct, enum, union, trait, trait_alias, function, type_alias,
  /// constant, static, macro, proc_macro, primitive, reexport, field, variant,
  /// variant_field, method, assoc_const, assoc_type, trait_method,
  /// trait_const, trait_type, impl, impl_method, impl_const, impl_type.
  std::string kind;
  std::string path;       // fully qualified public path
  std::string signature;  // one line of Rust-like text
  std::string location;   // "file:line", may be empty
  model::ItemId id = model::kNoId;
  // For impl and impl members:
  std::string for_path;   // the implementing type's public path
  std::string trait;      // the trait's full path
  std::string origin;     // local, synthetic (auto traits) or blanket
  /// #[doc(hidden)]: the item, a module or re-export on its path, its parent
  /// type, or (for impls) the trait or a type the impl names is hidden.
  /// Such entries are API all the same; rustdoc's HTML does not show them.
  bool hidden = false;

  bool operator<(const ApiEntry& o) const;
};

struct PublicApi {
  std::string crate_name;
  std::string crate_version;
  int format_version = 0;
  std::vector<ApiEntry> entries;  // sorted, no duplicates
  /// The canonical path of each local item reachable publicly: the shortest
  /// public path not through #[doc(hidden)] (a hidden one only when there is
  /// no other), ties broken by text order.
  std::unordered_map<model::ItemId, std::string> canonical_paths;
};

/// Walks the crate from its root module, following modules and re-exports
/// (glob ones too), and lists everything reachable.
PublicApi BuildPublicApi(const model::Crate& crate);

}  // namespace rdylib::api
