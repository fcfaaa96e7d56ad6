// Pinned types: which types are pinned, their fields, and their layouts.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "plan/planner.h"
#include "util/files.h"

namespace rdylib::plan::internal {

void Planner::PlanTypes() {
  for (const auto& [id, path] : api_.canonical_paths) {
    const Item* item = crate_.Find(id);
    if (item == nullptr) continue;
    const model::Generics* generics = nullptr;
    TypePlan t;
    if (const auto* s = item->TryAs<model::Struct>()) {
      generics = &s->generics;
      t.shape = s->kind == model::Struct::Kind::kTuple  ? TypePlan::Shape::kTupleStruct
                : s->kind == model::Struct::Kind::kUnit ? TypePlan::Shape::kUnitStruct
                                                        : TypePlan::Shape::kStruct;
    } else if (const auto* e = item->TryAs<model::Enum>()) {
      generics = &e->generics;
      t.shape = TypePlan::Shape::kEnum;
    } else if (item->kind == ItemKind::kUnion) {
      continue;  // reported by PlanPaths
    } else {
      continue;
    }
    const probe::TypeLayout* layout = layouts_.Find(path);
    if (!OnlyLifetimes(*generics) || layout == nullptr) continue;
    for (const model::GenericParamDef& p : generics->params) t.lifetimes.push_back(p.name);
    if (t.shape == TypePlan::Shape::kEnum && layout->tags.empty()) {
      if (!t.lifetimes.empty()) continue;  // reported by PlanPaths
      if (item->As<model::Enum>().has_stripped_variants) {
        // Its hidden variants cannot be written in the facade: it crosses
        // as an opaque value, like a struct with private fields.
        t.shape = TypePlan::Shape::kStruct;
        t.opaque_enum = true;
      } else {
        t.shape = TypePlan::Shape::kDataEnum;
        t.wire_name = Mangle(Inner(path, crate_.name));
      }
    }
    if (!t.lifetimes.empty()) {
      t.lifetime_params = render_.Params(*generics);
      t.lifetime_args = fmt::format("<{}>", fmt::join(t.lifetimes, ", "));
    }
    t.id = id;
    t.path = path;
    t.module = Parent(path);
    t.name = item->name;
    t.size = layout->size;
    t.align = layout->align;
    t.needs_drop = layout->needs_drop;
    t.freeze = layout->freeze;
    t.non_exhaustive = item->attrs.non_exhaustive;
    for (const probe::VariantTag& v : layout->tags) t.variants.emplace_back(v.variant, v.tag);
    if (t.shape == TypePlan::Shape::kEnum && t.size == 0) ZeroSizedDiscriminants(t, item->As<model::Enum>());
    if (t.shape == TypePlan::Shape::kEnum && t.size > 0) SignedDiscriminants(t, *item);
    plan_.types.push_back(std::move(t));
  }
  std::sort(plan_.types.begin(), plan_.types.end(),
            [](const TypePlan& a, const TypePlan& b) { return a.path < b.path; });
}

void Planner::SignedDiscriminants(TypePlan& t, const Item& item) {
  // The tag's integer type: signed when the library says so (`#[repr(i8)]`)
  // or a discriminant is negative, so that `as` casts agree with it.
  bool is_signed = false;
  for (const char* s : {"i8", "i16", "i32", "i64", "i128", "isize"}) {
    std::string repr = item.attrs.repr;
    for (size_t at = repr.find(s); at != std::string::npos; at = repr.find(s, at + 1)) {
      bool starts = at == 0 || repr[at - 1] == ' ' || repr[at - 1] == ',' || repr[at - 1] == '(';
      size_t end = at + std::string(s).size();
      bool ends = end == repr.size() || repr[end] == ' ' || repr[end] == ',' || repr[end] == ')';
      is_signed |= starts && ends;
    }
  }
  for (ItemId vid : item.As<model::Enum>().variants) {
    const Item* v = crate_.Find(vid);
    if (v == nullptr) continue;
    is_signed |= v->As<model::Variant>().discriminant_value.value_or("").starts_with("-");
  }
  unsigned bits = static_cast<unsigned>(t.size * 8);
  t.tag_repr = fmt::format("{}{}", is_signed ? "i" : "u", bits);
  if (!is_signed || bits > 64) return;  // 128-bit tags stay as measured
  for (auto& [variant, tag] : t.variants) {
    uint64_t value = 0;
    auto [end, ec] = std::from_chars(tag.data(), tag.data() + tag.size(), value);
    if (ec != std::errc() || bits == 0) continue;
    if (bits < 64 && (value >> (bits - 1)) & 1) {
      tag = std::to_string(static_cast<int64_t>(value) - (int64_t{1} << bits));
    } else if (bits == 64) {
      tag = std::to_string(static_cast<int64_t>(value));
    }
  }
}

void Planner::ZeroSizedDiscriminants(TypePlan& t, const model::Enum& e) {
  // One variant and no repr: the value has no bytes, so the measured tag
  // says nothing. `as` casts see the discriminant as written, if any.
  for (auto& [variant, tag] : t.variants) {
    tag.clear();
    for (ItemId vid : e.variants) {
      const Item* v = crate_.Find(vid);
      if (v == nullptr || v->name != variant) continue;
      tag = v->As<model::Variant>().discriminant_value.value_or("");
    }
  }
}

void Planner::PlanTypeDetails() {
  PlanTypeDetailsOnce();
  // A data enum whose variant names a data enum found unsupported later in
  // the pass (in path order) cannot cross either: repeat until none changes.
  for (bool changed = true; changed;) {
    changed = false;
    for (TypePlan& t : plan_.types) {
      if (t.shape != TypePlan::Shape::kDataEnum || !t.supported) continue;
      std::string why = UnsupportedVariantType(t);
      if (why.empty()) continue;
      t.supported = false;
      changed = true;
      for (ItemStatus& st : plan_.statuses) {
        if (st.path == t.path && st.kind == "enum") {
          st.status = "unsupported";
          st.reason = why;
        } else if ((st.kind == "variant" || st.kind == "variant_field") && st.path.starts_with(t.path + "::")) {
          st.status = "unsupported";
          st.reason = "its enum does not cross";
        }
      }
    }
  }
}

std::string Planner::UnsupportedVariantType(const TypePlan& t) const {
  for (const VariantPlan& v : t.data_variants) {
    for (const VariantField& f : v.fields) {
      auto it = pinned_.find(f.value.type_id);
      if (it != pinned_.end() && !plan_.types[it->second].supported) {
        return fmt::format("variant {}: {} does not cross", v.name, plan_.types[it->second].path);
      }
    }
  }
  return "";
}

void Planner::PlanTypeDetailsOnce() {
  for (TypePlan& t : plan_.types) {
    const Item& item = *crate_.Find(t.id);
    const probe::TypeLayout& layout = *layouts_.Find(t.path);
    const std::vector<ItemId>* impls = nullptr;
    if (const auto* s = item.TryAs<model::Struct>()) {
      impls = &s->impls;
      t.all_fields_cross = !s->has_stripped_fields;
      for (size_t i = 0; i < s->fields.size(); ++i) {
        const Item* f = crate_.Find(s->fields[i]);
        if (f == nullptr) continue;
        std::string name = t.shape == TypePlan::Shape::kTupleStruct ? std::to_string(i) : f->name;
        PlanField(t, layout, name, f->As<model::StructField>().type);
      }
      std::sort(t.fields.begin(), t.fields.end(),
                [](const FieldPlan& a, const FieldPlan& b) { return a.offset < b.offset; });
      t.natural_layout = t.all_fields_cross && NaturalLayout(t);
      if (t.all_fields_cross) Status("struct", t.path, "exported");
      else Status("struct", t.path, "exported", "private fields are opaque bytes");
    } else if (t.shape == TypePlan::Shape::kDataEnum) {
      impls = &item.As<model::Enum>().impls;
      std::string why = PlanVariants(t, item.As<model::Enum>());
      if (!why.empty()) {
        t.supported = false;
        Status("enum", t.path, "unsupported", why);
        continue;
      }
      Status("enum", t.path, "converted",
             t.data_variants.empty()
                 ? "an enum without variants: the facade has its own; no value of it exists"
                 : "an enum with data: the facade has its own enum; values cross as a wire form");
    } else if (t.opaque_enum) {
      impls = &item.As<model::Enum>().impls;
      Status("enum", t.path, "converted",
             "it has hidden variants, so it crosses as an opaque value: its variants cannot be "
             "built or matched in the facade");
      for (ItemId vid : item.As<model::Enum>().variants) {
        const Item* v = crate_.Find(vid);
        if (v == nullptr) continue;
        const char* why = "its enum crosses as an opaque value (it has hidden variants)";
        Status("variant", t.path + "::" + v->name, "unsupported", why);
        const auto& var = v->As<model::Variant>();
        for (size_t i = 0; i < var.fields.size(); ++i) {
          const Item* f = crate_.Find(var.fields[i]);
          if (f == nullptr) continue;
          std::string name = var.kind == model::Variant::Kind::kTuple ? std::to_string(i) : f->name;
          Status("variant_field", t.path + "::" + v->name + "::" + name, "unsupported", why);
        }
      }
    } else {
      impls = &item.As<model::Enum>().impls;
      Status("enum", t.path, "exported");
    }
    PlanImpls(t, *impls);
    if (item.deprecation) t.attrs += "#[deprecated]\n";
    if (item.attrs.must_use) t.attrs += "#[must_use]\n";
  }
}

std::string Planner::PlanVariants(TypePlan& t, const model::Enum& e) {
  if (e.has_stripped_variants) return "some variants are hidden";
  for (ItemId id : e.impls) {
    const Item* impl = crate_.Find(id);
    if (impl != nullptr && impl->As<model::Impl>().trait &&
        api_render_.PathName(*impl->As<model::Impl>().trait) == "core::ops::drop::Drop") {
      // Its wire form moves the fields out of the value, which Rust forbids
      // for a type with its own Drop.
      return "an enum with data that implements Drop: its fields cannot be moved into a wire form";
    }
  }
  for (ItemId vid : e.variants) {
    const Item* v = crate_.Find(vid);
    if (v == nullptr) return "a variant is missing from rustdoc's output";
    const auto& var = v->As<model::Variant>();
    if (var.has_stripped_fields) return "variant " + v->name + " has private fields";
    VariantPlan vp;
    vp.name = v->name;
    vp.kind = var.kind == model::Variant::Kind::kTuple    ? VariantPlan::Kind::kTuple
              : var.kind == model::Variant::Kind::kStruct ? VariantPlan::Kind::kStruct
                                                          : VariantPlan::Kind::kPlain;
    for (size_t i = 0; i < var.fields.size(); ++i) {
      const Item* f = crate_.Find(var.fields[i]);
      if (f == nullptr) return "a variant field is missing from rustdoc's output";
      VariantField vf;
      vf.name = vp.kind == VariantPlan::Kind::kTuple ? std::to_string(i) : f->name;
      std::string reason;
      const model::Type& type = f->As<model::StructField>().type;
      if (!Classify(type, false, *this, &vf.value, &reason)) {
        return fmt::format("variant {}: {}", v->name, reason);
      }
      using K = AbiValue::Kind;
      K k = vf.value.kind;
      if (k == K::kString) {
        // A String field crosses as a WireOwnedString: its buffer follows
        // the allocator verdict.
      } else if (k != K::kScalar && k != K::kChar && k != K::kValue && k != K::kEnum) {
        return fmt::format("variant {}: this field type does not cross yet", v->name);
      }
      vp.fields.push_back(std::move(vf));
    }
    t.data_variants.push_back(std::move(vp));
  }
  // Only once every variant crosses: a later one that does not fails the
  // whole enum, and its variants with it (PlanPaths reports them).
  for (const VariantPlan& vp : t.data_variants) Status("variant", t.path + "::" + vp.name, "converted");
  return "";
}

void Planner::PlanField(TypePlan& t, const probe::TypeLayout& layout, const std::string& name,
                        const model::Type& type) {
  std::string path = t.path + "::" + name;
  auto measured = std::find_if(layout.fields.begin(), layout.fields.end(),
                               [&](const probe::FieldOffset& f) { return f.name == name; });
  AbiValue v;
  std::string reason;
  uint64_t size = 0;
  uint64_t align = 1;
  if (Classify(type, false, *this, &v, &reason)) ValueSizeAlign(type, v, &size, &align);
  std::string facade_type;
  std::vector<std::string> facts;
  std::vector<std::pair<std::string, uint64_t>> parts;
  if (size == 0 && TupleField(type, name, layout, &facade_type, &size, &align, &parts)) {
    reason.clear();
  }
  bool reference = false;
  if (size == 0 && RefField(type, &facade_type, &size, &facts)) {
    reason.clear();
    reference = true;
    align = 8;  // a pointer first or second: pointer-aligned either way
  }
  if (size == 0) {
    // std types whose layout the facade re-checks at first use.
    if (StdField(type, &facade_type, &size, &facts)) {
      reason.clear();
      align = 8;  // every std type the facts cover is pointer-aligned
    }
  }
  if (size == 0 || measured == layout.fields.end()) {
    t.all_fields_cross = false;
    Status("field", path, "unsupported",
           reason.empty() ? "fields of this type are opaque bytes in the facade" : reason);
    return;
  }
  bool needs_drop = !reference && facade_type.find("alloc::") != std::string::npos;
  if (reference) {
    Status("field", path, "exported",
           facts.empty() ? "a reference: a pointer to memory both sides share"
                         : "a reference: pointer and length, in the order measured for this "
                           "toolchain (checked at first use)");
  } else if (!parts.empty()) {
    Status("field", path, "exported",
           "a tuple: the facade's compiler must lay it out as the library's did (checked when "
           "the facade compiles)");
  } else if (facade_type.empty()) {
    facade_type = v.kind == AbiValue::Kind::kValue ? v.facade_type
                  : v.kind == AbiValue::Kind::kChar ? "char"
                                                    : v.scalar;
    if (v.kind == AbiValue::Kind::kValue) needs_drop = ValueNeedsDrop(type);
    Status("field", path, "exported");
  } else {
    Status("field", path, "exported",
           "a std type: its layout is checked at first use; its buffer is shared, so the facade "
             "loads only when both sides use the System allocator");
  }
  FieldPlan field;
  field.name = name;
  field.offset = measured->offset;
  field.size = size;
  field.align = align;
  field.facade_type = facade_type;
  field.needs_drop = needs_drop;
  field.status = plan_.statuses.size() - 1;
  field.parts = std::move(parts);
  CollectPinned(type, &field.mentions);
  for (const std::string& fact : facts) plan_.std_facts.emplace_back(fact, path);
  t.fields.push_back(std::move(field));
}

bool Planner::RefField(const model::Type& type, std::string* facade_type, uint64_t* size,
                       std::vector<std::string>* facts) {
  if (type.kind != model::Type::Kind::kBorrowedRef || type.is_mutable || type.lifetime.empty() ||
      type.elems.size() != 1) {
    return false;
  }
  const model::Type& inner = type.elems[0];
  auto fat = [&](const char* fact, std::string text) {
    const probe::StdFact* f = layouts_.FindStd(fact);
    if (f == nullptr) return false;
    facts->push_back(fact);
    *facade_type = fmt::format("&{} {}", type.lifetime, text);
    *size = f->size;
    return true;
  };
  // The pointee's facade type: a primitive, char or a pinned type.
  auto pointee = [&](const model::Type& t, std::string* text) {
    AbiValue v;
    std::string reason;
    if (!Classify(t, false, *this, &v, &reason)) return false;
    if (v.kind == AbiValue::Kind::kScalar) *text = v.scalar;
    else if (v.kind == AbiValue::Kind::kChar) *text = "char";
    else if (v.kind == AbiValue::Kind::kValue && v.facade_type.find('\'') == std::string::npos) {
      *text = v.facade_type;  // types with lifetimes of their own: not yet
    } else {
      return false;
    }
    return true;
  };
  if (inner.kind == model::Type::Kind::kPrimitive && inner.name == "str") return fat("&str", "str");
  std::string text;
  if (inner.kind == model::Type::Kind::kSlice && inner.elems.size() == 1 &&
      pointee(inner.elems[0], &text)) {
    return fat("&[u64]", "[" + text + "]");
  }
  if (inner.kind != model::Type::Kind::kSlice && pointee(inner, &text)) {
    *facade_type = fmt::format("&{} {}", type.lifetime, text);
    *size = 8;  // a reference to a sized type is a pointer
    return true;
  }
  return false;
}

bool Planner::TupleField(const model::Type& type, const std::string& name, const probe::TypeLayout& layout,
                         std::string* facade_type, uint64_t* size, uint64_t* align,
                         std::vector<std::pair<std::string, uint64_t>>* parts) {
  if (type.kind != model::Type::Kind::kTuple || type.elems.size() < 2) return false;
  auto measured = [&](const std::string& n) -> const probe::FieldOffset* {
    for (const probe::FieldOffset& f : layout.fields) {
      if (f.name == n) return &f;
    }
    return nullptr;
  };
  const probe::FieldOffset* total = measured(name + "#size");
  if (total == nullptr) return false;
  std::vector<std::string> names;
  uint64_t max_align = 1;
  for (size_t k = 0; k < type.elems.size(); ++k) {
    const model::Type& e = type.elems[k];
    uint64_t n = ScalarSize(e.name);
    const probe::FieldOffset* at = measured(fmt::format("{}.{}", name, k));
    if (e.kind != model::Type::Kind::kPrimitive || n == 0 || at == nullptr) return false;
    names.push_back(e.name);
    max_align = std::max(max_align, n);
    parts->emplace_back(fmt::format("{}.{}", name, k), at->offset);
  }
  *facade_type = fmt::format("({})", fmt::join(names, ", "));
  *size = total->offset;
  *align = max_align;
  return true;
}

void Planner::ValueSizeAlign(const model::Type& type, const AbiValue& v, uint64_t* size,
                             uint64_t* align) const {
  *size = 0;
  *align = 1;
  if (v.kind == AbiValue::Kind::kScalar) *size = *align = ScalarSize(v.scalar);
  if (v.kind == AbiValue::Kind::kChar) *size = *align = 4;
  if (v.kind != AbiValue::Kind::kValue) return;
  if (type.kind == model::Type::Kind::kArray) {
    AbiValue elem;
    std::string ignored;
    if (!Classify(type.elems[0], false, *this, &elem, &ignored)) return;
    uint64_t len = 0;
    const std::string& text = type.array_len;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), len);
    if (ec != std::errc() || end != text.data() + text.size()) return;  // e.g. `N`
    ValueSizeAlign(type.elems[0], elem, size, align);
    *size *= len;
    return;
  }
  auto it = pinned_.find(type.path.id);
  if (const ForeignType* f = Foreign(type.path.id); f && !f->is_enum && it == pinned_.end()) {
    *size = f->size;
    *align = f->align;
    return;
  }
  if (it == pinned_.end()) return;
  *size = plan_.types[it->second].size;
  *align = plan_.types[it->second].align;
}

bool Planner::ValueNeedsDrop(const model::Type& type) const {
  if (type.kind == model::Type::Kind::kArray) return ValueNeedsDrop(type.elems[0]);
  auto it = pinned_.find(type.path.id);
  if (const ForeignType* f = Foreign(type.path.id); f && it == pinned_.end()) return f->needs_drop;
  return it != pinned_.end() && plan_.types[it->second].needs_drop;
}

bool Planner::NaturalLayout(const TypePlan& t) {
  uint64_t at = 0;
  uint64_t max_align = 1;
  for (const FieldPlan& f : t.fields) {
    at = (at + f.align - 1) / f.align * f.align;
    if (at != f.offset) return false;
    at += f.size;
    max_align = std::max(max_align, f.align);
  }
  return max_align == t.align && (at + t.align - 1) / t.align * t.align == t.size;
}

bool Planner::StdField(const model::Type& type, std::string* facade_type, uint64_t* size,
                       std::vector<std::string>* facts) {
  if (type.kind != model::Type::Kind::kResolvedPath) return false;
  const model::ItemSummary* s = crate_.FindPath(type.path.id);
  if (s == nullptr) return false;
  std::string full = s->Joined();
  const model::GenericArgs* args = type.path.args.get();
  // The size of a std type from its measured fact, which the facade then
  // relies on and checks at load.
  auto fact_size = [&](const char* fact) {
    const probe::StdFact* f = layouts_.FindStd(fact);
    facts->push_back(fact);
    return f ? f->size : 0;
  };
  if (full == "alloc::string::String" && args == nullptr) {
    *facade_type = "alloc::string::String";
    *size = fact_size("String");
    return *size != 0;
  }
  if (args == nullptr || args->args.size() != 1 || !args->args[0].type) return false;
  const model::Type& inner = *args->args[0].type;
  AbiValue v;
  std::string reason;
  if (!Classify(inner, false, *this, &v, &reason)) return false;
  if (full == "alloc::vec::Vec" && (v.kind == AbiValue::Kind::kValue || v.kind == AbiValue::Kind::kScalar ||
                                    v.kind == AbiValue::Kind::kString)) {
    // Vec<T>'s layout does not depend on T; String's is a fact of its own.
    std::string elem = v.kind == AbiValue::Kind::kValue    ? v.facade_type
                       : v.kind == AbiValue::Kind::kString ? "alloc::string::String"
                                                           : v.scalar;
    *facade_type = "alloc::vec::Vec<" + elem + ">";
    if (v.kind == AbiValue::Kind::kString) facts->push_back("String");  // the elements' layout
    *size = fact_size("Vec<u64>");
    return *size != 0;
  }
  if (full == "core::option::Option" && v.kind == AbiValue::Kind::kString) {
    *facade_type = "core::option::Option<alloc::string::String>";
    facts->push_back("String");
    *size = fact_size("Option<String>");
    return *size != 0;
  }
  // Box<T> of a sized T is one pointer, and Option<Box<T>> the same with
  // None as null: both guaranteed by std, so no fact is needed.
  auto boxed = [](const AbiValue& b) {
    const AbiValue& e = b.children[0];
    return "alloc::boxed::Box<" + (e.kind == AbiValue::Kind::kValue ? e.facade_type : e.scalar) + ">";
  };
  if (full == "alloc::boxed::Box" && (v.kind == AbiValue::Kind::kValue || v.kind == AbiValue::Kind::kScalar)) {
    AbiValue b;
    b.children = {v};
    *facade_type = boxed(b);
    *size = 8;
    return true;
  }
  if (full == "core::option::Option" && v.kind == AbiValue::Kind::kBox) {
    *facade_type = "core::option::Option<" + boxed(v) + ">";
    *size = 8;
    return true;
  }
  if (full == "core::option::Option" && v.kind == AbiValue::Kind::kScalar &&
      (v.scalar == "u64" || v.scalar == "i64")) {
    *facade_type = "core::option::Option<" + v.scalar + ">";
    *size = fact_size("Option<u64>");
    return *size != 0;
  }
  return false;
}

void Planner::CollectPinned(const model::Type& t, std::vector<ItemId>* out) const {
  if (t.kind == model::Type::Kind::kResolvedPath && (pinned_.count(t.path.id) || Foreign(t.path.id))) {
    out->push_back(t.path.id);
  }
  for (const model::Type& e : t.elems) CollectPinned(e, out);
  if (t.path.args) {
    for (const model::GenericArg& a : t.path.args->args) {
      if (a.type) CollectPinned(*a.type, out);
    }
  }
}

}  // namespace rdylib::plan::internal
