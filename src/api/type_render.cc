// Renders model types as Rust source text.
#include "api/type_render.h"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <string_view>

namespace rdylib::api {
namespace {

using model::GenericArg;
using model::GenericBound;
using model::GenericParamDef;
using model::Type;

constexpr std::array<std::pair<std::string_view, std::string_view>, 5> kPrelude = {{
    {"core::option::Option", "Option"},
    {"core::result::Result", "Result"},
    {"alloc::string::String", "String"},
    {"alloc::vec::Vec", "Vec"},
    {"alloc::boxed::Box", "Box"},
}};

template <typename T, typename F>
std::string Join(const std::vector<T>& items, std::string_view sep, F&& f) {
  std::string out;
  for (const T& item : items) {
    if (!out.empty()) out += sep;
    out += f(item);
  }
  return out;
}

}  // namespace

// Modules of std that are private: rustdoc gives an item's defining path
// (`core::iter::traits::iterator::Iterator`), which code outside std cannot
// name. Each item in them is re-exported by name at the module given.
std::string PublicStdPathsIn(std::string text) {
  static const std::pair<const char*, const char*> kPrivate[] = {
      {"core::iter::traits::iterator::", "core::iter::"}, {"core::iter::traits::", "core::iter::"},
      {"core::iter::adapters::", "core::iter::"}, {"core::iter::sources::", "core::iter::"},
      {"core::iter::range::", "core::iter::"}, {"core::ops::arith::", "core::ops::"},
      {"core::ops::bit::", "core::ops::"}, {"core::ops::control_flow::", "core::ops::"},
      {"core::ops::deref::", "core::ops::"}, {"core::ops::drop::", "core::ops::"},
      {"core::ops::function::", "core::ops::"}, {"core::ops::index::", "core::ops::"},
      {"core::ops::range::", "core::ops::"}, {"core::ops::try_trait::", "core::ops::"},
      {"core::str::traits::", "core::str::"}, {"core::str::iter::", "core::str::"},
      {"core::str::error::", "core::str::"}, {"core::slice::iter::", "core::slice::"},
      {"core::slice::index::", "core::slice::"}, {"core::num::error::", "core::num::"},
      {"core::num::nonzero::", "core::num::"}, {"core::hash::sip::", "core::hash::"},
      {"core::num::wrapping::", "core::num::"}, {"core::num::saturating::", "core::num::"},
      {"core::num::dec2flt::", "core::num::"}, {"core::char::convert::", "core::char::"},
      {"core::net::ip_addr::", "core::net::"}, {"core::net::socket_addr::", "core::net::"},
      {"core::ffi::c_str::", "core::ffi::"}, {"alloc::ffi::c_str::", "alloc::ffi::"},
      {"alloc::vec::into_iter::", "alloc::vec::"}, {"alloc::vec::drain::", "alloc::vec::"},
      {"alloc::collections::btree::map::", "alloc::collections::btree_map::"},
      {"alloc::collections::btree::set::", "alloc::collections::btree_set::"},
      {"std::collections::hash::map::", "std::collections::hash_map::"},
      {"std::collections::hash::set::", "std::collections::hash_set::"},
      {"std::io::error::", "std::io::"}, {"std::io::stdio::", "std::io::"},
      {"std::io::cursor::", "std::io::"}, {"std::io::util::", "std::io::"},
      {"std::io::buffered::bufreader::", "std::io::"}, {"std::io::buffered::bufwriter::", "std::io::"},
      {"std::io::buffered::linewriter::", "std::io::"}, {"std::io::buffered::", "std::io::"},
      {"std::ffi::os_str::", "std::ffi::"}, {"std::os::fd::owned::", "std::os::fd::"},
      {"std::os::fd::raw::", "std::os::fd::"}, {"std::thread::local::", "std::thread::"},
      {"std::sync::poison::mutex::", "std::sync::"}, {"std::sync::poison::rwlock::", "std::sync::"},
      {"std::sync::poison::condvar::", "std::sync::"}, {"std::sync::poison::", "std::sync::"},
      {"std::sync::mutex::", "std::sync::"}, {"std::sync::rwlock::", "std::sync::"},
      {"std::sync::condvar::", "std::sync::"}, {"std::sync::once::", "std::sync::"},
      {"std::sync::barrier::", "std::sync::"}, {"std::net::tcp::", "std::net::"},
      {"std::net::udp::", "std::net::"}, {"std::net::ip_addr::", "std::net::"},
      {"std::net::socket_addr::", "std::net::"}};
  for (const auto& [from, to] : kPrivate) {
    std::string f = from;
    for (size_t p = text.find(f); p != std::string::npos; p = text.find(f, p)) {
      // Private submodules below the prefix go too (`traits::double_ended::`):
      // the item is re-exported by name at `to`.
      size_t end = p + f.size();
      for (size_t next = text.find("::", end);
           next != std::string::npos && end < text.size() && std::islower(static_cast<unsigned char>(text[end])) &&
           text.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_", end) == next;
           next = text.find("::", end)) {
        end = next + 2;
      }
      text.replace(p, end - p, to);
      p += std::string(to).size();
    }
  }
  return text;
}

std::string PublicStdPath(const std::string& full) { return PublicStdPathsIn(full); }

std::string TypeRenderer::PathName(const model::Path& p) const {
  if (p.id == override_id_ && override_id_ != model::kNoId) return override_path_;
  if (local_paths_ != nullptr) {
    auto it = local_paths_->find(p.id);
    if (it != local_paths_->end()) return it->second;
  }
  if (const model::ItemSummary* s = crate_.FindPath(p.id)) {
    std::string full = s->Joined();
    // Generated code must name what it can reach; the API listing keeps the
    // defining path, by which items are identified.
    if (full_std_paths_) full = PublicStdPath(full);
    for (const auto& [long_name, short_name] : kPrelude) {
      if (full == long_name && !full_std_paths_) return std::string(short_name);
    }
    return full;
  }
  return p.name;
}

std::string TypeRenderer::Path(const model::Path& p) const {
  std::string out = PathName(p);
  if (p.args) out += Args(*p.args);
  return out;
}

std::string TypeRenderer::Args(const model::GenericArgs& a) const {
  using Kind = model::GenericArgs::Kind;
  switch (a.kind) {
    case Kind::kAngleBracketed: {
      std::vector<std::string> parts;
      for (const GenericArg& arg : a.args) {
        switch (arg.kind) {
          case GenericArg::Kind::kLifetime: parts.push_back(arg.lifetime); break;
          case GenericArg::Kind::kType: parts.push_back(Type(*arg.type)); break;
          case GenericArg::Kind::kConst: parts.push_back(arg.const_expr); break;
          case GenericArg::Kind::kInfer: parts.push_back("_"); break;
        }
      }
      for (const model::AssocItemConstraint& c : a.constraints) {
        std::string s = c.name + (c.args ? Args(*c.args) : "");
        if (c.is_equality) {
          s += " = " + (c.equality_type ? Type(*c.equality_type) : c.equality_const);
        } else {
          s += ": " + Bounds(c.bounds);
        }
        parts.push_back(std::move(s));
      }
      if (parts.empty()) return "";
      return fmt::format("<{}>", fmt::join(parts, ", "));
    }
    case Kind::kParenthesized: {
      std::string out = "(" + Join(a.inputs, ", ", [&](const model::Type& t) { return Type(t); }) + ")";
      if (a.output) out += " -> " + Type(*a.output);
      return out;
    }
    case Kind::kReturnTypeNotation:
      return "(..)";
  }
  return "";
}

std::string TypeRenderer::Binder(const std::vector<GenericParamDef>& params) const {
  if (params.empty()) return "";
  return "for<" + Join(params, ", ", [&](const GenericParamDef& p) { return Param(p); }) + "> ";
}

std::string TypeRenderer::Bounds(const std::vector<GenericBound>& bounds) const {
  return Join(bounds, " + ", [&](const GenericBound& b) -> std::string {
    switch (b.kind) {
      case GenericBound::Kind::kTrait: {
        std::string prefix = Binder(b.generic_params);
        if (b.modifier == GenericBound::Modifier::kMaybe) prefix += "?";
        if (b.modifier == GenericBound::Modifier::kMaybeConst) prefix += "~const ";
        return prefix + Path(b.trait);
      }
      case GenericBound::Kind::kOutlives:
        return b.lifetime;
      case GenericBound::Kind::kUse:
        return fmt::format("use<{}>", fmt::join(b.use_args, ", "));
    }
    return "";
  });
}

std::string TypeRenderer::Type(const model::Type& t) const {
  using Kind = model::Type::Kind;
  switch (t.kind) {
    case Kind::kResolvedPath:
      return Path(t.path);
    case Kind::kDynTrait: {
      std::string out = "dyn " + Join(t.dyn_trait->traits, " + ",
                                      [&](const model::DynTrait::PolyTrait& p) {
                                        return Binder(p.generic_params) + Path(p.trait);
                                      });
      if (!t.dyn_trait->lifetime.empty()) out += " + " + t.dyn_trait->lifetime;
      return out;
    }
    case Kind::kGeneric:
      if (t.name == "Self" && self_ != nullptr) return Type(*self_);
      return t.name;
    case Kind::kPrimitive:
      return t.name;
    case Kind::kFunctionPointer: {
      const model::FunctionPointer& f = *t.fn_pointer;
      std::string out = Binder(f.generic_params) + Header(f.header) + "fn(";
      out += Join(f.sig.inputs, ", ", [&](const auto& in) { return Type(in.second); });
      if (f.sig.is_c_variadic) out += ", ...";
      out += ")";
      if (f.sig.output) out += " -> " + Type(*f.sig.output);
      return out;
    }
    case Kind::kTuple:
      if (t.elems.size() == 1) return "(" + Type(t.elems[0]) + ",)";
      return "(" + Join(t.elems, ", ", [&](const model::Type& e) { return Type(e); }) + ")";
    case Kind::kSlice:
      return "[" + Type(t.elems[0]) + "]";
    case Kind::kArray:
      return "[" + Type(t.elems[0]) + "; " + t.array_len + "]";
    case Kind::kPat:
      return Type(t.elems[0]) + " is ..";
    case Kind::kImplTrait:
      return "impl " + Bounds(t.bounds);
    case Kind::kInfer:
      return "_";
    case Kind::kRawPointer:
      return std::string(t.is_mutable ? "*mut " : "*const ") + Type(t.elems[0]);
    case Kind::kBorrowedRef: {
      std::string out = "&";
      if (!t.lifetime.empty()) out += t.lifetime + " ";
      if (t.is_mutable) out += "mut ";
      // `&(dyn A + 'a)`: a reference binds tighter than `+`.
      const model::Type& inner = t.elems[0];
      if (inner.kind == Kind::kDynTrait && inner.dyn_trait &&
          (inner.dyn_trait->traits.size() > 1 || !inner.dyn_trait->lifetime.empty())) {
        return out + "(" + Type(inner) + ")";
      }
      return out + Type(inner);
    }
    case Kind::kQualifiedPath: {
      std::string self = Type(t.elems[0]);
      std::string args = t.path.args ? Args(*t.path.args) : "";
      if (!t.trait) return self + "::" + t.name + args;
      return "<" + self + " as " + Path(*t.trait) + ">::" + t.name + args;
    }
  }
  return "_";
}

std::string TypeRenderer::Param(const GenericParamDef& p) const {
  switch (p.kind) {
    case GenericParamDef::Kind::kLifetime:
      if (p.outlives.empty()) return p.name;
      return p.name + ": " + fmt::format("{}", fmt::join(p.outlives, " + "));
    case GenericParamDef::Kind::kType: {
      std::string out = p.name;
      if (!p.bounds.empty()) out += ": " + Bounds(p.bounds);
      if (p.default_type) out += " = " + Type(*p.default_type);
      return out;
    }
    case GenericParamDef::Kind::kConst: {
      std::string out = "const " + p.name + ": " + Type(*p.default_type);
      if (!p.const_default.empty()) out += " = " + p.const_default;
      return out;
    }
  }
  return p.name;
}

std::string TypeRenderer::Params(const model::Generics& g) const {
  std::vector<std::string> parts;
  for (const GenericParamDef& p : g.params) {
    // `impl Trait` arguments show up as synthetic params; they are written in
    // the argument list instead.
    if (p.is_synthetic) continue;
    parts.push_back(Param(p));
  }
  if (parts.empty()) return "";
  return fmt::format("<{}>", fmt::join(parts, ", "));
}

std::string TypeRenderer::Where(const model::Generics& g) const {
  if (g.where_predicates.empty()) return "";
  using Kind = model::WherePredicate::Kind;
  return " where " + Join(g.where_predicates, ", ", [&](const model::WherePredicate& w) {
    switch (w.kind) {
      case Kind::kBound:
        return Binder(w.generic_params) + Type(*w.type) + ": " + Bounds(w.bounds);
      case Kind::kLifetime:
        return w.lifetime + ": " + fmt::format("{}", fmt::join(w.outlives, " + "));
      case Kind::kEq:
        return Type(*w.type) + " = " + (w.rhs_type ? Type(*w.rhs_type) : w.rhs_const);
    }
    return std::string();
  });
}

std::string TypeRenderer::Signature(const model::FunctionSignature& sig) const {
  std::vector<std::string> parts;
  for (const auto& [name, type] : sig.inputs) {
    if (name == "self") {
      if (type.kind == Type::Kind::kGeneric && type.name == "Self") {
        parts.emplace_back("self");
        continue;
      }
      if (type.kind == Type::Kind::kBorrowedRef &&
          type.elems[0].kind == Type::Kind::kGeneric && type.elems[0].name == "Self") {
        std::string r = "&";
        if (!type.lifetime.empty()) r += type.lifetime + " ";
        if (type.is_mutable) r += "mut ";
        parts.push_back(r + "self");
        continue;
      }
    }
    parts.push_back(name + ": " + Type(type));
  }
  if (sig.is_c_variadic) parts.emplace_back("...");
  std::string out = fmt::format("({})", fmt::join(parts, ", "));
  if (sig.output) out += " -> " + Type(*sig.output);
  return out;
}

std::string TypeRenderer::Header(const model::FunctionHeader& h) const {
  std::string out;
  if (h.is_const) out += "const ";
  if (h.is_async) out += "async ";
  if (h.is_unsafe) out += "unsafe ";
  if (h.abi != "Rust") {
    std::string abi = h.abi;
    if (abi == "System") abi = "system";
    out += "extern \"" + abi + "\" ";
  }
  return out;
}

}  // namespace rdylib::api
