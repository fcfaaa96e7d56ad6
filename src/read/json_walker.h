// Checked access to rustdoc JSON: every mistake becomes a located diagnostic.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/types.h"
#include "util/diagnostic.h"

namespace rdylib::read {

namespace dom = simdjson::dom;

/// A valid JSON null. (A default-constructed dom::element is not valid and
/// must never be inspected.)
dom::element NullElement();

/// Where the reader is: the file, the item and the field path inside it.
/// Errors are formatted only when they happen, so the happy path stays fast.
class ReadContext {
 public:
  ReadContext(std::string file, int format_version, Diagnostics* diags)
      : file_(std::move(file)),
        format_version_(format_version),
        diags_(diags) {}

  int format_version() const { return format_version_; }
  const std::string& file() const { return file_; }

  void EnterItem(model::ItemId id, std::string_view name) {
    item_ = id;
    item_name_ = name;
    fields_.clear();
  }
  void PushField(std::string_view f) { fields_.push_back(f); }
  void PopField() { fields_.pop_back(); }

  /// Records "file: error: item N 'name', field a.b: message" with a hint
  /// about garbled input. After kMaxErrors only a count is kept.
  void Fail(std::string_view message);
  bool failed() const { return errors_ > 0; }

 private:
  static constexpr int kMaxErrors = 20;
  std::string file_;
  int format_version_;
  Diagnostics* diags_;
  model::ItemId item_ = model::kNoId;
  std::string_view item_name_;
  std::vector<std::string_view> fields_;
  int errors_ = 0;
};

/// Pushes a field name onto the context for the lifetime of the scope.
class FieldScope {
 public:
  FieldScope(ReadContext& ctx, std::string_view field) : ctx_(ctx) {
    ctx_.PushField(field);
  }
  ~FieldScope() { ctx_.PopField(); }
  FieldScope(const FieldScope&) = delete;
  FieldScope& operator=(const FieldScope&) = delete;

 private:
  ReadContext& ctx_;
};

/// A JSON object with checked getters. Required getters record an error
/// and return a default when the key is missing or has the wrong type.
class Obj {
 public:
  Obj(dom::object o, ReadContext& ctx) : o_(o), ctx_(ctx) {}

  /// Converts `e` to an object, or records an error and returns an empty one.
  static Obj From(dom::element e, ReadContext& ctx, std::string_view what);

  bool Has(std::string_view key) const;
  /// The value under `key`; a null element when absent (with an error).
  dom::element Get(std::string_view key) const;
  /// The value under `key` when present and not null.
  std::optional<dom::element> GetOpt(std::string_view key) const;

  std::string_view String(std::string_view key) const;
  std::optional<std::string_view> OptString(std::string_view key) const;
  bool Bool(std::string_view key, bool if_absent = false) const;
  uint64_t U64(std::string_view key) const;
  dom::array Array(std::string_view key) const;
  /// Reads an id field; kNoId when null.
  model::ItemId Id(std::string_view key) const;

  dom::object raw() const { return o_; }
  ReadContext& ctx() const { return ctx_; }

 private:
  dom::object o_;
  ReadContext& ctx_;
};

/// A value of a Rust enum as serde writes it: either a bare string (unit
/// variant) or an object with exactly one key.
struct Tagged {
  std::string_view tag;
  dom::element value = NullElement();  // null for unit variants
};

/// Splits `e` into its tag and value, or records an error and returns an
/// empty tag.
Tagged ReadTagged(dom::element e, ReadContext& ctx, std::string_view what);

/// Reads an id (a number); kNoId for null, error otherwise.
model::ItemId ReadId(dom::element e, ReadContext& ctx);
/// Reads a list of ids.
std::vector<model::ItemId> ReadIds(dom::array a, ReadContext& ctx);
/// Reads a string or records an error.
std::string_view ReadString(dom::element e, ReadContext& ctx);
/// Reads a list of strings.
std::vector<std::string> ReadStrings(dom::array a, ReadContext& ctx);

}  // namespace rdylib::read
