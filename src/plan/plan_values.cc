// Constants, statics, macros and type aliases.
#include <fmt/format.h>

#include <cctype>
#include <cstdlib>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "plan/planner.h"
#include "util/files.h"

namespace rdylib::plan::internal {

std::string WrappedLiteral(const std::string& literal, const std::string& scalar) {
  // `pub const CLONE_IO: c_int = 0x80000000;` under the library's
  // `#[allow(overflowing_literals)]` is the bit pattern as i32: the same
  // value, written as a cast the facade compiles without the allowance.
  if (scalar.size() < 2 || scalar[0] != 'i' || scalar == "isize") return literal;
  int bits = std::atoi(scalar.c_str() + 1);
  if (bits <= 0 || bits > 64) return literal;
  std::string digits;
  for (char ch : literal) {
    if (ch != '_') digits += ch;
  }
  int base = 10;
  size_t at = 0;
  if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'o' || digits[1] == 'b')) {
    base = digits[1] == 'x' ? 16 : digits[1] == 'o' ? 8 : 2;
    at = 2;
  }
  unsigned long long value = 0;
  for (; at < digits.size(); ++at) {
    int d = std::isdigit(static_cast<unsigned char>(digits[at])) ? digits[at] - '0'
            : std::isxdigit(static_cast<unsigned char>(digits[at]))
                ? std::tolower(static_cast<unsigned char>(digits[at])) - 'a' + 10
                : -1;
    if (d < 0 || d >= base) return literal;  // a suffix, a sign, an expression: as written
    if (value > (~0ULL - d) / base) return literal;
    value = value * base + d;
  }
  unsigned long long max_signed = (1ULL << (bits - 1)) - 1;
  if (value <= max_signed) return literal;
  if (bits < 64 && value >> bits) return literal;  // out of range for the unsigned type too
  return fmt::format("{}u{} as i{}", literal, bits, bits);
}

void Planner::PlanConsts() {
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
      c.value = v.kind == AbiValue::Kind::kScalar ? WrappedLiteral(literal, v.scalar) : literal;
      Status(e.kind, e.path, "exported", "a literal, copied");
    } else if ((v.kind == AbiValue::Kind::kScalar || v.kind == AbiValue::Kind::kChar) &&
               layouts_.FindConst(e.path) != nullptr) {
      c.facade_type = render_.Type(resolved);
      // Built as the primitive (an alias names one): its byte constructor.
      c.value = MeasuredValue(e.path, v.kind == AbiValue::Kind::kScalar ? v.scalar : c.facade_type, &reason);
      Status(e.kind, e.path, "exported", "the library's value, measured as bytes");
    } else {
      Status(e.kind, e.path, "unsupported", "its value is not a literal rdylib can copy");
      continue;
    }
    plan_.consts.push_back(std::move(c));
  }
}

std::string Planner::MeasuredValue(const std::string& path, const std::string& ty, std::string* why) {
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

bool Planner::CopyValue(const model::Type& type, const AbiValue& v) const {
  if (v.kind == AbiValue::Kind::kScalar || v.kind == AbiValue::Kind::kChar) return true;
  if (v.kind != AbiValue::Kind::kValue) return false;
  if (type.kind == model::Type::Kind::kArray) {
    AbiValue elem;
    std::string ignored;
    return Classify(type.elems[0], false, *this, &elem, &ignored) && CopyValue(type.elems[0], elem);
  }
  auto it = pinned_.find(type.path.id);
  if (const ForeignType* f = Foreign(type.path.id); f && it == pinned_.end()) return f->is_copy;
  return it != pinned_.end() && plan_.types[it->second].is_copy;
}

void Planner::PlanStatics() {
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
      sp.symbol = fmt::format("rdylib_v{}_{}", kAbiVersion, Mangle(e.path));
      if (!atomic) sp.value_form = v;
      Status("static", e.path, "converted",
             "the library's own object: the facade's static derefs to it (use *NAME for the value)");
    }
    plan_.statics.push_back(std::move(sp));
  }
}

void Planner::PlanMacrosAndAliases() {
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

std::string Planner::SourceText(const Item& item) {
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

bool Planner::LooksLiteral(const std::string& v) {
  if (v.empty()) return false;
  if (v == "true" || v == "false") return true;
  char c = v[0];
  return c == '"' || c == '\'' || (c >= '0' && c <= '9') ||
         (c == '-' && v.size() > 1 && v[1] >= '0' && v[1] <= '9');
}

}  // namespace rdylib::plan::internal
