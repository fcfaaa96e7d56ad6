// Walks a crate's public paths and renders each reachable item.
#include "api/public_api.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "api/type_render.h"

namespace rdylib::api {
namespace {

using model::Item;
using model::ItemId;
using model::ItemKind;
using model::kNoId;

bool IsVisible(const Item& item) {
  // rustdoc already strips private items; `default` is the visibility of
  // trait items, variants and trait impl members, which are public.
  return item.visibility.kind == model::Visibility::Kind::kPublic ||
         item.visibility.kind == model::Visibility::Kind::kDefault;
}

// One public path of an item; `hidden` when the item or a module or
// re-export on the way is #[doc(hidden)].
struct FoundPath {
  ItemId id;
  std::string path;
  bool hidden;
};

// Pass 1: every public path of every reachable item.
class PathCollector {
 public:
  explicit PathCollector(const model::Crate& crate) : crate_(crate) {}

  std::vector<FoundPath> Collect() {
    const Item* root = crate_.Find(crate_.root);
    found_.push_back({root->id, crate_.name, root->attrs.doc_hidden});
    VisitModule(*root, crate_.name, root->attrs.doc_hidden);
    return std::move(found_);
  }

 private:
  void VisitModule(const Item& module, const std::string& path, bool hidden) {
    if (std::find(stack_.begin(), stack_.end(), module.id) != stack_.end()) return;
    stack_.push_back(module.id);
    for (ItemId id : ModuleItems(module)) {
      const Item* item = crate_.Find(id);
      if (item == nullptr || !IsVisible(*item)) continue;
      Visit(*item, path, item->name, hidden);
    }
    stack_.pop_back();
  }

  static const std::vector<ItemId>& ModuleItems(const Item& item) {
    static const std::vector<ItemId> kNone;
    if (const auto* m = item.TryAs<model::Module>()) return m->items;
    return kNone;
  }

  void Visit(const Item& item, const std::string& parent, const std::string& name,
             bool hidden) {
    hidden |= item.attrs.doc_hidden;
    if (item.kind == ItemKind::kUse) {
      const auto& use = item.As<model::Use>();
      const Item* target = crate_.Find(use.target);
      if (use.is_glob) {
        if (target == nullptr) {
          found_.push_back({item.id, parent + "::*", hidden});
        } else if (target->kind == ItemKind::kModule) {
          VisitModule(*target, parent, hidden);
        } else if (const auto* e = target->TryAs<model::Enum>()) {
          for (ItemId v : e->variants) {
            if (const Item* var = crate_.Find(v)) {
              found_.push_back(
                  {var->id, parent + "::" + var->name, hidden || var->attrs.doc_hidden});
            }
          }
        }
        return;
      }
      if (target == nullptr) {
        // A re-export of an item rustdoc did not inline (another crate's
        // item, or a primitive): listed as a re-export.
        found_.push_back({item.id, parent + "::" + use.name, hidden});
        return;
      }
      Visit(*target, parent, use.name, hidden);
      return;
    }
    std::string path = parent + "::" + name;
    found_.push_back({item.id, path, hidden});
    if (item.kind == ItemKind::kModule) VisitModule(item, path, hidden);
  }

  const model::Crate& crate_;
  std::vector<ItemId> stack_;
  std::vector<FoundPath> found_;
};

// Pass 2: render entries for each (item, path).
class EntryBuilder {
 public:
  /// `shown`: the local items with a public path that is not hidden.
  EntryBuilder(const model::Crate& crate, PublicApi* api, std::set<ItemId> shown)
      : crate_(crate), api_(api), render_(crate, &api->canonical_paths),
        shown_(std::move(shown)) {}

  void Add(const Item& item, const std::string& path, bool hidden) {
    render_.set_path_override(item.id, path);
    hidden_ = hidden;
    AddItem(item, path);
    hidden_ = false;
    render_.clear_path_override();
  }

  /// Lists the local impls no public type lists, such as
  /// `impl From<Local> for u8`: they are part of the API too.
  void AddOrphanImpls() {
    std::vector<ItemId> ids;
    for (const auto& [id, item] : crate_.index) {
      if (item.kind == ItemKind::kImpl && item.crate_id == 0 && !emitted_.count(id)) {
        const auto& impl = item.As<model::Impl>();
        if (impl.trait && !impl.is_synthetic && !impl.blanket_impl &&
            !IsHiddenLocal(impl.trait->id) && !MentionsHiddenItem(impl.for_type) &&
            !(impl.trait->args && MentionsHiddenItem(*impl.trait->args))) {
          ids.push_back(id);
        }
      }
    }
    std::sort(ids.begin(), ids.end());
    for (ItemId id : ids) {
      const auto& impl = crate_.Find(id)->As<model::Impl>();
      hidden_ = false;
      Impls({id}, render_.Type(impl.for_type), kNoId);
    }
  }

 private:
  void AddItem(const Item& item, const std::string& path) {
    switch (item.kind) {
      case ItemKind::kModule:
        Push("module", path, "mod " + path, item);
        break;
      case ItemKind::kStruct: {
        const auto& s = item.As<model::Struct>();
        Push("struct", path,
             fmt::format("struct {}{}{}", path, render_.Params(s.generics),
                         render_.Where(s.generics)),
             item);
        Fields(s.fields, path, "field", s.kind == model::Struct::Kind::kTuple);
        Impls(s.impls, path, item.id);
        break;
      }
      case ItemKind::kUnion: {
        const auto& u = item.As<model::Union>();
        Push("union", path,
             fmt::format("union {}{}{}", path, render_.Params(u.generics),
                         render_.Where(u.generics)),
             item);
        Fields(u.fields, path, "field", false);
        Impls(u.impls, path, item.id);
        break;
      }
      case ItemKind::kEnum: {
        const auto& e = item.As<model::Enum>();
        Push("enum", path,
             fmt::format("enum {}{}{}", path, render_.Params(e.generics),
                         render_.Where(e.generics)),
             item);
        for (ItemId v : e.variants) {
          if (const Item* var = crate_.Find(v)) Variant(*var, path);
        }
        Impls(e.impls, path, item.id);
        break;
      }
      case ItemKind::kVariant:
        // Reached through `use Enum::*`.
        Variant(item, path.substr(0, path.rfind("::")));
        break;
      case ItemKind::kTrait: {
        const auto& t = item.As<model::Trait>();
        std::string sig = fmt::format("{}{}trait {}{}", t.is_unsafe ? "unsafe " : "",
                                      t.is_auto ? "auto " : "", path,
                                      render_.Params(t.generics));
        if (!t.bounds.empty()) sig += ": " + render_.Bounds(t.bounds);
        Push("trait", path, sig + render_.Where(t.generics), item);
        for (ItemId m : t.items) {
          if (const Item* member = crate_.Find(m)) {
            Member(*member, path + "::" + member->name, "trait_", nullptr);
          }
        }
        break;
      }
      case ItemKind::kTraitAlias: {
        const auto& t = item.As<model::TraitAlias>();
        Push("trait_alias", path,
             fmt::format("trait {}{} = {}{}", path, render_.Params(t.generics),
                         render_.Bounds(t.params), render_.Where(t.generics)),
             item);
        break;
      }
      case ItemKind::kFunction:
        Push("function", path, FunctionSig(item, path), item);
        break;
      case ItemKind::kTypeAlias: {
        const auto& t = item.As<model::TypeAlias>();
        Push("type_alias", path,
             fmt::format("type {}{}{} = {}", path, render_.Params(t.generics),
                         render_.Where(t.generics), render_.Type(t.type)),
             item);
        break;
      }
      case ItemKind::kConstant: {
        const auto& c = item.As<model::Constant>();
        Push("constant", path,
             fmt::format("const {}: {}", path, render_.Type(c.type)), item);
        break;
      }
      case ItemKind::kStatic: {
        const auto& s = item.As<model::Static>();
        Push("static", path,
             fmt::format("{}static {}{}: {}", s.is_unsafe ? "unsafe " : "",
                         s.is_mutable ? "mut " : "", path, render_.Type(s.type)),
             item);
        break;
      }
      case ItemKind::kMacro:
        Push("macro", path, "macro " + path + "!", item);
        break;
      case ItemKind::kProcMacro: {
        const auto& p = item.As<model::ProcMacro>();
        const char* what = p.kind == model::ProcMacro::Kind::kDerive ? "derive "
                           : p.kind == model::ProcMacro::Kind::kAttr ? "attribute "
                                                                     : "macro ";
        Push("proc_macro", path, what + path, item);
        break;
      }
      case ItemKind::kPrimitive:
        Push("primitive", path, "primitive " + path, item);
        break;
      case ItemKind::kUse: {
        const auto& u = item.As<model::Use>();
        Push("reexport", path,
             fmt::format("pub use {}{}", u.source, u.is_glob ? "::*" : ""), item);
        break;
      }
      case ItemKind::kExternCrate: {
        const auto& e = item.As<model::ExternCrate>();
        Push("extern_crate", path, fmt::format("extern crate {} as {}", e.name, item.name), item);
        break;
      }
      case ItemKind::kExternType:
        Push("extern_type", path, "extern type " + path, item);
        break;
      default:
        break;
    }
  }

  // True when `t` names a local item that has no public path (a
  // #[doc(hidden)] type, say): such impls cannot be used from outside.
  bool IsHiddenLocal(ItemId id) const {
    const Item* target = crate_.Find(id);
    return target != nullptr && target->crate_id == 0 && !api_->canonical_paths.count(id);
  }
  // True when `id` is a local item whose every public path is
  // #[doc(hidden)] (or that has none).
  bool IsDocHiddenLocal(ItemId id) const {
    const Item* target = crate_.Find(id);
    return target != nullptr && target->crate_id == 0 && !shown_.count(id);
  }
  // `hidden_only`: test with IsDocHiddenLocal instead of IsHiddenLocal.
  bool MentionsHiddenItem(const model::Type& t, bool hidden_only = false) const {
    if (t.kind == model::Type::Kind::kResolvedPath) {
      if (hidden_only ? IsDocHiddenLocal(t.path.id) : IsHiddenLocal(t.path.id)) return true;
      if (t.path.args && MentionsHiddenItem(*t.path.args, hidden_only)) return true;
    }
    for (const model::Type& e : t.elems) {
      if (MentionsHiddenItem(e, hidden_only)) return true;
    }
    return false;
  }
  bool MentionsHiddenItem(const model::GenericArgs& a, bool hidden_only = false) const {
    for (const model::GenericArg& arg : a.args) {
      if (arg.type && MentionsHiddenItem(*arg.type, hidden_only)) return true;
    }
    for (const model::Type& t : a.inputs) {
      if (MentionsHiddenItem(t, hidden_only)) return true;
    }
    return false;
  }
  bool IsForeignTrait(const model::Impl& impl) const {
    if (!impl.trait) return false;
    const Item* trait = crate_.Find(impl.trait->id);
    return trait == nullptr || trait->crate_id != 0;
  }
  // A #[doc(hidden)] item of another crate's trait, implemented here: std's
  // derives write such helpers (`Eq::assert_receiver_is_total_eq`, renamed
  // `assert_fields_are_eq` in 1.89). They belong to the trait's crate, which
  // changes them between releases, not to this crate's API.
  bool ForeignHiddenMember(const model::Impl& impl, const Item& member) const {
    return member.attrs.doc_hidden && IsForeignTrait(impl);
  }
  // Likewise a hidden impl of another crate's trait written by a derive:
  // 1.95's derive(Clone) adds `#[doc(hidden)] impl TrivialClone`, an
  // unstable std trait.
  bool DerivedForeignHiddenImpl(const Item& item) const {
    return item.attrs.doc_hidden && item.attrs.automatically_derived &&
           IsForeignTrait(item.As<model::Impl>());
  }
  // std's #[doc(hidden)] traits that rustdoc, run with
  // --document-hidden-items, gives every type a blanket impl of. The JSON
  // does not say another crate's trait is hidden, so they are named here
  // (checked against 1.85 and 1.95; the doc oracle fails on any other);
  // their impls are marked hidden.
  static bool IsStdHiddenTrait(const std::string& path) {
    return path == "core::mem::SizedTypeProperties" || path == "core::asserting::Printable";
  }

  // rustdoc's HTML leaves out impls of hidden traits and impls naming hidden
  // types: such impls are marked hidden.
  bool ImplNamesHidden(const model::Impl& impl) const {
    if (impl.trait && (IsDocHiddenLocal(impl.trait->id) ||
                       (impl.trait->args && MentionsHiddenItem(*impl.trait->args, true)))) {
      return true;
    }
    return MentionsHiddenItem(impl.for_type, true);
  }

  static std::string Location(const Item& item) {
    return item.span ? item.span->ToString() : std::string();
  }

  // The attributes that change how an item may be used, as rustdoc shows them.
  static std::string AttributePrefix(const Item& item) {
    std::string out;
    if (item.deprecation) out += "#[deprecated] ";
    if (item.attrs.must_use) out += "#[must_use] ";
    if (item.attrs.non_exhaustive) out += "#[non_exhaustive] ";
    if (!item.attrs.repr.empty()) out += "#[repr(" + item.attrs.repr + ")] ";
    return out;
  }

  ApiEntry& Push(std::string kind, std::string path, std::string sig, const Item& item) {
    emitted_.insert(item.id);
    ApiEntry e;
    e.kind = std::move(kind);
    e.path = std::move(path);
    e.signature = AttributePrefix(item) + sig;
    e.location = Location(item);
    e.id = item.id;
    e.hidden = hidden_ || item.attrs.doc_hidden;
    api_->entries.push_back(std::move(e));
    return api_->entries.back();
  }

  void Fields(const std::vector<ItemId>& fields, const std::string& parent,
              const char* kind, bool tuple) {
    for (size_t i = 0; i < fields.size(); ++i) {
      const Item* f = crate_.Find(fields[i]);
      if (f == nullptr || f->kind != ItemKind::kStructField) continue;
      if (f->visibility.kind != model::Visibility::Kind::kPublic &&
          f->visibility.kind != model::Visibility::Kind::kDefault) {
        continue;
      }
      std::string name = tuple ? std::to_string(i) : f->name;
      std::string path = parent + "::" + name;
      Push(kind, path,
           fmt::format("{} {}: {}", kind, path,
                       render_.Type(f->As<model::StructField>().type)),
           *f);
    }
  }

  void Variant(const Item& var, const std::string& enum_path) {
    bool outer_hidden = hidden_;
    hidden_ |= var.attrs.doc_hidden;
    VariantEntries(var, enum_path);
    hidden_ = outer_hidden;
  }

  void VariantEntries(const Item& var, const std::string& enum_path) {
    const auto& v = var.As<model::Variant>();
    std::string path = enum_path + "::" + var.name;
    std::string sig = "variant " + path;
    if (v.kind == model::Variant::Kind::kTuple) {
      std::vector<std::string> types;
      for (ItemId f : v.fields) {
        const Item* field = crate_.Find(f);
        types.push_back(field ? render_.Type(field->As<model::StructField>().type) : "_");
      }
      sig += fmt::format("({})", fmt::join(types, ", "));
    } else if (v.kind == model::Variant::Kind::kStruct) {
      sig += " { .. }";
    }
    if (v.discriminant_expr) sig += " = " + *v.discriminant_expr;
    Push("variant", path, sig, var);
    Fields(v.fields, path, "variant_field", v.kind == model::Variant::Kind::kTuple);
  }

  std::string FunctionSig(const Item& item, const std::string& path) {
    const auto& f = item.As<model::Function>();
    return fmt::format("{}fn {}{}{}{}", render_.Header(f.header), path,
                       render_.Params(f.generics), render_.Signature(f.sig),
                       render_.Where(f.generics));
  }

  // A member of a trait definition (prefix "trait_"), of an inherent impl
  // (prefix "") or of a trait impl (prefix "impl_").
  void Member(const Item& m, const std::string& path, const std::string& prefix,
              const ApiEntry* impl) {
    ApiEntry* e = nullptr;
    switch (m.kind) {
      case ItemKind::kFunction:
        e = &Push(prefix + "method", path, FunctionSig(m, path), m);
        break;
      case ItemKind::kAssocConst: {
        const auto& c = m.As<model::AssocConst>();
        e = &Push(prefix + (prefix.empty() ? "assoc_const" : "const"), path,
                  fmt::format("const {}: {}", path, render_.Type(c.type)), m);
        break;
      }
      case ItemKind::kAssocType: {
        const auto& t = m.As<model::AssocType>();
        std::string sig = "type " + path + render_.Params(t.generics);
        if (!t.bounds.empty()) sig += ": " + render_.Bounds(t.bounds);
        if (t.type) sig += " = " + render_.Type(*t.type);
        e = &Push(prefix + (prefix.empty() ? "assoc_type" : "type"), path, sig, m);
        break;
      }
      default:
        return;
    }
    if (impl != nullptr) {
      e->for_path = impl->for_path;
      e->trait = impl->trait;
      e->origin = impl->origin;
    }
  }

  void Impls(const std::vector<ItemId>& impls, const std::string& type_path,
             ItemId self_id) {
    for (ItemId id : impls) {
      const Item* item = crate_.Find(id);
      if (item == nullptr || item->kind != ItemKind::kImpl) continue;
      if (DerivedForeignHiddenImpl(*item)) continue;
      const auto& impl = item->As<model::Impl>();
      bool outer_hidden = hidden_;
      hidden_ |= ImplNamesHidden(impl) ||
                 (impl.trait && IsStdHiddenTrait(render_.PathName(*impl.trait)));
      render_.set_self_type(&impl.for_type);
      if (!impl.trait) {
        for (ItemId m : impl.items) {
          const Item* member = crate_.Find(m);
          if (member == nullptr || !IsVisible(*member)) continue;
          Member(*member, type_path + "::" + member->name, "", nullptr);
        }
      } else {
        std::string trait = render_.Path(*impl.trait);
        std::string origin = impl.is_synthetic ? "synthetic"
                             : impl.blanket_impl ? "blanket"
                                                 : "local";
        std::string for_text = render_.Type(impl.for_type);
        // rustdoc lists `impl From<Local> for u8` under Local: then the
        // implementing type is u8, not the type being listed.
        bool for_self = impl.for_type.kind == model::Type::Kind::kResolvedPath &&
                        impl.for_type.path.id == self_id;
        std::string sig = fmt::format("{}impl{} {}{} for {}{}",
                                      impl.is_unsafe ? "unsafe " : "",
                                      render_.Params(impl.generics),
                                      impl.is_negative ? "!" : "", trait, for_text,
                                      render_.Where(impl.generics));
        ApiEntry& e = Push("impl", type_path, sig, *item);
        e.for_path = for_self ? type_path : for_text;
        e.trait = render_.PathName(*impl.trait);
        e.origin = origin;
        ApiEntry copy = e;
        if (origin == "local") {
          for (ItemId m : impl.items) {
            const Item* member = crate_.Find(m);
            if (member == nullptr || ForeignHiddenMember(impl, *member)) continue;
            Member(*member,
                   fmt::format("<{} as {}>::{}", copy.for_path, copy.trait, member->name),
                   "impl_", &copy);
          }
        }
      }
      render_.set_self_type(nullptr);
      hidden_ = outer_hidden;
    }
  }

  const model::Crate& crate_;
  PublicApi* api_;
  TypeRenderer render_;
  std::set<ItemId> shown_;
  std::set<ItemId> emitted_;
  bool hidden_ = false;  // the entries being pushed are under a hidden path
};

bool BetterPath(const std::string& a, const std::string& b) {
  auto depth = [](const std::string& s) {
    size_t n = 0;
    for (size_t p = s.find("::"); p != std::string::npos; p = s.find("::", p + 2)) ++n;
    return n;
  };
  size_t da = depth(a);
  size_t db = depth(b);
  return da != db ? da < db : a < b;
}

}  // namespace

bool ApiEntry::operator<(const ApiEntry& o) const {
  return std::tie(path, kind, signature, location) <
         std::tie(o.path, o.kind, o.signature, o.location);
}

PublicApi BuildPublicApi(const model::Crate& crate) {
  PublicApi api;
  api.crate_name = crate.name;
  api.crate_version = crate.crate_version;
  api.format_version = crate.format_version;

  std::vector<FoundPath> paths = PathCollector(crate).Collect();
  std::set<ItemId> shown;
  std::map<ItemId, bool> canonical_hidden;
  for (const FoundPath& p : paths) {
    const Item* item = crate.Find(p.id);
    if (item == nullptr || item->crate_id != 0 || item->kind == ItemKind::kUse) continue;
    if (!p.hidden) shown.insert(p.id);
    auto [it, inserted] = api.canonical_paths.emplace(p.id, p.path);
    bool& was_hidden = canonical_hidden[p.id];
    if (inserted || (was_hidden && !p.hidden) ||
        (was_hidden == p.hidden && BetterPath(p.path, it->second))) {
      it->second = p.path;
      was_hidden = p.hidden;
    }
  }
  // A path reached both ways is hidden only when every way is.
  std::map<std::pair<ItemId, std::string>, bool> unique;
  for (const FoundPath& p : paths) {
    auto [it, inserted] = unique.emplace(std::make_pair(p.id, p.path), p.hidden);
    if (!inserted) it->second = it->second && p.hidden;
  }
  EntryBuilder builder(crate, &api, std::move(shown));
  std::set<std::pair<ItemId, std::string>> seen;
  for (const FoundPath& p : paths) {
    if (!seen.insert({p.id, p.path}).second) continue;
    if (const Item* item = crate.Find(p.id)) builder.Add(*item, p.path, unique[{p.id, p.path}]);
  }
  builder.AddOrphanImpls();
  std::sort(api.entries.begin(), api.entries.end());
  api.entries.erase(std::unique(api.entries.begin(), api.entries.end(),
                                [](const ApiEntry& a, const ApiEntry& b) {
                                  return !(a < b) && !(b < a);
                                }),
                    api.entries.end());
  return api;
}

}  // namespace rdylib::api
