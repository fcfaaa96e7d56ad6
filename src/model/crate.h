// The model of one crate's rustdoc output: items, paths and external crates.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/item.h"

namespace rdylib::model {

/// Where an item lives, for items of this crate and of other crates alike.
struct ItemSummary {
  uint32_t crate_id = 0;
  std::vector<std::string> path;  // e.g. {"core", "result", "Result"}
  std::string kind;               // rustdoc's kind name, e.g. "struct"

  /// path joined with "::".
  std::string Joined() const;
};

struct ExternalCrate {
  std::string name;
  std::string html_root_url;
};

struct Crate {
  int format_version = 0;
  std::string name;
  std::string crate_version;
  bool includes_private = false;
  std::string target_triple;  // empty where the format does not carry it
  ItemId root = kNoId;
  std::unordered_map<ItemId, Item> index;
  std::unordered_map<ItemId, ItemSummary> paths;
  std::map<uint32_t, ExternalCrate> external_crates;

  const Item* Find(ItemId id) const {
    auto it = index.find(id);
    return it == index.end() ? nullptr : &it->second;
  }
  const ItemSummary* FindPath(ItemId id) const {
    auto it = paths.find(id);
    return it == paths.end() ? nullptr : &it->second;
  }
  /// The crate's name for a crate id; this crate's own name for 0.
  std::string CrateName(uint32_t crate_id) const;
};

}  // namespace rdylib::model
