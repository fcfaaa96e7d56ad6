// The read stage: parses with simdjson, checks the format version, then
// reads the index, paths and external crates.
#include "read/reader.h"

#include <fmt/format.h>
#include <simdjson.h>

#include <algorithm>
#include <array>

#include "read/item_reader.h"
#include "read/json_walker.h"

namespace rdylib::read {
namespace {

constexpr std::array<int, 2> kSupported = {37, 57};

std::string SupportedList() {
  return fmt::format("{}", fmt::join(kSupported, ", "));
}

bool ParseKey(std::string_view key, model::ItemId* out) {
  uint64_t v = 0;
  if (key.empty() || key.size() > 10) return false;
  for (char c : key) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  if (v >= model::kNoId) return false;
  *out = static_cast<model::ItemId>(v);
  return true;
}

void ReadIndex(dom::object index, ReadContext& ctx, model::Crate& crate) {
  crate.index.reserve(index.size());
  for (auto [key, value] : index) {
    model::ItemId id = model::kNoId;
    if (!ParseKey(key, &id)) {
      ctx.EnterItem(model::kNoId, "");
      ctx.Fail(fmt::format("index key '{}' is not an item id", key));
      continue;
    }
    model::Item item = ReadItem(value, ctx);
    if (item.id != id) {
      ctx.Fail(fmt::format("index key {} holds item {}", id, item.id));
    }
    crate.index.emplace(id, std::move(item));
  }
}

void ReadPaths(dom::object paths, ReadContext& ctx, model::Crate& crate) {
  crate.paths.reserve(paths.size());
  ctx.EnterItem(model::kNoId, "");
  FieldScope scope(ctx, "paths");
  for (auto [key, value] : paths) {
    model::ItemId id = model::kNoId;
    if (!ParseKey(key, &id)) {
      ctx.Fail(fmt::format("paths key '{}' is not an item id", key));
      continue;
    }
    Obj o = Obj::From(value, ctx, "item summary");
    model::ItemSummary s;
    s.crate_id = static_cast<uint32_t>(o.U64("crate_id"));
    s.path = ReadStrings(o.Array("path"), ctx);
    s.kind = o.String("kind");
    crate.paths.emplace(id, std::move(s));
  }
}

void ReadExternalCrates(dom::object crates, ReadContext& ctx,
                        model::Crate& crate) {
  FieldScope scope(ctx, "external_crates");
  for (auto [key, value] : crates) {
    model::ItemId id = model::kNoId;
    if (!ParseKey(key, &id)) {
      ctx.Fail(fmt::format("external crate key '{}' is not a number", key));
      continue;
    }
    Obj o = Obj::From(value, ctx, "external crate");
    crate.external_crates[id] = {std::string(o.String("name")),
                                 std::string(o.OptString("html_root_url").value_or(""))};
  }
}

}  // namespace

std::span<const int> SupportedFormatVersions() { return kSupported; }

namespace {

std::optional<model::Crate> ParseAndRead(const simdjson::padded_string& json,
                                         const std::string& file,
                                         Diagnostics* diags) {
  dom::parser parser;
  dom::element doc;
  if (auto err = parser.parse(json).get(doc); err != simdjson::SUCCESS) {
    diags->Add({Severity::kError, file, "",
                fmt::format("not valid JSON: {}", simdjson::error_message(err)),
                "the file is truncated or garbled; regenerate it with "
                "`rdylib api` (rustdoc may have been interrupted)"});
    return std::nullopt;
  }
  return ReadCrateDocument(doc, file, diags);
}

}  // namespace

std::optional<model::Crate> ReadCrateJson(std::string_view json,
                                          const std::string& file,
                                          Diagnostics* diags) {
  return ParseAndRead(simdjson::padded_string(json), file, diags);
}

std::optional<model::Crate> ReadCrateDocument(simdjson::dom::element doc,
                                              const std::string& file,
                                              Diagnostics* diags) {
  dom::object top;
  if (doc.get_object().get(top) != simdjson::SUCCESS) {
    diags->Add({Severity::kError, file, "",
                "not rustdoc JSON: the top level is not an object",
                "pass the .json file rustdoc wrote under target/doc"});
    return std::nullopt;
  }
  int64_t version = 0;
  if (top["format_version"].get_int64().get(version) != simdjson::SUCCESS) {
    diags->Add({Severity::kError, file, "",
                "not rustdoc JSON: no numeric 'format_version'",
                "pass the .json file rustdoc wrote under target/doc"});
    return std::nullopt;
  }
  if (std::find(kSupported.begin(), kSupported.end(), version) ==
      kSupported.end()) {
    diags->Add(
        {Severity::kError, file, "",
         fmt::format("rustdoc JSON format version {} is not supported "
                     "(supported: {})",
                     version, SupportedList()),
         "use a toolchain whose rustdoc writes a supported version (see "
         "`rdylib toolchains`), or update rdylib"});
    return std::nullopt;
  }

  model::Crate crate;
  crate.format_version = static_cast<int>(version);
  ReadContext ctx(file, crate.format_version, diags);
  Obj o(top, ctx);
  crate.root = o.Id("root");
  crate.crate_version = o.OptString("crate_version").value_or("");
  crate.includes_private = o.Bool("includes_private");
  if (auto target = o.GetOpt("target")) {
    Obj t = Obj::From(*target, ctx, "target");
    crate.target_triple = t.String("triple");
  }
  dom::object section;
  if (o.Get("index").get_object().get(section) == simdjson::SUCCESS) {
    ReadIndex(section, ctx, crate);
  } else {
    ctx.Fail("'index' is not an object");
  }
  if (o.Get("paths").get_object().get(section) == simdjson::SUCCESS) {
    ReadPaths(section, ctx, crate);
  } else {
    ctx.Fail("'paths' is not an object");
  }
  if (o.Get("external_crates").get_object().get(section) == simdjson::SUCCESS) {
    ReadExternalCrates(section, ctx, crate);
  } else {
    ctx.Fail("'external_crates' is not an object");
  }
  if (ctx.failed()) return std::nullopt;

  const model::Item* root = crate.Find(crate.root);
  if (root == nullptr || root->kind != model::ItemKind::kModule) {
    diags->Add({Severity::kError, file, "",
                fmt::format("root item {} is missing or not a module", crate.root),
                "the file is garbled; regenerate it with `rdylib api`"});
    return std::nullopt;
  }
  crate.name = root->name;
  return crate;
}

std::optional<model::Crate> ReadCrateFile(const std::filesystem::path& path,
                                          Diagnostics* diags) {
  simdjson::padded_string json;
  if (simdjson::padded_string::load(path.string()).get(json) !=
      simdjson::SUCCESS) {
    diags->Add({Severity::kError, path.string(), "", "cannot read file",
                "check that the path exists and is readable"});
    return std::nullopt;
  }
  return ParseAndRead(json, path.string(), diags);
}

}  // namespace rdylib::read
