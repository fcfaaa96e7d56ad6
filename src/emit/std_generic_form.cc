// The boundary forms of std's collections and of Rc/Arc, each defined once.
#include "emit/std_generic_form.h"

#include <fmt/format.h>

namespace rdylib::emit {
namespace {

using plan::AbiValue;
using Kind = AbiValue::Kind;

// The collection's type as both sides name it when they collect into it.
std::string CollectType(const AbiValue& v) {
  return fmt::format("std::collections::{}<{}>", v.container, v.children.size() == 2 ? "_, _" : "_");
}

// The pointer type's path: `alloc::sync::Arc` in the facade, which names
// alloc's items so; `std::sync::Arc` in the shim.
std::string SharedPath(const AbiValue& v, bool facade) {
  bool arc = v.container == "Arc";
  if (facade) return arc ? "alloc::sync::Arc" : "alloc::rc::Rc";
  return arc ? "std::sync::Arc" : "std::rc::Rc";
}

// An argument element's boundary type: a String is lent as a WireStr.
std::string ArgElemWire(const AbiValue& c, bool facade) {
  return c.kind == Kind::kString ? "rt::WireStr" : c.WireType(facade);
}

// Facade side: element `x` (moved) into its boundary form; a String is kept
// alive in `keep` until the call returns, and copied by the library.
std::string ElemToWire(const std::string& x, const AbiValue& c, const std::string& keep) {
  switch (c.kind) {
    case Kind::kChar: return x + " as u32";
    case Kind::kString:
      return fmt::format("{{ let s = {}; let w = rt::WireStr::from_str(&s); {}.push(s); w }}", x, keep);
    case Kind::kEnum: return fmt::format("crate::rdylib_enums::to_wire_{}({})", c.wire_name, x);
    default: return x;
  }
}

// Shim side: an argument element from its boundary form (moved).
std::string ElemFromWire(const std::string& x, const AbiValue& c) {
  switch (c.kind) {
    case Kind::kChar: return fmt::format("char::from_u32_unchecked({})", x);
    case Kind::kString: return fmt::format("{}.as_str().to_string()", x);
    case Kind::kEnum: return fmt::format("rdylib_enums::from_wire_{}({})", c.wire_name, x);
    default: return x;
  }
}

// Facade side: a lent element, `x: &E` (plain data or a String), as a copy
// in its boundary form; a String's text is borrowed for the call.
std::string LentToWire(const std::string& x, const AbiValue& c) {
  switch (c.kind) {
    case Kind::kChar: return fmt::format("*{} as u32", x);
    case Kind::kString: return fmt::format("rt::WireStr::from_str({})", x);
    default: return "*" + x;
  }
}

// Shim side: a lent element from `x: &W`, copied.
std::string LentFromWire(const std::string& x, const AbiValue& c) {
  switch (c.kind) {
    case Kind::kChar: return fmt::format("char::from_u32_unchecked(*{})", x);
    case Kind::kString: return fmt::format("{}.as_str().to_string()", x);
    default: return "*" + x;
  }
}

// `|(k, v)| rt::WireTuple2(K, V)` or `|x| X`: a closure over one element,
// whose parts `part` converts.
std::string ToWireClosure(const AbiValue& v, const std::function<std::string(const std::string&, const AbiValue&)>& part) {
  if (v.children.size() == 2) {
    return fmt::format("|(k, v)| rt::WireTuple2({}, {})", part("k", v.children[0]), part("v", v.children[1]));
  }
  return fmt::format("|x| {}", part("x", v.children[0]));
}

// `|rt::WireTuple2(k, v)| (K, V)` or `|x| X`: the other way.
std::string FromWireClosure(const AbiValue& v,
                            const std::function<std::string(const std::string&, const AbiValue&)>& part) {
  if (v.children.size() == 2) {
    return fmt::format("|rt::WireTuple2(k, v)| ({}, {})", part("k", v.children[0]), part("v", v.children[1]));
  }
  return fmt::format("|x| {}", part("x", v.children[0]));
}

std::string ElemWire(const AbiValue& v, bool facade) {
  if (v.children.size() == 2) {
    return fmt::format("rt::WireTuple2<{}, {}>", ArgElemWire(v.children[0], facade),
                       ArgElemWire(v.children[1], facade));
  }
  return ArgElemWire(v.children[0], facade);
}

bool IsLock(const AbiValue& v) { return v.container == "Mutex" || v.container == "RwLock"; }

// `std::cell::Cell`, ...: the same path on both sides (the facade has std).
std::string CellPath(const AbiValue& v) {
  if (IsLock(v)) return "std::sync::" + v.container;
  return "std::cell::" + v.container;
}

// A Mutex's or RwLock's helpers in runtime/wire.rs: `mutex_parts` (its value
// and whether it was poisoned) and `mutex_rebuilt` (poisoned again if so).
std::string LockHelper(const AbiValue& v, const char* what) {
  return fmt::format("rt::{}_{}", v.container == "Mutex" ? "mutex" : "rwlock", what);
}

// A cell or lock moved across: its value in its own argument form, plus the
// poison flag of a lock.
ArgumentForm CellArgForm(const std::string& n, const AbiValue& v) {
  ArgumentForm f = ArgForm(n, v.children[0]);
  std::string unwrap = IsLock(v) ? fmt::format("let ({0}_poisoned, {0}) = {1}({0});", n, LockHelper(v, "parts"))
                                 : fmt::format("let {0} = {0}.into_inner();", n);
  f.facade_prepare = f.facade_prepare.empty() ? unwrap : unwrap + "\n" + f.facade_prepare;
  if (IsLock(v)) {
    f.slots.push_back(Slot{"_poisoned", "u8", "u8", n + "_poisoned"});
    f.shim_value = fmt::format("{}({}, {}_poisoned)", LockHelper(v, "rebuilt"), f.shim_value, n);
  } else {
    f.shim_value = fmt::format("{}::new({})", CellPath(v), f.shim_value);
  }
  return f;
}

ReturnForm CellRetForm(const AbiValue& v) {
  ReturnForm c = RetForm(v.children[0]);
  ReturnForm r{v.WireType(false), v.WireType(true), nullptr, nullptr};
  std::string path = CellPath(v);
  if (!IsLock(v)) {
    r.shim_to_wire = [c, path](const std::string& e) { return c.shim_to_wire(fmt::format("{}::into_inner({})", path, e)); };
    r.facade_from_wire = [c, path](const std::string& e) {
      return fmt::format("{}::new({})", path, c.facade_from_wire(e));
    };
    return r;
  }
  std::string parts = LockHelper(v, "parts");
  std::string rebuilt = LockHelper(v, "rebuilt");
  r.shim_to_wire = [c, parts](const std::string& e) {
    return fmt::format("{{ let (p, v) = {}({}); rt::WireTuple2(p, {}) }}", parts, e, c.shim_to_wire("v"));
  };
  r.facade_from_wire = [c, rebuilt](const std::string& e) {
    return fmt::format("{{ let rt::WireTuple2(p, v) = {}; {}({}, p) }}", e, rebuilt, c.facade_from_wire("v"));
  };
  return r;
}

}  // namespace

ArgumentForm StdGenericArgForm(const std::string& n, const AbiValue& v) {
  if (v.kind == Kind::kCellValue) return CellArgForm(n, v);
  ArgumentForm f;
  auto same = [](const std::string& suffix, const std::string& type, const std::string& expr) {
    return Slot{suffix, type, type, expr};
  };
  if (v.kind == Kind::kShared) {
    // The allocation changes hands: the library's Rc/Arc owns the count the
    // consumer's held (one allocator: the facade refuses to load otherwise).
    f.slots = {{"", v.WireType(false), v.WireType(true), fmt::format("{}::into_raw({})", SharedPath(v, true), n)}};
    f.shim_value = fmt::format("{}::from_raw({})", SharedPath(v, false), n);
    return f;
  }
  if (v.lent) {
    // `&Collection` of plain data: the library gets a copy, rebuilt for the
    // call from the consumer's elements, which stay where they are.
    f.slots = {{"_ptr", "*const " + ElemWire(v, false), "*const " + ElemWire(v, true), n + ".as_ptr()"},
               same("_len", "usize", n + ".len()")};
    f.facade_prepare = fmt::format("let {} = {}.iter().map({}).collect::<Vec<_>>();", n, n,
                                   ToWireClosure(v, LentToWire));
    f.shim_value = fmt::format("&std::slice::from_raw_parts({0}_ptr, {0}_len).iter().map({1}).collect::<{2}>()", n,
                               FromWireClosure(v, LentFromWire), CollectType(v));
    return f;
  }
  // Owned: drained into a Vec of the elements' forms, which moves to the
  // library as a Vec argument does (rt::VecArg), and rebuilt there.
  bool keeps = false;
  for (const AbiValue& c : v.children) keeps |= c.kind == Kind::kString;
  std::string keep = n + "_kept";
  std::string prefix = keeps ? fmt::format("let mut {}: Vec<String> = Vec::new();\n", keep) : "";
  f.slots = {{"_ptr", "*mut " + ElemWire(v, false), "*mut " + ElemWire(v, true), n + ".ptr"},
             same("_len", "usize", n + ".len"), same("_cap", "usize", n + ".cap"),
             same("_owned", "u8", n + ".owned")};
  f.facade_prepare =
      prefix + fmt::format("let {0} = rt::VecArg::new({0}.into_iter().map({1}).collect::<Vec<_>>());", n,
                           ToWireClosure(v, [&](const std::string& x, const AbiValue& c) {
                             return ElemToWire(x, c, keep);
                           }));
  f.shim_value = fmt::format("rt::vec_arg({0}_ptr, {0}_len, {0}_cap, {0}_owned).into_iter().map({1}).collect::<{2}>()",
                             n, FromWireClosure(v, ElemFromWire), CollectType(v));
  return f;
}

ReturnForm StdGenericRetForm(const AbiValue& v) {
  if (v.kind == Kind::kCellValue) return CellRetForm(v);
  ReturnForm r{v.WireType(false), v.WireType(true), nullptr, nullptr};
  if (v.kind == Kind::kShared) {
    std::string shim = SharedPath(v, false);
    std::string facade = SharedPath(v, true);
    r.shim_to_wire = [shim](const std::string& e) { return fmt::format("{}::into_raw({})", shim, e); };
    r.facade_from_wire = [facade](const std::string& e) { return fmt::format("{}::from_raw({})", facade, e); };
    return r;
  }
  // Each element in its own return form (a String by the allocator rule),
  // in a Vec that is taken as a returned Vec is.
  std::string to = ToWireClosure(v, [](const std::string& x, const AbiValue& c) { return RetForm(c).shim_to_wire(x); });
  std::string from =
      FromWireClosure(v, [](const std::string& x, const AbiValue& c) { return RetForm(c).facade_from_wire(x); });
  std::string collect = CollectType(v);
  r.shim_to_wire = [to](const std::string& e) {
    return fmt::format("rt::WireVec::from_vec({}.into_iter().map({}).collect::<Vec<_>>())", e, to);
  };
  r.facade_from_wire = [from, collect](const std::string& e) {
    return fmt::format("rt::take_vec({}, api().free_buffer).into_iter().map({}).collect::<{}>()", e, from, collect);
  };
  return r;
}

}  // namespace rdylib::emit
