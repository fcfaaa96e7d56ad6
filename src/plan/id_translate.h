// Moves types and items from one crate's rustdoc numbering to another's.
#pragma once

#include <map>
#include <string>
#include <utility>

#include "model/crate.h"

namespace rdylib::plan {

/// Rewrites the item ids in a dependency's declarations (rustdoc numbers
/// items per crate) into the ids another crate's rustdoc gives the same
/// items, matched by defining path and kind. A declaration naming an item
/// the other crate's paths table lacks cannot be moved.
class IdTranslator {
 public:
  IdTranslator(const model::Crate& from, const model::Crate& to);

  /// Each returns false, leaving `missing()` set to the first path `to`
  /// does not know, when some id cannot be moved; ids already moved stay.
  bool Type(model::Type* t);
  bool Bounds(std::vector<model::GenericBound>* bounds);
  bool Generics(model::Generics* g);
  /// A function, associated type or associated const (other kinds: false).
  bool Item(model::Item* item);

  /// `num_traits::float::FloatCore` (the item that could not be moved).
  const std::string& missing() const { return missing_; }
  void ClearMissing() { missing_.clear(); }

 private:
  bool Id(model::ItemId* id);
  bool PathIds(model::Path* p);
  bool Args(model::GenericArgs* a);
  bool Params(std::vector<model::GenericParamDef>* params);
  bool Signature(model::FunctionSignature* sig);

  const model::Crate& from_;
  std::map<std::pair<std::string, std::string>, model::ItemId> to_ids_;  // (path, kind)
  std::string missing_;
};

}  // namespace rdylib::plan
