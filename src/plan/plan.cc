// The plan stage.
#include "plan/plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <sstream>

#include "api/type_render.h"
#include "util/files.h"

namespace rdylib::plan {
namespace {

using model::Item;
using model::ItemId;
using model::ItemKind;

// "engine::math::Vec3" -> "math::Vec3" (the path inside the crate).
std::string Inner(const std::string& path, const std::string& crate) {
  return path.size() > crate.size() ? path.substr(crate.size() + 2) : "";
}

std::string Parent(const std::string& path) {
  size_t p = path.rfind("::");
  return p == std::string::npos ? "" : path.substr(0, p);
}

// The last segment of a `::` path.
std::string Last(const std::string& path) {
  size_t at = path.rfind("::");
  return at == std::string::npos ? path : path.substr(at + 2);
}

}  // namespace

std::string StaticLifetimes(const TypePlan& t) {
  if (t.lifetimes.empty()) return "";
  std::vector<std::string> statics(t.lifetimes.size(), "'static");
  return fmt::format("<{}>", fmt::join(statics, ", "));
}

namespace {

std::string Mangle(const std::string& path) {
  std::string out;
  for (char c : path) out += (c == ':') ? '_' : c;
  return out;
}

uint64_t ScalarSize(const std::string& s) {
  static const std::map<std::string, uint64_t> kSizes = {
      {"i8", 1}, {"u8", 1}, {"bool", 1}, {"i16", 2}, {"u16", 2}, {"i32", 4},
      {"u32", 4}, {"f32", 4}, {"char", 4}, {"i64", 8}, {"u64", 8}, {"f64", 8},
      {"isize", 8}, {"usize", 8}, {"i128", 16}, {"u128", 16}};
  auto it = kSizes.find(s);
  return it == kSizes.end() ? 0 : it->second;
}

class Planner : public TypeNamer {
 public:
  Planner(const model::Crate& crate, const api::PublicApi& api, const probe::Layouts& layouts)
      : crate_(crate),
        api_(api),
        layouts_(layouts),
        render_(crate, &facade_paths_),
        api_render_(crate, &api.canonical_paths) {
    // The facade may define its own Result or Option: name std's in full.
    render_.set_full_std_paths(true);
  }

  Plan Run() {
    plan_.crate_name = crate_.name;
    plan_.crate_version = crate_.crate_version;
    plan_.rustc_version = layouts_.rustc_version;
    for (const auto& [id, path] : api_.canonical_paths) {
      facade_paths_[id] = "crate" + path.substr(crate_.name.size());
    }
    PlanTypes();
    for (const TypePlan& t : plan_.types) pinned_[t.id] = &t - plan_.types.data();
    PlanTypeDetails();
    PlanFunctions();
    PlanTraitMethodImpls();
    PlanFromImpls();
    PlanConsts();
    PlanStatics();
    PlanMacrosAndAliases();
    PlanPaths();
    std::sort(plan_.statuses.begin(), plan_.statuses.end(),
              [](const ItemStatus& a, const ItemStatus& b) {
                return std::tie(a.path, a.kind) < std::tie(b.path, b.kind);
              });
    return std::move(plan_);
  }

  std::string ShimName(ItemId id) const override {
    auto it = pinned_.find(id);
    if (it == pinned_.end() || !plan_.types[it->second].supported) return "";
    return "target_crate::" + Inner(plan_.types[it->second].path, crate_.name) +
           StaticLifetimes(plan_.types[it->second]);
  }
  std::string EnumWireName(ItemId id) const override {
    auto it = pinned_.find(id);
    if (it == pinned_.end()) return "";
    const TypePlan& t = plan_.types[it->second];
    return t.shape == TypePlan::Shape::kDataEnum && t.supported ? t.wire_name : "";
  }
  std::string FacadeName(ItemId id) const override {
    auto it = pinned_.find(id);
    if (it == pinned_.end() || !plan_.types[it->second].supported) return "";
    return "crate::" + Inner(plan_.types[it->second].path, crate_.name);
  }

 private:
  void Status(const std::string& kind, const std::string& path, const std::string& status,
              const std::string& reason = "") {
    plan_.statuses.push_back({kind, path, status, reason});
  }

  // Pass 1: which types are pinned (measured, not generic).
  void PlanTypes() {
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
      bool only_lifetimes = true;
      for (const model::GenericParamDef& p : generics->params) {
        if (p.kind != model::GenericParamDef::Kind::kLifetime) only_lifetimes = false;
        else t.lifetimes.push_back(p.name);
      }
      if (!only_lifetimes || layout == nullptr) continue;
      if (t.shape == TypePlan::Shape::kEnum && layout->tags.empty()) {
        if (!t.lifetimes.empty()) continue;  // reported by PlanPaths
        t.shape = TypePlan::Shape::kDataEnum;
        t.wire_name = Mangle(Inner(path, crate_.name));
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
      t.non_exhaustive = item->attrs.non_exhaustive;
      for (const probe::VariantTag& v : layout->tags) t.variants.emplace_back(v.variant, v.tag);
      plan_.types.push_back(std::move(t));
    }
    std::sort(plan_.types.begin(), plan_.types.end(),
              [](const TypePlan& a, const TypePlan& b) { return a.path < b.path; });
  }

  // Pass 2: fields, traits and auto traits, now that every pinned type is known.
  void PlanTypeDetails() {
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
               "an enum with data: the facade has its own enum; values cross as a wire form");
      } else {
        impls = &item.As<model::Enum>().impls;
        Status("enum", t.path, "exported");
      }
      PlanImpls(t, *impls);
      if (item.deprecation) t.attrs += "#[deprecated]\n";
      if (item.attrs.must_use) t.attrs += "#[must_use]\n";
    }
  }

  // The variants of an enum with data; the reason when one cannot cross.
  std::string PlanVariants(TypePlan& t, const model::Enum& e) {
    if (e.has_stripped_variants) return "some variants are hidden";
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
          // A String field: same bytes on both sides (checked by the std facts).
        } else if (k != K::kScalar && k != K::kChar && k != K::kValue && k != K::kEnum) {
          return fmt::format("variant {}: this field type does not cross yet", v->name);
        }
        vp.fields.push_back(std::move(vf));
      }
      t.data_variants.push_back(std::move(vp));
      Status("variant", t.path + "::" + v->name, "converted");
    }
    return "";
  }

  void PlanField(TypePlan& t, const probe::TypeLayout& layout, const std::string& name,
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
    std::vector<std::pair<std::string, uint64_t>> parts;
    if (size == 0 && TupleField(type, name, layout, &facade_type, &size, &align, &parts)) {
      reason.clear();
    }
    if (size == 0) {
      // std types whose layout the facade re-checks at first use.
      if (StdField(type, &facade_type, &size)) {
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
    bool needs_drop = facade_type.find("alloc::") != std::string::npos;
    if (!parts.empty()) {
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
             "a std type: its layout is checked again at first use; an owned buffer is freed by "
             "whichever side drops it, so both must use the default global allocator");
    }
    t.fields.push_back(
        {name, measured->offset, size, align, facade_type, needs_drop, plan_.statuses.size() - 1});
    for (auto& [part, offset] : parts) t.fields.back().parts.emplace_back(part, offset);
  }

  // A field whose type is a tuple of primitives: its type, measured size,
  // alignment and the measured offsets of its parts within the struct.
  static bool TupleField(const model::Type& type, const std::string& name, const probe::TypeLayout& layout,
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

  // The size and alignment of a field that crosses as bytes: a scalar, a
  // char, a pinned type or an array of those. Size 0 when unknown.
  void ValueSizeAlign(const model::Type& type, const AbiValue& v, uint64_t* size,
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
    if (it == pinned_.end()) return;
    *size = plan_.types[it->second].size;
    *align = plan_.types[it->second].align;
  }

  bool ValueNeedsDrop(const model::Type& type) const {
    if (type.kind == model::Type::Kind::kArray) return ValueNeedsDrop(type.elems[0]);
    auto it = pinned_.find(type.path.id);
    return it != pinned_.end() && plan_.types[it->second].needs_drop;
  }

  static bool NaturalLayout(const TypePlan& t) {
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

  // String, Vec<T> of scalars or pinned types, and Option<u64>/Option<i64>:
  // std types whose measured facts (String, Vec<u64>, Option<u64>) cover them.
  bool StdField(const model::Type& type, std::string* facade_type, uint64_t* size) {
    if (type.kind != model::Type::Kind::kResolvedPath) return false;
    const model::ItemSummary* s = crate_.FindPath(type.path.id);
    if (s == nullptr) return false;
    std::string full = s->Joined();
    const model::GenericArgs* args = type.path.args.get();
    auto fact_size = [&](const char* fact) {
      const probe::StdFact* f = layouts_.FindStd(fact);
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
      *size = fact_size("Vec<u64>");
      return *size != 0;
    }
    if (full == "core::option::Option" && v.kind == AbiValue::Kind::kString) {
      *facade_type = "core::option::Option<alloc::string::String>";
      *size = fact_size("Option<String>");
      return *size != 0;
    }
    if (full == "core::option::Option" && v.kind == AbiValue::Kind::kScalar &&
        (v.scalar == "u64" || v.scalar == "i64")) {
      *facade_type = "core::option::Option<" + v.scalar + ">";
      *size = fact_size("Option<u64>");
      return *size != 0;
    }
    return false;
  }

  void PlanImpls(TypePlan& t, const std::vector<ItemId>& impls) {
    static const std::map<std::string, std::string> kForwarded = {
        {"core::clone::Clone", "Clone"},   {"core::marker::Copy", "Copy"},
        {"core::fmt::Debug", "Debug"},     {"core::fmt::Display", "Display"},
        {"core::cmp::PartialEq", "PartialEq"}, {"core::cmp::Eq", "Eq"},
        {"core::cmp::PartialOrd", "PartialOrd"}, {"core::cmp::Ord", "Ord"},
        {"core::hash::Hash", "Hash"},      {"core::default::Default", "Default"},
        {"core::error::Error", "Error"}};

    bool send = false;
    bool sync = false;
    bool explicit_drop = false;
    // A PartialEq the library derives, on a type whose every byte is a public
    // field, is derived by the facade too: then its constants work as patterns.
    bool derive_eq = false;
    if (t.shape != TypePlan::Shape::kDataEnum &&
        (t.shape == TypePlan::Shape::kEnum || (t.all_fields_cross && t.natural_layout))) {
      for (ItemId id : impls) {
        const Item* item = crate_.Find(id);
        if (item == nullptr || !item->As<model::Impl>().trait) continue;
        derive_eq |= api_render_.PathName(*item->As<model::Impl>().trait) ==
                     "core::marker::StructuralPartialEq";
      }
    }
    for (ItemId id : impls) {
      const Item* item = crate_.Find(id);
      if (item == nullptr) continue;
      const auto& impl = item->As<model::Impl>();
      if (!impl.trait) continue;
      std::string trait = api_render_.PathName(*impl.trait);
      if (trait == "core::ops::drop::Drop") explicit_drop = true;
      if (impl.is_synthetic) {
        if (trait == "core::marker::Send") send = !impl.is_negative;
        if (trait == "core::marker::Sync") sync = !impl.is_negative;
        continue;
      }
      if (impl.blanket_impl) continue;
      std::string impl_path = TraitImplPath(t.path, impl);
      bool lifetimes_only = std::all_of(impl.generics.params.begin(), impl.generics.params.end(),
                                        [](const model::GenericParamDef& p) {
                                          return p.kind == model::GenericParamDef::Kind::kLifetime;
                                        });
      if (ForwardedTraits().count(trait) && lifetimes_only) {
        trait_method_impls_.emplace_back(id, static_cast<int>(&t - plan_.types.data()));
        continue;  // planned with the functions
      }
      if (trait == "core::ops::drop::Drop") {
        Status("impl", impl_path, "exported", "the facade's drop runs the library's");
        continue;
      }
      if (t.shape == TypePlan::Shape::kDataEnum) {
        PlanDataEnumImpl(t, *item, trait, impl_path);
        continue;
      }
      if ((trait == "core::convert::From" || trait == "core::str::traits::FromStr") &&
          impl.generics.params.empty()) {
        from_impls_.insert(id);  // planned with the functions
        continue;
      }
      if (derive_eq && trait == "core::marker::StructuralPartialEq") {
        Status("impl", impl_path, "exported", "comes with the facade's derived PartialEq");
        continue;
      }
      if (derive_eq && trait == "core::cmp::PartialEq" && item->attrs.automatically_derived) {
        t.derives.push_back("PartialEq");
        Status("impl", impl_path, "exported", "derived by the facade, as by the library");
        continue;
      }
      auto it = kForwarded.find(trait);
      if (it == kForwarded.end()) {
        Status("impl", impl_path, "unsupported",
               trait == "core::marker::StructuralPartialEq"
                   ? "compiler-internal marker: constants of the facade type cannot be used as patterns"
                   : "this trait is not forwarded yet");
        continue;
      }
      bool only_lifetimes = std::all_of(impl.generics.params.begin(), impl.generics.params.end(),
                                        [](const model::GenericParamDef& p) {
                                          return p.kind == model::GenericParamDef::Kind::kLifetime;
                                        });
      if (impl.trait->args || !only_lifetimes) {
        Status("impl", impl_path, "unsupported", "trait impls with generic arguments are not forwarded yet");
        continue;
      }
      if (it->second == "Error" && !PlanErrorSource(t, impl, impl_path)) continue;
      if (it->second == "Copy") t.is_copy = true;
      t.traits.push_back(it->second);
      if (it->second == "Debug" || it->second == "Display") {
        Status("impl", impl_path, "converted", "formatted by the library with the caller's flags, then copied");
      } else if (it->second == "Error" && t.error_source) {
        Status("impl", impl_path, "converted", "source() is the library's source chain, copied as text");
      } else {
        Status("impl", impl_path, "exported");
      }
    }
    std::sort(t.traits.begin(), t.traits.end());
    std::sort(t.derives.begin(), t.derives.end());
    if (t.shape == TypePlan::Shape::kDataEnum) {
      // The facade's own enum drops its own fields, and has the auto traits
      // its fields give it.
      t.marker.clear();
      return;
    }
    t.forward_drop = t.needs_drop && (explicit_drop || !t.all_fields_cross);
    if (t.forward_drop) {
      // The library's drop frees these fields; the facade must not drop them
      // again: std ones are emptied after it, others stay opaque bytes.
      std::erase_if(t.fields, [&](FieldPlan& f) {
        if (!f.needs_drop) return false;
        if (f.facade_type.starts_with("alloc::") ||
            f.facade_type == "core::option::Option<alloc::string::String>") {
          // Vec<T> -> Vec::<T>::new(): a type in expression position.
          std::string ty = f.facade_type;
          if (size_t lt = ty.find('<'); lt != std::string::npos) ty.insert(lt, "::");
          f.emptied = ty.starts_with("core::option::") ? "None" : ty + "::new()";
          return false;
        }
        plan_.statuses[f.status].status = "unsupported";
        plan_.statuses[f.status].reason =
            "owned by a type whose drop runs in the library: not exposed as a field yet";
        return true;
      });
      t.all_fields_cross = false;
      t.natural_layout = false;
    }
    // An opaque image of bytes is Send and Sync; take away what the library
    // type does not have.
    if (!send && !sync) t.marker = "core::marker::PhantomData<*mut ()>";
    else if (!send) t.marker = "core::marker::PhantomData<std::sync::MutexGuard<'static, ()>>";
    else if (!sync) t.marker = "core::marker::PhantomData<core::cell::Cell<()>>";
  }

  // An enum with data derives what the library derives; Display, Debug and
  // Error written by hand are forwarded through a borrowed wire view.
  void PlanDataEnumImpl(TypePlan& t, const Item& item, const std::string& trait,
                        const std::string& impl_path) {
    static const std::map<std::string, std::string> kDerivable = {
        {"core::clone::Clone", "Clone"},     {"core::marker::Copy", "Copy"},
        {"core::fmt::Debug", "Debug"},       {"core::cmp::PartialEq", "PartialEq"},
        {"core::cmp::Eq", "Eq"},             {"core::hash::Hash", "Hash"},
        {"core::cmp::PartialOrd", "PartialOrd"}, {"core::cmp::Ord", "Ord"}};
    auto d = kDerivable.find(trait);
    if (item.attrs.automatically_derived && d != kDerivable.end()) {
      t.derives.push_back(d->second);
      Status("impl", impl_path, "exported", "derived by the facade, as by the library");
      return;
    }
    if (trait == "core::marker::StructuralPartialEq") {
      Status("impl", impl_path, "exported", "comes with the facade's derived PartialEq");
      return;
    }
    const auto& impl = item.As<model::Impl>();
    if (trait == "core::fmt::Display" || trait == "core::fmt::Debug") {
      t.traits.push_back(trait == "core::fmt::Display" ? "Display" : "Debug");
      Status("impl", impl_path, "converted", "formatted by the library from a borrowed wire view");
      return;
    }
    if (trait == "core::error::Error") {
      PlanErrorSource(t, impl, impl_path);
      t.traits.push_back("Error");
      Status("impl", impl_path, t.error_source ? "converted" : "exported",
             t.error_source ? "source() is the library's source chain, copied as text" : "");
      return;
    }
    Status("impl", impl_path, "unsupported", "this trait is not forwarded for enums with data yet");
  }

  // Error: forwarded; a source() written by the library is forwarded too.
  bool PlanErrorSource(TypePlan& t, const model::Impl& impl, const std::string& impl_path) {
    (void)impl_path;
    for (ItemId m : impl.items) {
      const Item* mi = crate_.Find(m);
      if (mi != nullptr && mi->name == "source") t.error_source = true;
    }
    return true;
  }

  void PlanFunctions() {
    for (const api::ApiEntry& e : api_.entries) {
      if (e.kind != "function" && e.kind != "method") continue;
      const Item* item = crate_.Find(e.id);
      if (item == nullptr) continue;
      int owner = -1;
      if (e.kind == "method") {
        // Methods once, under the canonical path of their type.
        std::string type_path = Parent(e.path);
        auto t = std::find_if(plan_.types.begin(), plan_.types.end(),
                              [&](const TypePlan& tp) { return tp.path == type_path; });
        if (t == plan_.types.end() || !t->supported) {
          if (IsCanonicalTypePath(type_path)) {
            Status("method", e.path, "unsupported", "its type does not cross yet");
          }
          continue;
        }
        owner = static_cast<int>(t - plan_.types.begin());
      } else if (Canonical(e.id) != e.path) {
        continue;  // a re-export: PlanPaths lists it
      }
      PlanFunction(*item, e, owner);
    }
  }

  void PlanConsts() {
    for (const api::ApiEntry& e : api_.entries) {
      if (e.kind != "constant" && e.kind != "assoc_const") continue;
      const Item* item = crate_.Find(e.id);
      if (item == nullptr) continue;
      ConstPlan c;
      c.path = e.path;
      c.name = item->name;
      c.module = Parent(e.path);
      const model::Type* type = nullptr;
      std::string literal;
      if (const auto* k = item->TryAs<model::Constant>()) {
        if (Canonical(e.id) != e.path) continue;  // a re-export
        type = &k->type;
        if (k->is_literal) literal = k->expr;
      } else {
        const auto& ac = item->As<model::AssocConst>();
        auto t = std::find_if(plan_.types.begin(), plan_.types.end(),
                              [&](const TypePlan& tp) { return tp.path == c.module; });
        if (t == plan_.types.end() || t->shape == TypePlan::Shape::kDataEnum) {
          if (IsCanonicalTypePath(c.module)) {
            Status(e.kind, e.path, "unsupported", "its type does not cross yet");
          }
          continue;
        }
        c.owner = static_cast<int>(t - plan_.types.begin());
        type = &ac.type;
        if (ac.value && LooksLiteral(*ac.value)) literal = *ac.value;
      }
      model::Type resolved = *type;
      ResolveSelf(&resolved, c.owner);
      AbiValue v;
      std::string reason;
      if (!Classify(resolved, true, *this, &v, &reason)) {
        Status(e.kind, e.path, "unsupported", reason);
        continue;
      }
      if (v.kind == AbiValue::Kind::kValue) {
        c.facade_type = v.facade_type;
        c.value = MeasuredValue(e.path, c.facade_type, &reason);
        if (c.value.empty()) {
          Status(e.kind, e.path, "unsupported", reason);
          continue;
        }
        Status(e.kind, e.path, "exported", "the library's value, measured as bytes");
      } else if ((v.kind == AbiValue::Kind::kScalar || v.kind == AbiValue::Kind::kStr ||
                  v.kind == AbiValue::Kind::kChar) && !literal.empty()) {
        c.facade_type = render_.Type(resolved);
        c.value = literal;
        Status(e.kind, e.path, "exported", "a literal, copied");
      } else if ((v.kind == AbiValue::Kind::kScalar || v.kind == AbiValue::Kind::kChar) &&
                 layouts_.FindConst(e.path) != nullptr) {
        c.facade_type = render_.Type(resolved);
        c.value = MeasuredValue(e.path, c.facade_type, &reason);
        Status(e.kind, e.path, "exported", "the library's value, measured as bytes");
      } else {
        Status(e.kind, e.path, "unsupported", "its value is not a literal rdylib can copy");
        continue;
      }
      plan_.consts.push_back(std::move(c));
    }
  }

  // The measured bytes of a constant or static as a Rust constant
  // expression of type `ty`; empty when not measured or not pointer-free.
  std::string MeasuredValue(const std::string& path, const std::string& ty, std::string* why) {
    const probe::ConstBytes* bytes = layouts_.FindConst(path);
    if (bytes == nullptr || !bytes->pointer_free) {
      *why = bytes == nullptr ? "its value was not measured" : "its value holds a pointer into the library";
      return "";
    }
    std::vector<std::string> parts;
    for (size_t i = 0; i + 1 < bytes->bytes.size(); i += 2) parts.push_back("0x" + bytes->bytes.substr(i, 2));
    std::string array = fmt::format("[{}]", fmt::join(parts, ", "));
    // Primitives through their own byte constructors (same machine, so
    // native-endian); other types by transmute.
    std::string bits = "u" + std::to_string(parts.size() * 8);
    if (ty == "bool") return fmt::format("u8::from_ne_bytes({}) != 0", array);
    if (ty == "char") {
      return fmt::format("match char::from_u32(u32::from_ne_bytes({})) {{ Some(c) => c, None => panic!() }}", array);
    }
    if (ty == "f32" || ty == "f64") return fmt::format("{}::from_bits({}::from_ne_bytes({}))", ty, bits, array);
    if (ScalarSize(ty) != 0) return fmt::format("{}::from_ne_bytes({})", ty, array);
    return fmt::format("unsafe {{ core::mem::transmute::<[u8; {}], {}>({}) }}", parts.size(), ty, array);
  }

  // True when a value of this kind is Copy and so holds no UnsafeCell: a
  // copy of its bytes behaves as the library's object.
  bool CopyValue(const model::Type& type, const AbiValue& v) const {
    if (v.kind == AbiValue::Kind::kScalar || v.kind == AbiValue::Kind::kChar) return true;
    if (v.kind != AbiValue::Kind::kValue) return false;
    if (type.kind == model::Type::Kind::kArray) {
      AbiValue elem;
      std::string ignored;
      return Classify(type.elems[0], false, *this, &elem, &ignored) && CopyValue(type.elems[0], elem);
    }
    auto it = pinned_.find(type.path.id);
    return it != pinned_.end() && plan_.types[it->second].is_copy;
  }

  void PlanStatics() {
    for (const api::ApiEntry& e : api_.entries) {
      if (e.kind != "static" || Canonical(e.id) != e.path) continue;
      const Item* item = crate_.Find(e.id);
      if (item == nullptr) continue;
      const auto& st = item->As<model::Static>();
      if (st.is_mutable) {
        Status("static", e.path, "unsupported",
               "a static mut cannot be shared: the facade's would be a second object");
        continue;
      }
      StaticPlan sp;
      sp.path = e.path;
      sp.module = Parent(e.path);
      sp.name = item->name;
      sp.facade_type = render_.Type(st.type);
      AbiValue v;
      std::string reason;
      bool crosses = Classify(st.type, true, *this, &v, &reason);
      if (crosses && v.kind == AbiValue::Kind::kStr && LooksLiteral(st.expr)) {
        sp.value = st.expr;
        Status("static", e.path, "exported", "a literal, copied");
      } else if (crosses && CopyValue(st.type, v)) {
        sp.value = MeasuredValue(e.path, sp.facade_type, &reason);
        if (sp.value.empty()) {
          Status("static", e.path, "unsupported", reason);
          continue;
        }
        Status("static", e.path, "exported", "a Copy value: the library's bytes, copied");
      } else {
        std::string text = api_render_.Type(st.type);
        bool atomic = text.starts_with("core::sync::atomic::Atomic") && !st.type.path.args;
        if (atomic) {
          sp.shim_type = text;
        } else if (crosses && v.kind == AbiValue::Kind::kValue) {
          sp.shim_type = v.shim_type;
        } else {
          Status("static", e.path, "unsupported", crosses ? "statics of this type do not cross yet" : reason);
          continue;
        }
        sp.facade_type = atomic ? text : v.facade_type;
        sp.symbol = fmt::format("rdylib_v{}_{}_{}", kAbiVersion, Mangle(e.path),
                                HexHash("static:" + sp.shim_type).substr(0, 8));
        Status("static", e.path, "converted",
               "the library's own object: the facade's static derefs to it (use *NAME for the value)");
      }
      plan_.statics.push_back(std::move(sp));
    }
  }

  void PlanMacrosAndAliases() {
    for (const api::ApiEntry& e : api_.entries) {
      const Item* item = crate_.Find(e.id);
      if (item == nullptr || Canonical(e.id) != e.path) continue;
      if (e.kind == "macro") {
        std::string source = SourceText(*item);
        if (!source.starts_with("macro_rules!") || !item->attrs.macro_export) {
          Status("macro", e.path, "unsupported", "only #[macro_export] macro_rules! macros are copied");
          continue;
        }
        plan_.macros.push_back({e.path, source});
        Status("macro", e.path, "exported", "copied from the source: it expands in the consumer");
      } else if (e.kind == "type_alias") {
        const auto& alias = item->As<model::TypeAlias>();
        if (MentionsUnplanned(alias.type)) {
          Status("type_alias", e.path, "unsupported", "it names a type that does not cross");
          continue;
        }
        plan_.aliases.push_back(
            {e.path, Parent(e.path),
             fmt::format("pub type {}{}{} = {};", item->name, render_.Params(alias.generics),
                         render_.Where(alias.generics), render_.Type(alias.type))});
        Status("type_alias", e.path, "exported");
      }
    }
  }

  // The item's source text, from its span in the crate's files.
  static std::string SourceText(const Item& item) {
    if (!item.span || item.span->end_line < item.span->line) return "";
    std::optional<std::string> file = ReadFile(item.span->file);
    if (!file) return "";
    std::istringstream lines(*file);
    std::string line;
    std::string out;
    for (uint32_t n = 1; std::getline(lines, line); ++n) {
      if (n < item.span->line || n > item.span->end_line) continue;
      if (n == item.span->line) line = line.substr(std::min<size_t>(line.size(), item.span->column - 1));
      if (n == item.span->end_line) line = line.substr(0, item.span->end_column - 1 - (n == item.span->line ? item.span->column - 1 : 0));
      out += line + "\n";
    }
    return out;
  }

  // True when `t` names a local item the facade does not define.
  bool MentionsUnplanned(const model::Type& t) const {
    if (t.kind == model::Type::Kind::kResolvedPath) {
      const Item* target = crate_.Find(t.path.id);
      if (target != nullptr && target->crate_id == 0 && ShimName(t.path.id).empty()) return true;
      if (t.path.args) {
        for (const model::GenericArg& a : t.path.args->args) {
          if (a.type && MentionsUnplanned(*a.type)) return true;
        }
      }
    }
    for (const model::Type& e : t.elems) {
      if (MentionsUnplanned(e)) return true;
    }
    return false;
  }

  static bool LooksLiteral(const std::string& v) {
    if (v.empty()) return false;
    if (v == "true" || v == "false") return true;
    char c = v[0];
    return c == '"' || c == '\'' || (c >= '0' && c <= '9') ||
           (c == '-' && v.size() > 1 && v[1] >= '0' && v[1] <= '9');
  }

  std::string Canonical(ItemId id) const {
    auto it = api_.canonical_paths.find(id);
    return it == api_.canonical_paths.end() ? "" : it->second;
  }

  // `impl From<X> for Y`: one thunk, and a trait impl in the facade.
  void PlanFromImpls() {
    for (ItemId id : from_impls_) {
      const Item& item = *crate_.Find(id);
      const auto& impl = item.As<model::Impl>();
      if (api_render_.PathName(*impl.trait) == "core::str::traits::FromStr") {
        PlanFromStr(impl);
        continue;
      }
      std::string x_text = api_render_.Type(*impl.trait->args->args[0].type);
      std::string path = fmt::format("<{} as core::convert::From<{}>>::from",
                                     api_render_.Type(impl.for_type), x_text);
      const Item* from = nullptr;
      for (ItemId m : impl.items) {
        const Item* mi = crate_.Find(m);
        if (mi != nullptr && mi->name == "from") from = mi;
      }
      const model::GenericArgs* args = impl.trait->args.get();
      AbiValue x;
      AbiValue y;
      std::string reason;
      if (from == nullptr || args == nullptr || args->args.size() != 1 || !args->args[0].type ||
          !Classify(*args->args[0].type, false, *this, &x, &reason) || x.kind == AbiValue::Kind::kUnit ||
          !Classify(impl.for_type, true, *this, &y, &reason)) {
        Status("impl", path, "unsupported", reason.empty() ? "this From impl does not cross yet" : reason);
        continue;
      }
      FunctionPlan fp;
      fp.path = path;
      fp.name = "from";
      fp.module = crate_.name;
      std::string param = from->As<model::Function>().sig.inputs.empty()
                              ? "value"
                              : from->As<model::Function>().sig.inputs[0].first;
      fp.params.push_back({param, x});
      fp.ret = y;
      std::string x_facade = render_.Type(*args->args[0].type);
      std::string y_facade = render_.Type(impl.for_type);
      fp.facade_signature = fmt::format("fn from({}: {}) -> Self", param, x_facade);
      fp.impl_header = fmt::format("impl core::convert::From<{}> for {}", x_facade, y_facade);
      fp.shim_callee = fmt::format("<{} as core::convert::From<{}>>::from",
                                   ShimType(impl.for_type, y), ShimType(*args->args[0].type, x));
      std::string wire = fp.params[0].value.WireType(false) + ",->" + fp.ret.WireType(false);
      fp.symbol = fmt::format("rdylib_v{}_{}__From_{}", kAbiVersion, crate_.name,
                              HexHash(path + wire).substr(0, 8));
      bool converted = x.IsConverted() || y.IsConverted();
      Status("impl", path, converted ? "converted" : "exported");
      plan_.functions.push_back(std::move(fp));
    }
  }

  // `impl FromStr for T`: one thunk returning Result<T, Err>.
  void PlanFromStr(const model::Impl& impl) {
    std::string path = fmt::format("<{} as core::str::FromStr>::from_str",
                                   api_render_.Type(impl.for_type));
    const model::Type* err = nullptr;
    for (ItemId m : impl.items) {
      const Item* mi = crate_.Find(m);
      if (mi != nullptr && mi->kind == ItemKind::kAssocType && mi->name == "Err") {
        err = mi->As<model::AssocType>().type.get();
      }
    }
    AbiValue self_value;
    AbiValue err_value;
    std::string reason;
    if (err == nullptr || !Classify(impl.for_type, true, *this, &self_value, &reason) ||
        !Classify(*err, true, *this, &err_value, &reason)) {
      Status("impl", path, "unsupported", reason.empty() ? "its Err type does not cross yet" : reason);
      return;
    }
    FunctionPlan fp;
    fp.path = path;
    fp.name = "from_str";
    fp.module = crate_.name;
    AbiValue str_value;
    str_value.kind = AbiValue::Kind::kStr;
    fp.params.push_back({"s", str_value});
    fp.ret.kind = AbiValue::Kind::kResult;
    fp.ret.children = {self_value, err_value};
    fp.facade_signature = "fn from_str(s: &str) -> core::result::Result<Self, Self::Err>";
    fp.impl_header = fmt::format("impl core::str::FromStr for {}", render_.Type(impl.for_type));
    fp.impl_items = fmt::format("type Err = {};\n\n", render_.Type(*err));
    fp.shim_callee = fmt::format("<{} as core::str::FromStr>::from_str", ShimType(impl.for_type, self_value));
    fp.symbol = fmt::format("rdylib_v{}_{}__FromStr_{}", kAbiVersion, crate_.name,
                            HexHash(path + fp.ret.WireType(false)).substr(0, 8));
    Status("impl", path, "converted", "the result is converted at the boundary");
    plan_.functions.push_back(std::move(fp));
  }

  // A type as the shim names it.
  std::string ShimType(const model::Type& t, const AbiValue& v) {
    switch (v.kind) {
      case AbiValue::Kind::kValue:
      case AbiValue::Kind::kEnum: return v.shim_type;
      case AbiValue::Kind::kStr: return "&str";
      case AbiValue::Kind::kString: return "String";
      case AbiValue::Kind::kChar: return "char";
      case AbiValue::Kind::kScalar: return v.scalar;
      default: return api_render_.Type(t);
    }
  }

  bool IsCanonicalTypePath(const std::string& path) {
    for (const auto& [id, p] : api_.canonical_paths) {
      if (p == path) return true;
    }
    return false;
  }

  void PlanFunction(const Item& item, const api::ApiEntry& e, int owner) {
    std::string kind = owner >= 0 ? "method" : "function";
    FunctionPlan fp;
    std::string why;
    bool converted = false;
    if (!LowerFunction(item, owner, e.path, &fp, &why, &converted)) {
      Status(kind, e.path, "unsupported", why);
      return;
    }
    const auto& f = item.As<model::Function>();
    std::string reason = f.header.is_const ? "not const in the facade (it calls the library)" : "";
    if (owner >= 0 && plan_.types[owner].shape == TypePlan::Shape::kDataEnum &&
        fp.receiver != FunctionPlan::Receiver::kNone) {
      reason += std::string(reason.empty() ? "" : "; ") +
                "self crosses as the enum's wire form and is rebuilt on the other side";
      converted = true;
    }
    Status(kind, e.path, converted ? "converted" : "exported",
           converted ? (reason.empty() ? "" : reason + "; ") + "values are converted at the boundary"
                     : reason);
    plan_.functions.push_back(std::move(fp));
  }

  // Lowers one function or method to a thunk: false with `why` when a part
  // of its signature cannot cross.
  bool LowerFunction(const Item& item, int owner, const std::string& path, FunctionPlan* out,
                     std::string* why, bool* converted,
                     const std::map<std::string, model::Type>* assoc = nullptr) {
    const auto& f = item.As<model::Function>();
    for (const model::GenericParamDef& p : f.generics.params) {
      if (p.kind != model::GenericParamDef::Kind::kLifetime) {
        *why = "generic functions are not instantiated yet";
        return false;
      }
    }
    if (f.header.is_async) {
      *why = "async functions do not cross yet";
      return false;
    }
    if (f.header.is_unsafe) {
      *why = "unsafe functions do not cross yet";
      return false;
    }
    FunctionPlan fp;
    fp.path = path;
    fp.owner = owner;
    fp.module = Parent(path);
    fp.name = item.name;
    model::Type self_type;
    if (owner >= 0) {
      self_type.kind = model::Type::Kind::kResolvedPath;
      self_type.path.id = plan_.types[owner].id;
      render_.set_self_type(&self_type);
    }
    auto fail = [&](const std::string& reason) {
      render_.set_self_type(nullptr);
      *why = reason;
      return false;
    };
    bool data_enum = owner >= 0 && plan_.types[owner].shape == TypePlan::Shape::kDataEnum;
    for (size_t i = 0; i < f.sig.inputs.size(); ++i) {
      const auto& [name, type] = f.sig.inputs[i];
      if (i == 0 && name == "self" && owner >= 0) {
        if (type.kind == model::Type::Kind::kGeneric) {
          fp.receiver = FunctionPlan::Receiver::kValue;
        } else if (type.kind == model::Type::Kind::kBorrowedRef &&
                   type.elems[0].kind == model::Type::Kind::kGeneric) {
          fp.receiver = type.is_mutable ? FunctionPlan::Receiver::kRefMut
                                        : FunctionPlan::Receiver::kRef;
        } else {
          return fail("this kind of self does not cross yet");
        }
        continue;
      }
      model::Type resolved = type;
      ResolveAssoc(&resolved, assoc);
      ResolveSelf(&resolved, owner);
      AbiValue v;
      std::string reason;
      if (!Classify(resolved, false, *this, &v, &reason) || v.kind == AbiValue::Kind::kUnit) {
        return fail(fmt::format("parameter {}: {}", name, reason));
      }
      *converted |= v.IsConverted();
      fp.params.push_back({name, v});
    }
    if (f.sig.output) {
      model::Type resolved = *f.sig.output;
      ResolveAssoc(&resolved, assoc);
      ResolveSelf(&resolved, owner);
      std::string reason;
      if (!Classify(resolved, true, *this, &fp.ret, &reason)) return fail("return type: " + reason);
      *converted |= fp.ret.IsConverted();
      if (data_enum && fp.receiver != FunctionPlan::Receiver::kNone && fp.receiver != FunctionPlan::Receiver::kValue &&
          fp.ret.Borrows()) {
        return fail("returns a borrow of an enum with data, which is rebuilt for each call");
      }
    }
    auto sig = f.sig;  // with `Self::Target` and the like written out
    for (auto& input : sig.inputs) ResolveAssoc(&input.second, assoc);
    if (sig.output) ResolveAssoc(&*sig.output, assoc);
    fp.facade_signature = fmt::format("pub fn {}{}{}{}", item.name, render_.Params(f.generics),
                                      render_.Signature(sig), render_.Where(f.generics));
    render_.set_self_type(nullptr);
    if (item.deprecation) fp.attrs += "#[deprecated]\n";
    if (item.attrs.must_use) fp.attrs += "#[must_use]\n";
    std::string wire = data_enum ? "wire-self," : "";
    for (const ParamPlan& p : fp.params) wire += p.value.WireType(false) + ",";
    wire += "->" + fp.ret.WireType(false);
    fp.symbol = fmt::format("rdylib_v{}_{}_{}", kAbiVersion, Mangle(path), HexHash(wire).substr(0, 8));
    *out = std::move(fp);
    return true;
  }

  // `impl AsRef<str> for T` and the like: the trait's one method becomes a
  // thunk, and the facade writes the impl around it.
  // A std trait whose methods are forwarded one thunk each: its path in the
  // facade, the methods an impl must forward (others are forwarded when
  // they cross, else the trait's default runs), and the trait the facade
  // must already implement for the type (a supertrait), if any.
  struct ForwardedTrait {
    const char* facade;
    std::vector<std::string> required;
    const char* needs = "";
  };

  static const std::map<std::string, ForwardedTrait>& ForwardedTraits() {
    static const std::map<std::string, ForwardedTrait> kTraits = {
        {"core::convert::AsRef", {"core::convert::AsRef", {"as_ref"}}},
        {"core::convert::AsMut", {"core::convert::AsMut", {"as_mut"}}},
        {"core::borrow::Borrow", {"core::borrow::Borrow", {"borrow"}}},
        {"core::borrow::BorrowMut", {"core::borrow::BorrowMut", {"borrow_mut"}}},
        {"core::convert::TryFrom", {"core::convert::TryFrom", {"try_from"}}},
        {"core::ops::deref::Deref", {"core::ops::Deref", {"deref"}}},
        {"core::ops::deref::DerefMut", {"core::ops::DerefMut", {"deref_mut"}, "core::ops::deref::Deref"}},
        {"core::ops::index::Index", {"core::ops::Index", {"index"}}},
        {"core::ops::index::IndexMut", {"core::ops::IndexMut", {"index_mut"}, "core::ops::index::Index"}},
        {"core::iter::traits::iterator::Iterator", {"core::iter::Iterator", {"next"}}},
        {"core::iter::traits::double_ended::DoubleEndedIterator",
         {"core::iter::DoubleEndedIterator", {"next_back"}, "core::iter::traits::iterator::Iterator"}},
        {"core::iter::traits::exact_size::ExactSizeIterator",
         {"core::iter::ExactSizeIterator", {}, "core::iter::traits::iterator::Iterator"}},
        {"core::iter::traits::marker::FusedIterator",
         {"core::iter::FusedIterator", {}, "core::iter::traits::iterator::Iterator"}}};
    return kTraits;
  }

  // `impl AsRef<str> for T`, `impl Iterator for T` and the like: each method
  // becomes a thunk, and the facade writes the impl around them.
  void PlanTraitMethodImpls() {
    // Supertraits first, so an impl can check that the one it needs exists.
    std::vector<std::pair<ItemId, int>> order = trait_method_impls_;
    auto depth = [&](const std::pair<ItemId, int>& e) {
      const auto& impl = crate_.Find(e.first)->As<model::Impl>();
      return std::string(ForwardedTraits().at(api_render_.PathName(*impl.trait)).needs).empty() ? 0 : 1;
    };
    std::stable_sort(order.begin(), order.end(),
                     [&](const auto& a, const auto& b) { return depth(a) < depth(b); });
    std::set<std::pair<int, std::string>> forwarded;  // owner, trait
    for (const auto& [id, owner] : order) {
      const auto& impl = crate_.Find(id)->As<model::Impl>();
      std::string trait = api_render_.PathName(*impl.trait);
      const ForwardedTrait& how = ForwardedTraits().at(trait);
      std::string path = TraitImplPath(plan_.types[owner].path, impl);
      if (*how.needs && !forwarded.count({owner, how.needs})) {
        Status("impl", path, "unsupported", fmt::format("needs {}, which is not forwarded", how.needs));
        continue;
      }
      std::string assoc;
      std::map<std::string, model::Type> assoc_types;
      std::vector<const Item*> methods;
      std::string why;
      for (ItemId m : impl.items) {
        const Item* mi = crate_.Find(m);
        if (mi == nullptr) continue;
        if (mi->kind == ItemKind::kFunction) methods.push_back(mi);
        if (mi->kind == ItemKind::kAssocType) {
          const auto& at = mi->As<model::AssocType>();
          if (!at.type || MentionsUnplanned(*at.type)) {
            why = "its " + mi->name + " type does not cross";
            break;
          }
          assoc += fmt::format("type {} = {};\n\n", mi->name, render_.Type(*at.type));
          assoc_types[mi->name] = *at.type;
        }
      }
      std::string header = fmt::format("impl{} {}{} for {}", render_.Params(impl.generics), how.facade,
                                       TraitArgs(impl), render_.Type(impl.for_type));
      std::vector<FunctionPlan> lowered;
      std::vector<std::string> skipped;
      bool converted = false;
      for (const std::string& name : how.required) {
        if (std::none_of(methods.begin(), methods.end(), [&](const Item* m) { return m->name == name; })) {
          why = "its " + name + " is missing from rustdoc's output";
        }
      }
      for (const Item* method : methods) {
        if (!why.empty()) break;
        FunctionPlan fp;
        std::string reason;
        bool required = std::find(how.required.begin(), how.required.end(), method->name) != how.required.end();
        if (!LowerFunction(*method, owner, path + "::" + method->name, &fp, &reason, &converted,
                           &assoc_types)) {
          if (required) why = method->name + ": " + reason;
          else skipped.push_back(method->name);
          continue;
        }
        fp.facade_signature = fp.facade_signature.substr(4);  // no `pub` in a trait impl
        // The lowered symbol hashes the signature; this one adds the trait's
        // arguments, which tell AsRef<str> from AsRef<[u8]>.
        fp.symbol = fmt::format("rdylib_v{}_{}__{}_{}_{}", kAbiVersion, Mangle(plan_.types[owner].path),
                                Last(trait), method->name, HexHash(fp.symbol + path).substr(0, 8));
        fp.impl_header = header;
        fp.impl_items = assoc;
        fp.shim_callee = fmt::format("<{} as {}{}>::{}", ShimName(plan_.types[owner].id), how.facade,
                                     ShimTraitArgs(impl), method->name);
        lowered.push_back(std::move(fp));
      }
      if (!why.empty()) {
        Status("impl", path, "unsupported", why);
        continue;
      }
      forwarded.insert({owner, trait});
      std::string note = converted ? "values are converted at the boundary" : "";
      if (!skipped.empty()) {
        note += fmt::format("{}{} not forwarded (the trait's default runs instead)", note.empty() ? "" : "; ",
                            fmt::join(skipped, ", "));
      }
      Status("impl", path, converted ? "converted" : "exported", note);
      if (lowered.empty()) plan_.empty_impls.emplace_back(header, assoc);
      for (FunctionPlan& fp : lowered) plan_.functions.push_back(std::move(fp));
    }
  }

  // `<str>` for `impl AsRef<str>`, as the facade writes the trait's arguments.
  std::string TraitArgs(const model::Impl& impl) {
    if (!impl.trait->args) return "";
    std::vector<std::string> parts;
    for (const model::GenericArg& a : impl.trait->args->args) {
      if (a.type) parts.push_back(render_.Type(*a.type));
    }
    return parts.empty() ? "" : fmt::format("<{}>", fmt::join(parts, ", "));
  }

  // `<T as Trait<Args>>`, as the report names a trait impl.
  std::string TraitImplPath(const std::string& type_path, const model::Impl& impl) {
    return fmt::format("<{} as {}>", type_path, api_render_.Type(TraitAsType(*impl.trait)));
  }

  static model::Type TraitAsType(const model::Path& trait) {
    model::Type t;
    t.kind = model::Type::Kind::kResolvedPath;
    t.path = trait;
    return t;
  }

  // The trait's generic arguments as the shim names them: std types and the
  // crate's types under `target_crate`.
  std::string ShimTraitArgs(const model::Impl& impl) {
    if (!impl.trait->args) return "";
    std::vector<std::string> parts;
    for (const model::GenericArg& a : impl.trait->args->args) {
      if (!a.type) continue;
      AbiValue v;
      std::string ignored;
      if (Classify(*a.type, false, *this, &v, &ignored)) {
        parts.push_back(ShimType(*a.type, v));
      } else {
        parts.push_back(api_render_.Type(*a.type));
      }
    }
    return parts.empty() ? "" : fmt::format("<{}>", fmt::join(parts, ", "));
  }

  // `Self::Target` in a trait impl's method: the impl's associated type.
  static void ResolveAssoc(model::Type* t, const std::map<std::string, model::Type>* assoc) {
    if (assoc == nullptr) return;
    if (t->kind == model::Type::Kind::kQualifiedPath && !t->elems.empty() &&
        t->elems[0].kind == model::Type::Kind::kGeneric && t->elems[0].name == "Self") {
      auto it = assoc->find(t->name);
      if (it != assoc->end()) {
        *t = it->second;
        return;
      }
    }
    for (model::Type& e : t->elems) ResolveAssoc(&e, assoc);
    if (t->path.args) {
      for (model::GenericArg& a : t->path.args->args) {
        if (a.type) ResolveAssoc(&*a.type, assoc);
      }
    }
  }

  // `Self` in a method signature is the owner type.
  void ResolveSelf(model::Type* t, int owner) {
    if (owner < 0) return;
    if (t->kind == model::Type::Kind::kGeneric && t->name == "Self") {
      t->kind = model::Type::Kind::kResolvedPath;
      t->path.id = plan_.types[owner].id;
      t->name.clear();
    }
    for (model::Type& e : t->elems) ResolveSelf(&e, owner);
    if (t->path.args) {
      for (model::GenericArg& a : t->path.args->args) {
        if (a.type) ResolveSelf(&*a.type, owner);
      }
    }
  }

  // Modules, re-exports, and the statuses of every other entry.
  void PlanPaths() {
    std::set<std::string> planned;
    for (const ItemStatus& s : plan_.statuses) planned.insert(s.path);
    std::set<std::string> pinned_paths;
    for (const TypePlan& t : plan_.types) {
      if (t.shape == TypePlan::Shape::kEnum) pinned_paths.insert(t.path);
    }
    // Types re-exported under other paths: their members' entries there
    // share the status of the same member under the canonical path.
    std::map<std::string, std::string> type_aliases;
    for (const api::ApiEntry& e : api_.entries) {
      auto canonical = api_.canonical_paths.find(e.id);
      if ((e.kind == "struct" || e.kind == "enum" || e.kind == "union") &&
          canonical != api_.canonical_paths.end() && canonical->second != e.path) {
        type_aliases[e.path] = canonical->second;
      }
    }
    std::vector<std::pair<const api::ApiEntry*, std::string>> through_aliases;  // entry, same
    for (const api::ApiEntry& e : api_.entries) {
      if (e.kind == "module") {
        if (e.path != crate_.name) plan_.modules.push_back(e.path);
        continue;
      }
      if (!planned.count(e.path)) {
        std::string alias = Parent(e.path);
        while (!alias.empty() && !type_aliases.count(alias)) alias = Parent(alias);
        if (!alias.empty()) {
          through_aliases.emplace_back(&e, type_aliases[alias] + e.path.substr(alias.size()));
          continue;
        }
      }
      auto canonical = api_.canonical_paths.find(e.id);
      bool is_item = e.kind == "struct" || e.kind == "enum" || e.kind == "function" ||
                     e.kind == "trait" || e.kind == "union" || e.kind == "constant" ||
                     e.kind == "static" || e.kind == "type_alias" || e.kind == "macro";
      if (is_item && canonical != api_.canonical_paths.end() && canonical->second != e.path) {
        bool target_planned = planned.count(canonical->second) &&
                              std::any_of(plan_.statuses.begin(), plan_.statuses.end(),
                                          [&](const ItemStatus& s) {
                                            return s.path == canonical->second &&
                                                   s.status != "unsupported";
                                          });
        if (target_planned) {
          plan_.reexports.emplace_back(e.path, canonical->second);
          Status(e.kind, e.path, "exported", "re-export of " + canonical->second);
        } else {
          Status(e.kind, e.path, "unsupported", "re-export of " + canonical->second + ", which does not cross");
        }
        continue;
      }
      if ((e.kind == "variant" || e.kind == "variant_field") && planned.count(Parent(e.path)) &&
          !pinned_paths.count(Parent(e.path)) && e.kind == "variant_field") {
        Status("variant_field", e.path, "converted");
        continue;
      }
      if (e.kind == "variant" && pinned_paths.count(Parent(e.path))) {
        Status("variant", e.path, "exported");
        continue;
      }
      if (planned.count(e.path) || e.kind == "impl" || e.kind.starts_with("impl_") ||
          e.kind == "field" || e.kind == "method") {
        continue;
      }
      Status(e.kind, e.path, "unsupported", UnsupportedReason(e));
    }
    std::map<std::string, std::pair<std::string, std::string>> status_of;  // status, reason
    for (const ItemStatus& st : plan_.statuses) status_of.emplace(st.path, std::pair(st.status, st.reason));
    for (const auto& [e, same] : through_aliases) {
      auto st = status_of.find(same);
      if (st != status_of.end()) {
        const auto& [status, reason] = st->second;
        Status(e->kind, e->path, status,
               status == "unsupported" ? fmt::format("as {}: {}", same, reason) : "as " + same);
      } else {
        Status(e->kind, e->path, "unsupported", UnsupportedReason(*e));
      }
    }
    // Impls of pinned types that were neither forwarded nor refused, and
    // impls of everything else, are listed by the report from the API.
    std::sort(plan_.modules.begin(), plan_.modules.end());
    std::sort(plan_.reexports.begin(), plan_.reexports.end());
  }

  std::string UnsupportedReason(const api::ApiEntry& e) {
    const Item* item = crate_.Find(e.id);
    if (e.kind == "struct" || e.kind == "enum" || e.kind == "union") {
      const model::Generics* g = nullptr;
      if (item != nullptr) {
        if (const auto* st = item->TryAs<model::Struct>()) g = &st->generics;
        if (const auto* en = item->TryAs<model::Enum>()) g = &en->generics;
        if (const auto* un = item->TryAs<model::Union>()) g = &un->generics;
      }
      if (g != nullptr && !g->params.empty()) {
        bool only_lifetimes = std::all_of(g->params.begin(), g->params.end(), [](const auto& p) {
          return p.kind == model::GenericParamDef::Kind::kLifetime;
        });
        return only_lifetimes ? "enums with data and lifetime parameters do not cross yet"
                              : "types with type or const parameters are not instantiated yet";
      }
      if (layouts_.Find(e.path) == nullptr) return "its layout was not measured";
    }
    if (e.kind == "variant" || e.kind == "variant_field") {
      return "its enum does not cross (see the enum's reason)";
    }
    if (e.kind == "trait" || e.kind.starts_with("trait_")) return "traits do not cross yet";
    if (e.kind == "constant" || e.kind == "assoc_const") return "constants do not cross yet";
    if (e.kind == "static") return "statics do not cross yet";
    if (e.kind == "macro") return "macros are not carried into the facade yet";
    if (e.kind == "type_alias") return "type aliases are not carried into the facade yet";
    if (e.kind == "union") return "unions do not cross yet";
    return "not supported yet";
  }

  const model::Crate& crate_;
  const api::PublicApi& api_;
  const probe::Layouts& layouts_;
  std::unordered_map<ItemId, std::string> facade_paths_;
  api::TypeRenderer render_;      // names as the facade writes them
  api::TypeRenderer api_render_;  // names as the report writes them
  Plan plan_;
  std::map<ItemId, size_t> pinned_;
  std::set<ItemId> from_impls_;
  std::vector<std::pair<ItemId, int>> trait_method_impls_;  // impl, owner type
};

}  // namespace

std::string Plan::TraitSymbol(const TypePlan& t, const std::string& what) const {
  return fmt::format("rdylib_v{}_{}__{}", kAbiVersion, Mangle(t.path), what);
}

Plan MakePlan(const model::Crate& crate, const api::PublicApi& api,
              const probe::Layouts& layouts) {
  return Planner(crate, api, layouts).Run();
}

}  // namespace rdylib::plan
