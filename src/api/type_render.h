// Renders model types, generics and signatures as Rust source text with
// fully qualified paths.
#pragma once

#include <string>
#include <unordered_map>

#include "model/crate.h"

namespace rdylib::api {

/// The path code outside std can name for std item `full`, given by its
/// defining path: `core::iter::traits::iterator::Iterator` is
/// `core::iter::Iterator`. Other paths are returned unchanged.
std::string PublicStdPath(const std::string& full);
/// `text` (rendered Rust) with every such std path written as in
/// PublicStdPath.
std::string PublicStdPathsIn(std::string text);

/// Renders types. Paths to this crate's items use their canonical public
/// path; paths to other crates use the defining path from rustdoc's `paths`
/// table (e.g. core::fmt::Formatter), except the prelude types Option,
/// Result, String, Vec and Box, which print short as users write them.
class TypeRenderer {
 public:
  TypeRenderer(const model::Crate& crate,
               const std::unordered_map<model::ItemId, std::string>* local_paths)
      : crate_(crate), local_paths_(local_paths) {}

  /// `Self` is printed as this type while set (inside impls).
  void set_self_type(const model::Type* self) { self_ = self; }

  /// While set, item `id` prints as `path` (the public path being listed,
  /// which may be a re-export rather than the canonical path).
  void set_path_override(model::ItemId id, std::string path) {
    override_id_ = id;
    override_path_ = std::move(path);
  }
  void clear_path_override() { override_id_ = model::kNoId; }

  /// Prints Option, Result, String, Vec and Box by their full std paths, for
  /// generated code where a crate's own item may shadow the prelude, and std
  /// items of private modules by their public paths (`core::iter::Iterator`).
  void set_full_std_paths(bool full) { full_std_paths_ = full; }

  std::string Type(const model::Type& t) const;
  std::string Path(const model::Path& p) const;
  /// The fully qualified path of the item a Path refers to, without args.
  std::string PathName(const model::Path& p) const;
  std::string Args(const model::GenericArgs& a) const;
  std::string Bounds(const std::vector<model::GenericBound>& bounds) const;
  /// `<'a, T: Clone>`, or "" when there are no params.
  std::string Params(const model::Generics& g) const;
  /// ` where T: Clone`, or "".
  std::string Where(const model::Generics& g) const;
  /// `(&self, text: &str) -> Result<..>` with receivers in their short form.
  std::string Signature(const model::FunctionSignature& sig) const;
  /// `const unsafe extern "C" ` prefix, or "".
  std::string Header(const model::FunctionHeader& h) const;

 private:
  std::string Param(const model::GenericParamDef& p) const;
  std::string Binder(const std::vector<model::GenericParamDef>& params) const;

  const model::Crate& crate_;
  const std::unordered_map<model::ItemId, std::string>* local_paths_;
  const model::Type* self_ = nullptr;
  model::ItemId override_id_ = model::kNoId;
  std::string override_path_;
  bool full_std_paths_ = false;
};

}  // namespace rdylib::api
