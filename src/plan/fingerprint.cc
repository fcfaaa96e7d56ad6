// Canonical texts of boundary forms and type shapes, and the hashes built
// from them.
#include "plan/fingerprint.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "util/files.h"

namespace rdylib::plan {
namespace {

using Kind = AbiValue::Kind;

std::string Join(const std::vector<std::string>& parts) { return fmt::format("{}", fmt::join(parts, ", ")); }

std::string Children(const AbiValue& v) {
  std::vector<std::string> parts;
  for (const AbiValue& c : v.children) parts.push_back(FormText(c));
  return Join(parts);
}

// The crate's types a value names, in order.
void CollectTypes(const AbiValue& v, std::vector<model::ItemId>* out) {
  if (v.type_id != model::kNoId) out->push_back(v.type_id);
  for (const AbiValue& c : v.children) CollectTypes(c, out);
}

const char* ShapeKind(const TypePlan& t) {
  if (t.opaque_enum) return "opaque enum";
  switch (t.shape) {
    case TypePlan::Shape::kStruct: return "struct";
    case TypePlan::Shape::kTupleStruct: return "tuple struct";
    case TypePlan::Shape::kUnitStruct: return "unit struct";
    case TypePlan::Shape::kEnum: return "enum";
    case TypePlan::Shape::kDataEnum: return "enum with data";
  }
  return "type";
}

std::string VariantText(const VariantPlan& v) {
  std::vector<std::string> fields;
  for (const VariantField& f : v.fields) {
    fields.push_back(v.kind == VariantPlan::Kind::kStruct ? f.name + ": " + FormText(f.value) : FormText(f.value));
  }
  switch (v.kind) {
    case VariantPlan::Kind::kPlain: return v.name;
    case VariantPlan::Kind::kTuple: return fmt::format("{}({})", v.name, Join(fields));
    case VariantPlan::Kind::kStruct: return fmt::format("{} {{ {} }}", v.name, Join(fields));
  }
  return v.name;
}

// Computes shape hashes depth-first; a type met again while its own hash is
// being computed (a linked list's `Option<Box<Node>>`) adds its path only.
class Hasher {
 public:
  explicit Hasher(Plan* plan) : plan_(*plan) {
    for (size_t i = 0; i < plan_.types.size(); ++i) index_[plan_.types[i].id] = i;
    for (const ForeignType& f : plan_.foreign_types) foreign_[f.id] = f.path + "@" + f.shape_hash;
  }

  /// The hash of `ids`' shapes, in order (a dependency's type by its path and
  /// its shape hash in the dependency's plan); others add nothing.
  std::string Deps(const std::vector<model::ItemId>& ids) {
    std::string out;
    for (model::ItemId id : ids) {
      if (auto f = foreign_.find(id); f != foreign_.end()) {
        out += f->second + ",";
        continue;
      }
      auto it = index_.find(id);
      if (it == index_.end()) continue;
      out += TypeHash(it->second) + ",";
    }
    return out;
  }

  const std::string& TypeHash(size_t i) {
    TypePlan& t = plan_.types[i];
    if (!t.shape_hash.empty()) return t.shape_hash;
    if (!in_progress_.insert(i).second) {
      static const std::string kCycle = "cycle";
      return kCycle;
    }
    if (t.shape_text.empty()) t.shape_text = ShapeText(t);
    std::vector<model::ItemId> named;
    for (const FieldPlan& f : t.fields) named.insert(named.end(), f.mentions.begin(), f.mentions.end());
    for (const VariantPlan& v : t.data_variants) {
      for (const VariantField& f : v.fields) CollectTypes(f.value, &named);
    }
    std::string deps = Deps(named);
    t.shape_hash = HexHash(t.path + "\n" + t.shape_text + "\n" + deps).substr(0, 8);
    in_progress_.erase(i);
    return t.shape_hash;
  }

  std::string TypeHashById(model::ItemId id) {
    auto it = index_.find(id);
    return it == index_.end() ? "" : TypeHash(it->second);
  }

 private:
  Plan& plan_;
  std::map<model::ItemId, size_t> index_;
  std::map<model::ItemId, std::string> foreign_;
  std::set<size_t> in_progress_;
};

const char* ReceiverText(FunctionPlan::Receiver r) {
  switch (r) {
    case FunctionPlan::Receiver::kNone: return "no receiver";
    case FunctionPlan::Receiver::kRef: return "&self";
    case FunctionPlan::Receiver::kRefMut: return "&mut self";
    case FunctionPlan::Receiver::kValue: return "self";
  }
  return "";
}

}  // namespace

std::string FormText(const AbiValue& v) {
  switch (v.kind) {
    case Kind::kUnit: return "()";
    case Kind::kScalar: return v.scalar;
    case Kind::kChar: return "char";
    case Kind::kStr: return "&str";
    case Kind::kString: return "String";
    case Kind::kRef: return (v.is_mutable ? "&mut " : "&") + v.facade_type;
    case Kind::kValue: return v.facade_type;
    case Kind::kOption: return fmt::format("Option<{}>", Children(v));
    case Kind::kResult: return fmt::format("Result<{}>", Children(v));
    case Kind::kEnum: return "enum " + v.facade_type;
    case Kind::kSlice:
      // A `&mut` slice of trait objects crosses as moved boxes, handed back.
      if (v.is_mutable && v.children[0].kind == Kind::kDynBox) {
        return fmt::format("&mut [{}] (moved in, each slot handed back)", Children(v));
      }
      return fmt::format("&{}[{}]", v.is_mutable ? "mut " : "", Children(v));
    case Kind::kTuple: return fmt::format("({})", Children(v));
    case Kind::kVec:
      if (v.is_mutable) return fmt::format("&mut Vec<{}> (moved in, handed back)", Children(v));
      return fmt::format("Vec<{}>", Children(v));
    case Kind::kBox: return fmt::format("Box<{}>", Children(v));
    case Kind::kCowStr:
      return fmt::format("{}{}", v.children.empty() ? "Cow<str>" : "Cow<[u8]>", v.copy_borrowed ? " (copied)" : "");
    case Kind::kStdSelf:
      return fmt::format("self {}{}{} (a view, rebuilt)", v.is_mutable ? "&mut " : "&", v.self_through_ref ? "&" : "",
                         v.self_container == "slice" ? (v.scalar == "str" ? "str" : "[u8]")
                         : v.self_container == "owned" ? (v.scalar == "str" ? "String" : "Vec<u8>")
                                                       : (v.scalar == "str" ? "Cow<str>" : "Cow<[u8]>"));
    case Kind::kStdWire: return v.facade_type + " (std wire code)";
    case Kind::kDynError: return "Box<dyn Error + Send + Sync>";
    case Kind::kCollection:
      return fmt::format("{}{}<{}> ({})", v.lent ? "&" : "", v.container, Children(v),
                         v.lent ? "lent as a Vec, rebuilt" : "a Vec, rebuilt");
    case Kind::kShared: return fmt::format("{}<{}> (one allocation, {})", v.container, Children(v), v.std_fact);
    case Kind::kCellValue:
      return fmt::format("{}<{}> (moved: into_inner, rebuilt{})", v.container, Children(v),
                         v.container == "Mutex" || v.container == "RwLock" ? "; poison kept" : "");
    case Kind::kErased: return fmt::format("erased {} ({})", v.erased_mode, v.erased_text);
    case Kind::kIter: return fmt::format("impl Iterator<Item = {}>", Children(v));
    case Kind::kBufferMut:
      return v.children.empty() ? "&mut String (copied in, written back)"
                                : fmt::format("&mut Vec<{}> (copied in, written back)", Children(v));
    // The vtable's layout hash: a changed method list or signature changes
    // every symbol that passes the table.
    case Kind::kDynBox:
      if (v.erased_mode == "generic") return fmt::format("generic {} vtable {}", v.facade_type, v.dyn_hash);
      return fmt::format("{}<{}> vtable {}", v.impl_trait ? "impl" : "Box", v.facade_type, v.dyn_hash);
    case Kind::kDynRef:
      if (v.erased_mode == "generic") {
        return fmt::format("&{}generic {}{} vtable {}", v.is_mutable ? "mut " : "", v.facade_type,
                           v.maybe_unsized ? " + ?Sized" : "", v.dyn_hash);
      }
      return fmt::format("&{}{}{} vtable {}", v.static_borrow ? "'static " : "", v.is_mutable ? "mut " : "",
                         v.facade_type, v.dyn_hash);
  }
  return "?";
}

std::string ShapeText(const TypePlan& t) {
  std::vector<std::string> clauses;
  clauses.push_back(std::string(ShapeKind(t)) + (t.non_exhaustive ? " non_exhaustive" : ""));
  if (t.shape == TypePlan::Shape::kDataEnum) {
    std::vector<std::string> variants;
    for (const VariantPlan& v : t.data_variants) variants.push_back(VariantText(v));
    clauses.push_back("variants " + (variants.empty() ? std::string("none") : Join(variants)));
  } else {
    clauses.push_back(fmt::format("size {}", t.size));
    clauses.push_back(fmt::format("align {}", t.align));
    clauses.push_back(t.needs_drop ? "needs_drop" : "no drop glue");
    std::vector<std::string> fields;
    for (const FieldPlan& f : t.fields) fields.push_back(fmt::format("{}: {} @{}", f.name, f.facade_type, f.offset));
    clauses.push_back(fields.empty() ? "no public fields" : "fields " + Join(fields));
    for (const FieldPlan& f : t.fields) {
      for (const auto& [part, offset] : f.parts) clauses.push_back(fmt::format("part {} @{}", part, offset));
    }
    if (!t.all_fields_cross) clauses.push_back("opaque bytes");
    if (!t.freeze) clauses.push_back("interior mutability");
    if (t.shape == TypePlan::Shape::kEnum) {
      std::vector<std::string> tags;
      for (const auto& [name, tag] : t.variants) tags.push_back(name + " = " + tag);
      clauses.push_back("tags " + (tags.empty() ? std::string("none") : Join(tags)));
      if (!t.tag_repr.empty()) clauses.push_back("repr " + t.tag_repr);
    }
  }
  clauses.push_back(t.is_copy ? "Copy" : "not Copy");
  clauses.push_back("traits " + (t.traits.empty() ? std::string("none") : Join(t.traits)));
  clauses.push_back("derives " + (t.derives.empty() ? std::string("none") : Join(t.derives)));
  if (t.forward_drop) clauses.push_back("Drop in the library");
  if (t.error_source) clauses.push_back("Error::source forwarded");
  clauses.push_back("auto traits " + (t.marker.empty() ? std::string("Send Sync") : "without " + t.marker));
  return fmt::format("{}", fmt::join(clauses, " | "));
}

// Whether the facade declares `f` unsafe (`pub unsafe fn`, `unsafe fn` in
// an impl).
static bool IsUnsafe(const FunctionPlan& f) {
  return f.facade_signature.starts_with("unsafe fn ") || f.facade_signature.starts_with("pub unsafe fn ");
}

void AssignFingerprints(Plan* plan) {
  Hasher hasher(plan);
  for (size_t i = 0; i < plan->types.size(); ++i) hasher.TypeHash(i);
  for (FunctionPlan& f : plan->functions) {
    std::vector<model::ItemId> named;
    // An unsafe function's caller has obligations a safe one's does not:
    // a function that becomes unsafe must not be found by an old facade.
    std::string text = (IsUnsafe(f) ? "unsafe " : "") + f.path + "; " + ReceiverText(f.receiver);
    if (f.owner >= 0 && f.receiver != FunctionPlan::Receiver::kNone) {
      const TypePlan& owner = plan->types[f.owner];
      text += fmt::format(" of {} {}", ShapeKind(owner), owner.path);
      named.push_back(owner.id);
    }
    std::vector<std::string> params;
    for (const ParamPlan& p : f.params) {
      params.push_back(FormText(p.value));
      CollectTypes(p.value, &named);
    }
    CollectTypes(f.ret, &named);
    text += fmt::format("; params {}; returns {}", Join(params), FormText(f.ret));
    f.symbol += "_" + HexHash(text + "\n" + hasher.Deps(named)).substr(0, 8);
  }
  plan->checks.clear();
  for (const TypePlan& t : plan->types) {
    if (t.supported) plan->checks.push_back({t.path, t.shape_text});
  }
  // A library trait: its declaration, as the facade writes it.
  for (const TraitPlan& t : plan->traits) {
    if (!t.supported) continue;
    // With its vtable's layout: a consumer's table must be the one the
    // library's proxy reads.
    std::string vtable = t.vtable >= 0 ? " | " + plan->vtables[t.vtable].layout_text : "";
    // The default bodies the facade copies (every candidate, also those the
    // compiler later rejects): a library whose defaults changed is another
    // library for consumer types that run them.
    std::string bodies;
    for (const TraitMethodPlan& m : t.methods) {
      if (!m.copied_body.empty()) bodies += m.name + "\n" + m.copied_body + "\n";
    }
    if (!bodies.empty()) vtable += " | default bodies " + HexHash(bodies).substr(0, 8);
    plan->checks.push_back({t.path, "trait " + t.shape_text + vtable});
  }
  // An instance's vtable (`dyn Handler<Event>`): its layout, by its canonical text.
  for (const VtablePlan& vt : plan->vtables) {
    if (!vt.instance.empty()) plan->checks.push_back({vt.instance, "vtable instance " + vt.layout_text});
  }
  // A copied generic function: a library whose body changed is another
  // library for the consumer's instances of it.
  for (const CopiedFunctionPlan& f : plan->copied_functions) {
    plan->checks.push_back({f.path, "copied fn " + HexHash(f.declaration + "\n" + f.body).substr(0, 8)});
  }
  // A copied generic type (every candidate): a library whose definition or
  // impls changed is another library, as for a copied function.
  for (const CopiedTypePlan& t : plan->copied_types) {
    std::string text = t.derives + t.definition;
    for (const CopiedImplPlan& impl : t.impls) text += "\n" + impl.text;
    plan->checks.push_back({t.path, "copied type " + HexHash(text).substr(0, 8)});
  }
  // A dependency's type this crate's thunks use: a library built against
  // another shape of it is refused by its name.
  std::set<std::string> foreign_checked;  // one type may have several ids
  for (const ForeignType& f : plan->foreign_types) {
    if (foreign_checked.insert(f.path).second) plan->checks.push_back({f.path, f.shape_text});
  }
  for (const ConstPlan& c : plan->consts) {
    plan->checks.push_back({c.path, fmt::format("const {} = {}", c.facade_type, c.value)});
  }
  for (StaticPlan& s : plan->statics) {
    if (!s.value.empty()) {
      plan->checks.push_back({s.path, fmt::format("static {} = {}", s.facade_type, s.value)});
      continue;
    }
    std::vector<model::ItemId> named;
    CollectTypes(s.value_form, &named);
    std::string text = fmt::format("static {}; {}", s.facade_type, s.shim_type);
    s.symbol += "_" + HexHash(text + "\n" + hasher.Deps(named)).substr(0, 8);
  }
  std::sort(plan->checks.begin(), plan->checks.end(),
            [](const ShapeCheck& a, const ShapeCheck& b) { return a.path < b.path; });
}

}  // namespace rdylib::plan
