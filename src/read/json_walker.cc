// Checked access to rustdoc JSON.
#include "read/json_walker.h"

#include <fmt/format.h>

#include <cstdlib>

namespace rdylib::read {
namespace {

const char* TypeName(dom::element_type t) {
  switch (t) {
    case dom::element_type::ARRAY: return "array";
    case dom::element_type::OBJECT: return "object";
    case dom::element_type::INT64:
    case dom::element_type::UINT64:
    case dom::element_type::DOUBLE: return "number";
    case dom::element_type::STRING: return "string";
    case dom::element_type::BOOL: return "bool";
    case dom::element_type::NULL_VALUE: return "null";
  }
  return "value";
}

}  // namespace

dom::element NullElement() {
  // The parser is never reused, so the element stays valid.
  static dom::parser null_parser;
  static dom::element null_element = [] {
    dom::element e;
    if (null_parser.parse("null", 4).get(e) != simdjson::SUCCESS) std::abort();
    return e;
  }();
  return null_element;
}

namespace {

dom::array EmptyArray() {
  static dom::parser empty_parser;
  static dom::array empty = [] {
    dom::array a;
    if (empty_parser.parse("[]", 2).get_array().get(a) != simdjson::SUCCESS) std::abort();
    return a;
  }();
  return empty;
}

}  // namespace

void ReadContext::Fail(std::string_view message) {
  ++errors_;
  if (errors_ > kMaxErrors) return;
  std::string where;
  if (item_ != model::kNoId) {
    where = fmt::format("item {}", item_);
    if (!item_name_.empty()) where += fmt::format(" '{}'", item_name_);
  }
  if (!fields_.empty()) {
    std::string path;
    for (std::string_view f : fields_) {
      if (!path.empty() && f[0] != '[') path += '.';
      path += f;
    }
    where += where.empty() ? "field " + path : ", field " + path;
  }
  Diagnostic d;
  d.location = file_;
  d.message = where.empty() ? std::string(message)
                            : where + ": " + std::string(message);
  d.hint = fmt::format(
      "the file does not match rustdoc JSON format version {}; it may be "
      "truncated or garbled: regenerate it with `rdylib api`",
      format_version_);
  diags_->Add(std::move(d));
  if (errors_ == kMaxErrors) {
    diags_->Add({Severity::kNote, file_, "",
                 "further errors in this file are not shown", ""});
  }
}

Obj Obj::From(dom::element e, ReadContext& ctx, std::string_view what) {
  dom::object o;
  if (e.get_object().get(o) != simdjson::SUCCESS) {
    ctx.Fail(fmt::format("expected {} (an object), found {}", what,
                         TypeName(e.type())));
    // An empty object keeps the caller going; its getters record errors.
    // The parser is never reused, so the object stays valid.
    static dom::parser empty_parser;
    static dom::object empty_object = [] {
      dom::object obj;
      if (empty_parser.parse("{}", 2).get_object().get(obj) != simdjson::SUCCESS) {
        std::abort();  // parsing "{}" cannot fail
      }
      return obj;
    }();
    return Obj(empty_object, ctx);
  }
  return Obj(o, ctx);
}

bool Obj::Has(std::string_view key) const {
  dom::element e;
  return o_.at_key(key).get(e) == simdjson::SUCCESS;
}

dom::element Obj::Get(std::string_view key) const {
  dom::element e;
  if (o_.at_key(key).get(e) != simdjson::SUCCESS) {
    ctx_.Fail(fmt::format("missing field '{}'", key));
    return NullElement();
  }
  return e;
}

std::optional<dom::element> Obj::GetOpt(std::string_view key) const {
  dom::element e;
  if (o_.at_key(key).get(e) != simdjson::SUCCESS || e.is_null()) {
    return std::nullopt;
  }
  return e;
}

std::string_view Obj::String(std::string_view key) const {
  dom::element e;
  if (o_.at_key(key).get(e) != simdjson::SUCCESS) {
    ctx_.Fail(fmt::format("missing field '{}'", key));
    return {};
  }
  FieldScope scope(ctx_, key);
  return ReadString(e, ctx_);
}

std::optional<std::string_view> Obj::OptString(std::string_view key) const {
  auto e = GetOpt(key);
  if (!e) return std::nullopt;
  FieldScope scope(ctx_, key);
  return ReadString(*e, ctx_);
}

bool Obj::Bool(std::string_view key, bool if_absent) const {
  dom::element e;
  if (o_.at_key(key).get(e) != simdjson::SUCCESS) return if_absent;
  bool b = false;
  if (e.get_bool().get(b) != simdjson::SUCCESS) {
    FieldScope scope(ctx_, key);
    ctx_.Fail(fmt::format("expected bool, found {}", TypeName(e.type())));
  }
  return b;
}

uint64_t Obj::U64(std::string_view key) const {
  dom::element e = Get(key);
  uint64_t v = 0;
  if (e.get_uint64().get(v) != simdjson::SUCCESS) {
    FieldScope scope(ctx_, key);
    ctx_.Fail(fmt::format("expected unsigned number, found {}",
                          TypeName(e.type())));
  }
  return v;
}

dom::array Obj::Array(std::string_view key) const {
  dom::element e;
  dom::array a = EmptyArray();
  if (o_.at_key(key).get(e) != simdjson::SUCCESS) {
    ctx_.Fail(fmt::format("missing field '{}'", key));
  } else if (e.get_array().get(a) != simdjson::SUCCESS) {
    FieldScope scope(ctx_, key);
    ctx_.Fail(fmt::format("expected array, found {}", TypeName(e.type())));
    a = EmptyArray();
  }
  return a;
}

model::ItemId Obj::Id(std::string_view key) const {
  dom::element e = Get(key);
  FieldScope scope(ctx_, key);
  return ReadId(e, ctx_);
}

Tagged ReadTagged(dom::element e, ReadContext& ctx, std::string_view what) {
  std::string_view s;
  if (e.get_string().get(s) == simdjson::SUCCESS) return {s, NullElement()};
  dom::object o;
  if (e.get_object().get(o) == simdjson::SUCCESS && o.size() == 1) {
    auto field = *o.begin();
    return {field.key, field.value};
  }
  ctx.Fail(fmt::format("expected {} (a string or one-key object), found {}",
                       what, TypeName(e.type())));
  return {"", NullElement()};
}

model::ItemId ReadId(dom::element e, ReadContext& ctx) {
  if (e.is_null()) return model::kNoId;
  uint64_t v = 0;
  if (e.get_uint64().get(v) != simdjson::SUCCESS || v >= model::kNoId) {
    ctx.Fail(fmt::format("expected item id, found {}", TypeName(e.type())));
    return model::kNoId;
  }
  return static_cast<model::ItemId>(v);
}

std::vector<model::ItemId> ReadIds(dom::array a, ReadContext& ctx) {
  std::vector<model::ItemId> out;
  out.reserve(a.size());
  for (dom::element e : a) out.push_back(ReadId(e, ctx));
  return out;
}

std::string_view ReadString(dom::element e, ReadContext& ctx) {
  std::string_view s;
  if (e.get_string().get(s) != simdjson::SUCCESS) {
    ctx.Fail(fmt::format("expected string, found {}", TypeName(e.type())));
  }
  return s;
}

std::vector<std::string> ReadStrings(dom::array a, ReadContext& ctx) {
  std::vector<std::string> out;
  for (dom::element e : a) out.emplace_back(ReadString(e, ctx));
  return out;
}

}  // namespace rdylib::read
