// Reads rustdoc index entries (items) into the model.
#include "read/item_reader.h"

#include <fmt/format.h>

#include "read/type_reader.h"

namespace rdylib::read {
namespace {

using namespace model;  // NOLINT: the reader builds every model type

// v37 writes attributes as source text, e.g. `#[must_use = "why"]`.
// True for `#[doc(hidden)]` and `#[doc(alias = "x", hidden)]`: format 37
// keeps the attribute as written, 57 gives each doc flag its own
// `#[doc(..)]` text.
bool IsDocHidden(std::string_view text) {
  if (!text.starts_with("#[doc(") || !text.ends_with(")]")) return false;
  std::string_view body = text.substr(6, text.size() - 8);
  int depth = 0;
  bool quoted = false;
  size_t start = 0;
  for (size_t i = 0; i <= body.size(); ++i) {
    char c = i < body.size() ? body[i] : ',';
    if (quoted) {
      if (c == '\\') ++i;
      else if (c == '"') quoted = false;
      continue;
    }
    if (c == '"') quoted = true;
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (c == ',' && depth == 0) {
      std::string_view part = body.substr(start, i - start);
      while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
      while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
      if (part == "hidden") return true;
      start = i + 1;
    }
  }
  return false;
}

void ReadTextAttribute(std::string_view text, Attributes& out) {
  std::string_view body = text;
  if (body.starts_with("#[") && body.ends_with("]")) {
    body = body.substr(2, body.size() - 3);
  }
  auto unquote = [](std::string_view s) {
    size_t open = s.find('"');
    size_t close = s.rfind('"');
    if (open == std::string_view::npos || close <= open) return std::string();
    return std::string(s.substr(open + 1, close - open - 1));
  };
  if (body == "non_exhaustive") {
    out.non_exhaustive = true;
  } else if (body == "automatically_derived") {
    out.automatically_derived = true;
  } else if (body == "macro_export" || body.starts_with("macro_export(")) {
    out.macro_export = true;
  } else if (body == "no_mangle" || body == "unsafe(no_mangle)") {
    out.no_mangle = true;
  } else if (body == "must_use") {
    out.must_use = "";
  } else if (body.starts_with("must_use")) {
    out.must_use = unquote(body);
  } else if (body.starts_with("repr(") && body.ends_with(")")) {
    std::string repr(body.substr(5, body.size() - 6));
    out.repr = out.repr.empty() ? repr : out.repr + ", " + repr;
  } else if (body.starts_with("export_name")) {
    out.export_name = unquote(body);
  } else {
    out.doc_hidden |= IsDocHidden(text);
    out.other.emplace_back(text);
  }
}

// v57 writes structured attributes: bare strings for flags, one-key objects
// for the rest.
void ReadStructuredAttribute(dom::element e, ReadContext& ctx,
                             Attributes& out) {
  Tagged t = ReadTagged(e, ctx, "attribute");
  if (t.tag == "non_exhaustive") {
    out.non_exhaustive = true;
  } else if (t.tag == "automatically_derived") {
    out.automatically_derived = true;
  } else if (t.tag == "macro_export") {
    out.macro_export = true;
  } else if (t.tag == "no_mangle") {
    out.no_mangle = true;
  } else if (t.tag == "must_use") {
    Obj o = Obj::From(t.value, ctx, "must_use");
    out.must_use = std::string(o.OptString("reason").value_or(""));
  } else if (t.tag == "export_name") {
    out.export_name = ReadString(t.value, ctx);
  } else if (t.tag == "repr") {
    Obj o = Obj::From(t.value, ctx, "repr");
    std::vector<std::string> parts;
    std::string_view kind = o.String("kind");
    if (kind == "c") {
      parts.emplace_back("C");
    } else if (kind == "transparent" || kind == "simd") {
      parts.emplace_back(kind);
    }
    if (auto i = o.OptString("int")) parts.emplace_back(*i);
    if (auto a = o.GetOpt("align")) {
      uint64_t n = 0;
      if (a->get_uint64().get(n) == simdjson::SUCCESS) {
        parts.push_back(fmt::format("align({})", n));
      }
    }
    if (auto p = o.GetOpt("packed")) {
      uint64_t n = 0;
      if (p->get_uint64().get(n) == simdjson::SUCCESS) {
        parts.push_back(n == 1 ? "packed" : fmt::format("packed({})", n));
      }
    }
    out.repr = fmt::format("{}", fmt::join(parts, ", "));
  } else if (t.tag == "other") {
    out.other.emplace_back(ReadString(t.value, ctx));
    out.doc_hidden |= IsDocHidden(out.other.back());
  } else if (!t.tag.empty()) {
    // Attributes added by later formats are kept by name, not rejected.
    out.other.push_back(fmt::format("#[{}]", t.tag));
  }
}

Visibility ReadVisibility(dom::element e, ReadContext& ctx) {
  Visibility out;
  Tagged t = ReadTagged(e, ctx, "visibility");
  if (t.tag == "public") {
    out.kind = Visibility::Kind::kPublic;
  } else if (t.tag == "default") {
    out.kind = Visibility::Kind::kDefault;
  } else if (t.tag == "crate") {
    out.kind = Visibility::Kind::kCrate;
  } else if (t.tag == "restricted") {
    out.kind = Visibility::Kind::kRestricted;
    out.restricted_path = Obj::From(t.value, ctx, "restriction").String("path");
  } else if (!t.tag.empty()) {
    ctx.Fail(fmt::format("unknown visibility '{}'", t.tag));
  }
  return out;
}

std::optional<Span> ReadSpan(const Obj& item, ReadContext& ctx) {
  auto e = item.GetOpt("span");
  if (!e) return std::nullopt;
  FieldScope scope(ctx, "span");
  Obj o = Obj::From(*e, ctx, "span");
  Span span;
  span.file = o.String("filename");
  dom::array begin = o.Array("begin");
  if (begin.size() == 2) {
    uint64_t line = 0;
    uint64_t col = 0;
    if (begin.at(0).get_uint64().get(line) != simdjson::SUCCESS ||
        begin.at(1).get_uint64().get(col) != simdjson::SUCCESS) {
      ctx.Fail("expected numbers in span.begin");
    }
    span.line = static_cast<uint32_t>(line);
    // v37 counts columns from 0, later versions from 1.
    span.column = static_cast<uint32_t>(ctx.format_version() < 57 ? col + 1 : col);
  } else {
    ctx.Fail("expected [line, column] in span.begin");
  }
  dom::array end = o.Array("end");
  uint64_t end_line = 0;
  uint64_t end_col = 0;
  if (end.size() == 2 && end.at(0).get_uint64().get(end_line) == simdjson::SUCCESS &&
      end.at(1).get_uint64().get(end_col) == simdjson::SUCCESS) {
    span.end_line = static_cast<uint32_t>(end_line);
    span.end_column = static_cast<uint32_t>(ctx.format_version() < 57 ? end_col + 1 : end_col);
  }
  return span;
}

std::vector<ItemId> ReadOptionalIds(dom::element e, ReadContext& ctx) {
  dom::array a;
  if (e.get_array().get(a) != simdjson::SUCCESS) {
    ctx.Fail("expected array of ids");
    return {};
  }
  return ReadIds(a, ctx);
}

ItemInner ReadStruct(dom::element v, ReadContext& ctx) {
  Struct s;
  Obj o = Obj::From(v, ctx, "struct");
  s.generics = ReadGenerics(o.Get("generics"), ctx);
  s.impls = ReadIds(o.Array("impls"), ctx);
  FieldScope scope(ctx, "kind");
  Tagged kind = ReadTagged(o.Get("kind"), ctx, "struct kind");
  if (kind.tag == "unit") {
    s.kind = Struct::Kind::kUnit;
  } else if (kind.tag == "tuple") {
    s.kind = Struct::Kind::kTuple;
    s.fields = ReadOptionalIds(kind.value, ctx);
    for (ItemId f : s.fields) s.has_stripped_fields |= f == kNoId;
  } else if (kind.tag == "plain") {
    s.kind = Struct::Kind::kPlain;
    Obj p = Obj::From(kind.value, ctx, "plain struct");
    s.fields = ReadIds(p.Array("fields"), ctx);
    s.has_stripped_fields = p.Bool("has_stripped_fields");
  } else if (!kind.tag.empty()) {
    ctx.Fail(fmt::format("unknown struct kind '{}'", kind.tag));
  }
  return s;
}

ItemInner ReadVariant(dom::element v, ReadContext& ctx) {
  Variant out;
  Obj o = Obj::From(v, ctx, "variant");
  Tagged kind = ReadTagged(o.Get("kind"), ctx, "variant kind");
  if (kind.tag == "plain") {
    out.kind = Variant::Kind::kPlain;
  } else if (kind.tag == "tuple") {
    out.kind = Variant::Kind::kTuple;
    out.fields = ReadOptionalIds(kind.value, ctx);
    for (ItemId f : out.fields) out.has_stripped_fields |= f == kNoId;
  } else if (kind.tag == "struct") {
    out.kind = Variant::Kind::kStruct;
    Obj p = Obj::From(kind.value, ctx, "struct variant");
    out.fields = ReadIds(p.Array("fields"), ctx);
    out.has_stripped_fields = p.Bool("has_stripped_fields");
  } else if (!kind.tag.empty()) {
    ctx.Fail(fmt::format("unknown variant kind '{}'", kind.tag));
  }
  if (auto d = o.GetOpt("discriminant")) {
    Obj disc = Obj::From(*d, ctx, "discriminant");
    out.discriminant_expr = std::string(disc.String("expr"));
    out.discriminant_value = std::string(disc.String("value"));
  }
  return out;
}

ItemInner ReadFunction(dom::element v, ReadContext& ctx) {
  Function f;
  Obj o = Obj::From(v, ctx, "function");
  f.sig = ReadSignature(o.Get("sig"), ctx);
  f.generics = ReadGenerics(o.Get("generics"), ctx);
  f.header = ReadHeader(o.Get("header"), ctx);
  f.has_body = o.Bool("has_body", true);
  return f;
}

ItemInner ReadTrait(dom::element v, ReadContext& ctx) {
  Trait t;
  Obj o = Obj::From(v, ctx, "trait");
  t.is_auto = o.Bool("is_auto");
  t.is_unsafe = o.Bool("is_unsafe");
  // Renamed from is_object_safe in format 39 or so; both mean the same.
  t.is_dyn_compatible = o.Has("is_dyn_compatible")
                            ? o.Bool("is_dyn_compatible")
                            : o.Bool("is_object_safe", true);
  t.items = ReadIds(o.Array("items"), ctx);
  t.generics = ReadGenerics(o.Get("generics"), ctx);
  t.bounds = ReadBounds(o.Array("bounds"), ctx);
  t.implementations = ReadIds(o.Array("implementations"), ctx);
  return t;
}

ItemInner ReadImpl(dom::element v, ReadContext& ctx) {
  Impl i;
  Obj o = Obj::From(v, ctx, "impl");
  i.is_unsafe = o.Bool("is_unsafe");
  i.generics = ReadGenerics(o.Get("generics"), ctx);
  i.provided_trait_methods = ReadStrings(o.Array("provided_trait_methods"), ctx);
  if (auto tr = o.GetOpt("trait")) {
    FieldScope scope(ctx, "trait");
    i.trait = ReadPath(*tr, ctx);
  }
  {
    FieldScope scope(ctx, "for");
    i.for_type = ReadType(o.Get("for"), ctx);
  }
  i.items = ReadIds(o.Array("items"), ctx);
  i.is_negative = o.Bool("is_negative");
  i.is_synthetic = o.Bool("is_synthetic");
  if (auto b = o.GetOpt("blanket_impl")) i.blanket_impl = ReadType(*b, ctx);
  return i;
}

ItemInner ReadInner(std::string_view tag, dom::element v, ReadContext& ctx,
                    ItemKind* kind, bool* known) {
  *known = true;
  if (tag == "module") {
    *kind = ItemKind::kModule;
    Module m;
    Obj o = Obj::From(v, ctx, "module");
    m.is_crate = o.Bool("is_crate");
    m.is_stripped = o.Bool("is_stripped");
    m.items = ReadIds(o.Array("items"), ctx);
    return m;
  }
  if (tag == "extern_crate") {
    *kind = ItemKind::kExternCrate;
    Obj o = Obj::From(v, ctx, "extern crate");
    return ExternCrate{std::string(o.String("name")),
                       std::string(o.OptString("rename").value_or(""))};
  }
  if (tag == "use") {
    *kind = ItemKind::kUse;
    Obj o = Obj::From(v, ctx, "use");
    Use u;
    u.source = o.String("source");
    u.name = o.String("name");
    u.target = o.Id("id");
    u.is_glob = o.Bool("is_glob");
    return u;
  }
  if (tag == "union") {
    *kind = ItemKind::kUnion;
    Obj o = Obj::From(v, ctx, "union");
    Union u;
    u.generics = ReadGenerics(o.Get("generics"), ctx);
    u.fields = ReadIds(o.Array("fields"), ctx);
    u.has_stripped_fields = o.Bool("has_stripped_fields");
    u.impls = ReadIds(o.Array("impls"), ctx);
    return u;
  }
  if (tag == "struct") {
    *kind = ItemKind::kStruct;
    return ReadStruct(v, ctx);
  }
  if (tag == "struct_field") {
    *kind = ItemKind::kStructField;
    return StructField{ReadType(v, ctx)};
  }
  if (tag == "enum") {
    *kind = ItemKind::kEnum;
    Obj o = Obj::From(v, ctx, "enum");
    Enum e;
    e.generics = ReadGenerics(o.Get("generics"), ctx);
    e.variants = ReadIds(o.Array("variants"), ctx);
    e.has_stripped_variants = o.Bool("has_stripped_variants");
    e.impls = ReadIds(o.Array("impls"), ctx);
    return e;
  }
  if (tag == "variant") {
    *kind = ItemKind::kVariant;
    return ReadVariant(v, ctx);
  }
  if (tag == "function") {
    *kind = ItemKind::kFunction;
    return ReadFunction(v, ctx);
  }
  if (tag == "trait_alias") {
    *kind = ItemKind::kTraitAlias;
    Obj o = Obj::From(v, ctx, "trait alias");
    return TraitAlias{ReadGenerics(o.Get("generics"), ctx),
                      ReadBounds(o.Array("params"), ctx)};
  }
  if (tag == "trait") {
    *kind = ItemKind::kTrait;
    return ReadTrait(v, ctx);
  }
  if (tag == "impl") {
    *kind = ItemKind::kImpl;
    return ReadImpl(v, ctx);
  }
  if (tag == "type_alias") {
    *kind = ItemKind::kTypeAlias;
    Obj o = Obj::From(v, ctx, "type alias");
    return TypeAlias{ReadType(o.Get("type"), ctx),
                     ReadGenerics(o.Get("generics"), ctx)};
  }
  if (tag == "constant") {
    *kind = ItemKind::kConstant;
    Obj o = Obj::From(v, ctx, "constant");
    Constant c;
    c.type = ReadType(o.Get("type"), ctx);
    Obj k = Obj::From(o.Get("const"), ctx, "constant value");
    c.expr = k.String("expr");
    if (auto val = k.OptString("value")) c.value = std::string(*val);
    c.is_literal = k.Bool("is_literal");
    return c;
  }
  if (tag == "static") {
    *kind = ItemKind::kStatic;
    Obj o = Obj::From(v, ctx, "static");
    Static s;
    s.type = ReadType(o.Get("type"), ctx);
    s.is_mutable = o.Bool("is_mutable");
    s.is_unsafe = o.Bool("is_unsafe");
    s.expr = o.String("expr");
    return s;
  }
  if (tag == "extern_type") {
    *kind = ItemKind::kExternType;
    return ExternType{};
  }
  if (tag == "macro") {
    *kind = ItemKind::kMacro;
    return Macro{std::string(ReadString(v, ctx))};
  }
  if (tag == "proc_macro") {
    *kind = ItemKind::kProcMacro;
    Obj o = Obj::From(v, ctx, "proc macro");
    ProcMacro p;
    std::string_view k = o.String("kind");
    p.kind = k == "attr"     ? ProcMacro::Kind::kAttr
             : k == "derive" ? ProcMacro::Kind::kDerive
                             : ProcMacro::Kind::kBang;
    p.helpers = ReadStrings(o.Array("helpers"), ctx);
    return p;
  }
  if (tag == "primitive") {
    *kind = ItemKind::kPrimitive;
    Obj o = Obj::From(v, ctx, "primitive");
    return Primitive{std::string(o.String("name")), ReadIds(o.Array("impls"), ctx)};
  }
  if (tag == "assoc_const") {
    *kind = ItemKind::kAssocConst;
    Obj o = Obj::From(v, ctx, "associated const");
    AssocConst c;
    c.type = ReadType(o.Get("type"), ctx);
    if (auto val = o.OptString("value")) c.value = std::string(*val);
    return c;
  }
  if (tag == "assoc_type") {
    *kind = ItemKind::kAssocType;
    Obj o = Obj::From(v, ctx, "associated type");
    AssocType a;
    a.generics = ReadGenerics(o.Get("generics"), ctx);
    a.bounds = ReadBounds(o.Array("bounds"), ctx);
    if (auto t = o.GetOpt("type")) a.type = ReadType(*t, ctx);
    return a;
  }
  *known = false;
  return Module{};
}

}  // namespace

Attributes ReadAttributes(dom::array attrs, ReadContext& ctx) {
  Attributes out;
  FieldScope scope(ctx, "attrs");
  for (dom::element a : attrs) {
    std::string_view text;
    if (ctx.format_version() < 57 &&
        a.get_string().get(text) == simdjson::SUCCESS) {
      ReadTextAttribute(text, out);
    } else {
      ReadStructuredAttribute(a, ctx, out);
    }
  }
  return out;
}

Item ReadItem(dom::element e, ReadContext& ctx) {
  Item item;
  Obj o = Obj::From(e, ctx, "item");
  item.id = o.Id("id");
  item.name = o.OptString("name").value_or("");
  ctx.EnterItem(item.id, item.name);
  item.crate_id = static_cast<uint32_t>(o.U64("crate_id"));
  item.span = ReadSpan(o, ctx);
  {
    FieldScope scope(ctx, "visibility");
    item.visibility = ReadVisibility(o.Get("visibility"), ctx);
  }
  item.has_docs = o.OptString("docs").has_value();
  item.attrs = ReadAttributes(o.Array("attrs"), ctx);
  if (auto d = o.GetOpt("deprecation")) {
    FieldScope scope(ctx, "deprecation");
    Obj dep = Obj::From(*d, ctx, "deprecation");
    item.deprecation = Deprecation{std::string(dep.OptString("since").value_or("")),
                                   std::string(dep.OptString("note").value_or(""))};
  }
  FieldScope scope(ctx, "inner");
  Tagged inner = ReadTagged(o.Get("inner"), ctx, "item kind");
  if (inner.tag.empty()) return item;
  FieldScope inner_scope(ctx, inner.tag);
  bool known = false;
  item.inner = ReadInner(inner.tag, inner.value, ctx, &item.kind, &known);
  if (!known) ctx.Fail(fmt::format("unknown item kind '{}'", inner.tag));
  return item;
}

}  // namespace rdylib::read
