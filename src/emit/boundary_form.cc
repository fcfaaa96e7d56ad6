// The boundary forms of arguments and returns, each defined once.
#include "emit/boundary_form.h"

#include <fmt/format.h>

#include "emit/erased_writer.h"
#include "emit/std_generic_form.h"

namespace rdylib::emit {
namespace {

using plan::AbiValue;
using Kind = AbiValue::Kind;

bool IsWide(const AbiValue& v) { return v.scalar == "i128" || v.scalar == "u128"; }

bool IsDyn(const AbiValue& v) { return v.kind == Kind::kDynBox || v.kind == Kind::kDynRef; }

// A consumer's trait object as one value at the boundary: its data pointer
// and its vtable.
std::string DynPairWire(const AbiValue& d, bool facade) {
  return facade ? fmt::format("rt::WireTuple2<*mut core::ffi::c_void, *const crate::rdylib_vt::Vt{}>", d.wire_name)
                : fmt::format("rt::WireTuple2<*mut std::ffi::c_void, *const rdylib_vt::Vt{}>", d.wire_name);
}

// The same trait object, lent instead of given.
AbiValue AsLent(const AbiValue& d) {
  AbiValue lent = d;
  lent.kind = Kind::kDynRef;
  return lent;
}

// Shim side: the library's `Box<dyn Trait>` over a consumer's value from its
// pair; `owned` when the library's proxy owns (and drops) the value.
std::string DynBoxFromPair(const std::string& x, const AbiValue& d, bool owned) {
  return fmt::format("Box::new(rdylib_vt::Proxy{0}::new({1}.0, {1}.1, {2})) as Box<{3}>", d.wire_name, x,
                     owned ? "true" : "false", d.shim_type);
}

// `&mut [Box<dyn Trait>]` (or `&mut Vec<Box<dyn Trait>>`, `vec`): the shim
// moves every box into the library's own Vec through the facade's `take`
// (each given: the library's proxy owns it) and, after the call, also while a
// panic unwinds, hands each slot back through `put` as a handle to whatever
// box the library left there (rt::DynSlots). A slice's slot is read out and
// written back in place, between which only the shim runs; a Vec's boxes are
// popped and pushed, so it never holds a box that was moved out.
void DynSlotsForm(const std::string& n, const AbiValue& e, bool vec, ArgumentForm* f) {
  std::string fpair = DynPairWire(e, true);
  std::string spair = DynPairWire(e, false);
  std::string boxed = "alloc::boxed::Box<" + e.facade_type + ">";
  const std::string take = "unsafe extern \"C\" fn(*mut u8, usize) -> ";
  f->slots = {{"_dst", "*mut u8", "*mut u8", n + "_dst"},
              {"_len", "usize", "usize", n + "_len"},
              {"_take", take + spair, take + fpair, n + "_take"},
              {"_put", "unsafe extern \"C\" fn(*mut u8, usize, *mut std::ffi::c_void)",
               "unsafe extern \"C\" fn(*mut u8, usize, *mut core::ffi::c_void)", n + "_put"}};
  std::string take_body =
      vec ? fmt::format("// The last box: the Vec keeps only the boxes not yet taken.\n"
                        "let b = match (*(dst as *mut Vec<{0}>)).pop() {{\n"
                        "    Some(b) => b,\n"
                        "    None => std::process::abort(),\n"
                        "}};\n",
                        boxed)
          : fmt::format("// Moved out: the shim writes a box back into this slot before it returns.\n"
                        "let b = core::ptr::read((dst as *mut {}).add(i));\n",
                        boxed);
  std::string put_body =
      vec ? fmt::format("(*(dst as *mut Vec<{0}>)).push(b);", boxed)
          : fmt::format("core::ptr::write((dst as *mut {}).add(i), b);", boxed);
  // A box `put` wrote, passed again, is the library's own value: `take`
  // hands its handle back (a null table) instead of wrapping it once more,
  // so values that go round every frame keep one layer (rt::note_slot_handle).
  f->facade_prepare = fmt::format(
      "unsafe extern \"C\" fn {0}_take(dst: *mut u8, {1}: usize) -> {2} {{\n"
      "{3}"
      "match crate::rdylib_vt::Lib{4}::unslot(b, \"{9}\") {{\n"
      "Ok(h) => rt::WireTuple2(h, core::ptr::null()),\n"
      "Err(b) => {{\n"
      "let (d, v) = crate::rdylib_vt::give_{4}(b);\n"
      "rt::WireTuple2(d, v)\n"
      "}}\n"
      "}}\n"
      "}}\n"
      "unsafe extern \"C\" fn {0}_put(dst: *mut u8, {5}: usize, h: *mut core::ffi::c_void) {{\n"
      "let b = crate::rdylib_vt::Lib{4}::slot(h, \"{9}\") as {6};\n"
      "{7}\n"
      "}}\n"
      "let {0}_len = {0}.len();\n"
      "let {0}_dst = {8} as *mut u8;",
      n, vec ? "_i" : "i", fpair, take_body, e.wire_name, vec ? "_i" : "i", boxed, put_body,
      vec ? fmt::format("&mut *{} as *mut Vec<{}>", n, boxed) : n + ".as_mut_ptr()", e.facade_type);
  f->shim_value = fmt::format(
      "&mut rt::DynSlots::new(\n"
      "{0}_dst,\n{0}_len,\n{1},\n{0}_take,\n"
      "|x: {2}| if x.1.is_null() {{\n"
      "// The handle of a box this slot type handed back: the library's own.\n"
      "*Box::from_raw(x.0 as *mut Box<{4}>)\n"
      "}} else {{\n"
      "{3}\n"
      "}},\n"
      "{0}_put,\n"
      "|b: Box<{4}>| rdylib_vt::handle_{5}(b),\n"
      ").value{6}",
      n, vec ? "true" : "false", spair, DynBoxFromPair("x", e, true), e.shim_type, e.wire_name, vec ? "" : "[..]");
}

// A part of an Option, Result or tuple argument: a String part is lent as a
// WireStr (kept alive by the facade for the call) and copied by the library.
std::string ArgPartWire(const AbiValue& c, bool facade) {
  if (IsDyn(c)) return DynPairWire(c, facade);
  return c.kind == Kind::kString ? "rt::WireStr" : c.WireType(facade);
}

// The boundary type of an Option, Result or tuple argument.
std::string CompoundArgWire(const AbiValue& v, bool facade) {
  std::vector<std::string> parts;
  for (const AbiValue& c : v.children) parts.push_back(ArgPartWire(c, facade));
  switch (v.kind) {
    case Kind::kOption: return fmt::format("rt::WireOption<{}>", parts[0]);
    case Kind::kResult: return fmt::format("rt::WireResult<{}, {}>", parts[0], parts[1]);
    default: return fmt::format("rt::WireTuple{}<{}>", parts.size(), fmt::join(parts, ", "));
  }
}

// Facade side: an argument part `x` (moved) into its boundary form; a String
// is kept alive in `keep` until the call returns.
std::string PartToWire(const std::string& x, const AbiValue& c, const std::string& keep) {
  switch (c.kind) {
    case Kind::kChar: return x + " as u32";
    case Kind::kStr: return fmt::format("rt::WireStr::from_str({})", x);
    case Kind::kString:
      return fmt::format("{{ let s = {}; let w = rt::WireStr::from_str(&s); {}.push(s); w }}", x, keep);
    case Kind::kEnum: return fmt::format("crate::rdylib_enums::to_wire_{}({})", c.wire_name, x);
    case Kind::kRef: return fmt::format("{} as {}", x, c.WireType(true));
    // Given to the library, whose proxy drops it.
    case Kind::kDynBox:
      return fmt::format("{{ let (d, v) = crate::rdylib_vt::give_{}({}); rt::WireTuple2(d, v) }}", c.wire_name, x);
    // Lent: `x` is the place of a raw pointer that outlives the call.
    case Kind::kDynRef:
      return fmt::format("{{ let (d, v) = crate::rdylib_vt::lend_{}({}); rt::WireTuple2(d, v) }}", c.wire_name, x);
    case Kind::kStdWire: return fmt::format("rt::to_wire_{}(&{})", c.wire_name, x);
    default: return x;
  }
}

// Shim side: an argument part from its boundary form.
std::string PartFromWire(const std::string& x, const AbiValue& c) {
  switch (c.kind) {
    case Kind::kChar: return fmt::format("char::from_u32_unchecked({})", x);
    case Kind::kStr: return fmt::format("{}.as_str()", x);
    case Kind::kString: return fmt::format("{}.as_str().to_string()", x);
    case Kind::kEnum: return fmt::format("rdylib_enums::from_wire_{}({})", c.wire_name, x);
    case Kind::kRef: return fmt::format("&{}*{}", c.is_mutable ? "mut " : "", x);
    case Kind::kDynBox: return DynBoxFromPair(x, c, true);
    case Kind::kStdWire: return fmt::format("rt::from_wire_{}({})", c.wire_name, x);
    default: return x;
  }
}

// The facade's preparation of an Option, Result or tuple argument: its parts
// move into the wire form, which the library takes over.
std::string CompoundPrepare(const std::string& name, const AbiValue& v) {
  bool lends = false;
  for (const AbiValue& c : v.children) lends |= c.kind == Kind::kString;
  std::string keep = name + "_kept";
  std::string prefix = lends ? fmt::format("let mut {}: Vec<String> = Vec::new();\n", keep) : "";
  if (v.kind == Kind::kOption && v.children[0].kind == Kind::kDynRef) {
    // The raw pointer the vtable's entries read lives here, for the call.
    const AbiValue& d = v.children[0];
    return fmt::format(
        "let mut {0}_raw = {0}.map(|r| crate::rdylib_vt::{1}(r));\n"
        "let {0} = match {0}_raw.as_mut() {{ Some(x) => rt::WireOption::some({2}), None => rt::WireOption::none() }};",
        name, d.is_mutable ? "raw_mut" : "raw", PartToWire("x", d, keep));
  }
  if (v.kind == Kind::kOption) {
    return prefix + fmt::format(
        "let {0} = match {0} {{ Some(x) => rt::WireOption::some({1}), None => rt::WireOption::none() }};",
        name, PartToWire("x", v.children[0], keep));
  }
  if (v.kind == Kind::kResult) {
    return prefix + fmt::format(
        "let {0} = match {0} {{ Ok(x) => rt::WireResult::ok({1}), Err(e) => rt::WireResult::err({2}) }};",
        name, PartToWire("x", v.children[0], keep), PartToWire("e", v.children[1], keep));
  }
  std::vector<std::string> names;
  std::vector<std::string> wires;
  for (size_t i = 0; i < v.children.size(); ++i) {
    names.push_back(fmt::format("{}_{}", name, i));
    wires.push_back(PartToWire(names.back(), v.children[i], keep));
  }
  return prefix + fmt::format("let ({}) = {};\nlet {} = rt::WireTuple{}({});", fmt::join(names, ", "), name,
                              name, v.children.size(), fmt::join(wires, ", "));
}

std::string CompoundShimValue(const std::string& name, const AbiValue& v) {
  if (v.kind == Kind::kOption && v.children[0].kind == Kind::kDynRef) {
    // The proxy is a temporary of the call's statement, which it outlives.
    const AbiValue& d = v.children[0];
    return fmt::format("{0}.into_option().map(|x| rdylib_vt::Proxy{1}::new(x.0, x.1, false)).as_{2}().map(|p| p as &{3}{4})",
                       name, d.wire_name, d.is_mutable ? "mut" : "ref", d.is_mutable ? "mut " : "", d.shim_type);
  }
  if (v.kind == Kind::kOption) {
    return fmt::format("{}.into_option().map(|x| {})", name, PartFromWire("x", v.children[0]));
  }
  if (v.kind == Kind::kResult) {
    return fmt::format("{}.into_result().map(|x| {}).map_err(|e| {})", name, PartFromWire("x", v.children[0]),
                       PartFromWire("e", v.children[1]));
  }
  std::vector<std::string> names;
  std::vector<std::string> values;
  for (size_t i = 0; i < v.children.size(); ++i) {
    names.push_back(fmt::format("t{}", i));
    values.push_back(PartFromWire(names.back(), v.children[i]));
  }
  return fmt::format("{{ let rt::WireTuple{}({}) = {}; ({}) }}", v.children.size(), fmt::join(names, ", "), name,
                     fmt::join(values, ", "));
}

// Each side's conversion of a tuple's parts, through `part`.
std::string TupleConversion(const std::string& expr, const AbiValue& v, bool to_wire,
                            const std::function<std::string(const std::string&, const AbiValue&)>& part) {
  std::vector<std::string> names;
  std::vector<std::string> values;
  for (size_t i = 0; i < v.children.size(); ++i) {
    names.push_back(fmt::format("t{}", i));
    values.push_back(part(names.back(), v.children[i]));
  }
  if (to_wire) {
    return fmt::format("{{ let ({}) = {}; rt::WireTuple{}({}) }}", fmt::join(names, ", "), expr,
                       v.children.size(), fmt::join(values, ", "));
  }
  return fmt::format("{{ let rt::WireTuple{}({}) = {}; ({}) }}", v.children.size(), fmt::join(names, ", "), expr,
                     fmt::join(values, ", "));
}

}  // namespace

std::string ArgumentForm::ShimParams(const std::string& name) const {
  std::vector<std::string> out;
  for (const Slot& s : slots) out.push_back(fmt::format("{}{}: {}", name, s.suffix, s.shim_type));
  return fmt::format("{}", fmt::join(out, ", "));
}

std::string ArgumentForm::FacadeTypes() const {
  std::vector<std::string> out;
  for (const Slot& s : slots) out.push_back(s.facade_type);
  return fmt::format("{}", fmt::join(out, ", "));
}

std::string ArgumentForm::FacadeArgs() const {
  std::vector<std::string> out;
  for (const Slot& s : slots) out.push_back(s.facade_expr);
  return fmt::format("{}", fmt::join(out, ", "));
}

ArgumentForm ArgForm(const std::string& n, const AbiValue& v) {
  ArgumentForm f;
  // A slot whose type is the same text on both sides.
  auto same = [](const std::string& suffix, const std::string& type, const std::string& expr) {
    return Slot{suffix, type, type, expr};
  };
  switch (v.kind) {
    case Kind::kStr:
      f.slots = {same("_ptr", "*const u8", n + ".as_ptr()"), same("_len", "usize", n + ".len()")};
      f.shim_value = fmt::format("std::str::from_utf8_unchecked(std::slice::from_raw_parts({0}_ptr, {0}_len))", n);
      break;
    case Kind::kString:
      // Handed over when both sides share one allocator, else lent for the
      // library to copy and freed here (rt::StringArg).
      f.slots = {same("_ptr", "*mut u8", n + ".ptr"), same("_len", "usize", n + ".len"),
                 same("_cap", "usize", n + ".cap"), same("_owned", "u8", n + ".owned")};
      f.facade_prepare = fmt::format("let {0} = rt::StringArg::new({0});", n);
      f.shim_value = fmt::format("rt::string_arg({0}_ptr, {0}_len, {0}_cap, {0}_owned)", n);
      break;
    case Kind::kChar:
      f.slots = {same("", "u32", n + " as u32")};
      f.shim_value = fmt::format("char::from_u32_unchecked({})", n);
      break;
    case Kind::kScalar:
      // 128-bit integers by pointer: their C ABI differs between compilers.
      f.slots = {IsWide(v) ? same("", "*const " + v.scalar, "&" + n) : same("", v.scalar, n)};
      f.shim_value = IsWide(v) ? "*" + n : n;
      break;
    case Kind::kRef:
      f.slots = {{"", v.WireType(false), v.WireType(true), (v.is_mutable ? "&mut *" : "&*") + n}};
      f.shim_value = fmt::format("&{}*{}", v.is_mutable ? "mut " : "", n);
      break;
    case Kind::kValue:
      // The library takes the value over; the facade must not drop it.
      f.slots = {{"", "*mut " + v.shim_type, "*mut " + v.facade_type,
                  fmt::format("&mut *{} as *mut {}", n, v.facade_type)}};
      f.facade_prepare = fmt::format("let mut {0} = std::mem::ManuallyDrop::new({0});", n);
      f.shim_value = fmt::format("std::ptr::read({})", n);
      break;
    case Kind::kEnum:
      // The library takes the fields over through the wire form.
      f.slots = {{"", "*mut " + v.WireType(false), "*mut " + v.WireType(true), "&mut " + n}};
      f.facade_prepare = fmt::format("let mut {0} = crate::rdylib_enums::to_wire_{1}({0});", n, v.wire_name);
      f.shim_value = fmt::format("rdylib_enums::from_wire_{}(std::ptr::read({}))", v.wire_name, n);
      break;
    case Kind::kSlice: {
      const AbiValue& e = v.children[0];
      if (IsDyn(e) && v.is_mutable) {
        DynSlotsForm(n, e, false, &f);
        break;
      }
      if (IsDyn(e)) {
        // `&[Box<dyn Trait>]`: each value lent through a raw pointer kept
        // here for the call; the library sees boxes of lent proxies.
        f.slots = {{"_ptr", "*const " + DynPairWire(e, false), "*const " + DynPairWire(e, true), n + ".as_ptr()"},
                   same("_len", "usize", n + ".len()")};
        f.facade_prepare = fmt::format(
            "let mut {0}_raw: Vec<*mut {1}> = {0}.iter().map(|b| crate::rdylib_vt::raw(&**b)).collect();\n"
            "let {0}: Vec<{2}> = {0}_raw.iter_mut().map(|x| {3}).collect();",
            n, e.facade_type, DynPairWire(e, true), PartToWire("x", AsLent(e), ""));
        f.shim_value = fmt::format("&std::slice::from_raw_parts({0}_ptr, {0}_len).iter().map(|x| {1}).collect::<Vec<_>>()[..]",
                                   n, DynBoxFromPair("x", e, false));
        break;
      }
      f.slots = {{"_ptr", "*mut " + e.WireType(false), "*mut " + e.WireType(true),
                  fmt::format("{}.as_{}ptr() as *mut {}", n, v.is_mutable ? "mut_" : "", e.WireType(true))},
                 same("_len", "usize", n + ".len()")};
      f.shim_value = fmt::format("std::slice::from_raw_parts{0}({1}_ptr, {1}_len)", v.is_mutable ? "_mut" : "", n);
      break;
    }
    case Kind::kVec: {
      const AbiValue& e = v.children[0];
      if (IsDyn(e) && v.is_mutable) {
        DynSlotsForm(n, e, true, &f);
        break;
      }
      if (IsDyn(e)) {
        // `Vec<Box<dyn Trait>>`: each value given to the library, which gets
        // a Vec of its own boxes of owning proxies.
        f.slots = {{"_ptr", "*const " + DynPairWire(e, false), "*const " + DynPairWire(e, true), n + ".as_ptr()"},
                   same("_len", "usize", n + ".len()")};
        f.facade_prepare = fmt::format("let {0}: Vec<{1}> = {0}.into_iter().map(|x| {2}).collect();", n,
                                       DynPairWire(e, true), PartToWire("x", e, ""));
        f.shim_value = fmt::format("std::slice::from_raw_parts({0}_ptr, {0}_len).iter().map(|x| {1}).collect::<Vec<_>>()",
                                   n, DynBoxFromPair("x", e, true));
        break;
      }
      f.slots = {{"_ptr", "*mut " + e.WireType(false), "*mut " + e.WireType(true),
                  fmt::format("{}.ptr as *mut {}", n, e.WireType(true))},
                 same("_len", "usize", n + ".len"), same("_cap", "usize", n + ".cap"),
                 same("_owned", "u8", n + ".owned")};
      f.facade_prepare = fmt::format("let {0} = rt::VecArg::new({0});", n);
      f.shim_value = fmt::format("rt::vec_arg({0}_ptr, {0}_len, {0}_cap, {0}_owned)", n);
      break;
    }
    case Kind::kBox: {
      const AbiValue& e = v.children[0];
      f.slots = {{"", "*mut " + e.WireType(false), "*mut " + e.WireType(true),
                  fmt::format("{}.ptr as *mut {}", n, e.WireType(true))},
                 same("_owned", "u8", n + ".owned")};
      f.facade_prepare = fmt::format("let {0} = rt::BoxArg::new({0});", n);
      f.shim_value = fmt::format("rt::box_arg({0}, {0}_owned)", n);
      break;
    }
    case Kind::kBufferMut: {
      // The library gets its own copy; the caller's setter writes the
      // contents back when the shim's WriteBack drops, after the call.
      std::string e = v.children.empty() ? "u8" : v.children[0].scalar;
      std::string setter = v.children.empty() ? "rt::set_string" : "rt::set_vec::<" + e + ">";
      std::string set_type = fmt::format("unsafe extern \"C\" fn(*mut u8, *const {}, usize)", e);
      f.slots = {same("_ptr", "*const " + e, n + ".as_ptr()"), same("_len", "usize", n + ".len()"),
                 same("_dst", "*mut u8", fmt::format("&mut *{} as *mut _ as *mut u8", n)),
                 same("_set", set_type, setter)};
      f.shim_value = fmt::format("&mut rt::{0}::new({1}_ptr, {1}_len, {1}_dst, {1}_set).value",
                                 v.children.empty() ? "StringWriteBack" : "VecWriteBack", n);
      break;
    }
    case Kind::kDynBox:
    case Kind::kDynRef: {
      // The consumer's value and its vtable (plan/vtable.h): owned by the
      // library's proxy for a Box, lent for the call for a reference.
      f.slots = {{"", "*mut std::ffi::c_void", "*mut core::ffi::c_void", n + ".0"},
                 {"_vt", "*const rdylib_vt::Vt" + v.wire_name, "*const crate::rdylib_vt::Vt" + v.wire_name,
                  n + ".1"}};
      if (v.erased_mode == "generic") {
        // A type parameter bounded by the trait (docs/ABI.md, "Erasure"): the
        // library's generic is instantiated over the proxy itself.
        if (v.kind == Kind::kDynBox) {
          f.facade_prepare =
              fmt::format("let {0} = crate::rdylib_vt::give_{1}(alloc::boxed::Box::new({0}));", n, v.wire_name);
          f.shim_value = fmt::format("rdylib_vt::Proxy{0}::new({1}, {1}_vt, true)", v.wire_name, n);
        } else {
          // A `?Sized` one with the table for unsized implementors.
          f.facade_prepare = fmt::format("let mut {0}_raw = crate::rdylib_vt::{2}({0});\n"
                                         "let {0} = crate::rdylib_vt::lend_{3}{1}(&mut {0}_raw);",
                                         n, v.wire_name, v.is_mutable ? "raw_mut" : "raw",
                                         v.maybe_unsized ? "unsized_" : "");
          f.shim_value = fmt::format("&{0}rdylib_vt::Proxy{1}::new({2}, {2}_vt, false)",
                                     v.is_mutable ? "mut " : "", v.wire_name, n);
        }
        break;
      }
      if (v.kind == Kind::kDynBox) {
        f.facade_prepare = fmt::format("let {0} = crate::rdylib_vt::give_{1}({0});", n, v.wire_name);
        f.shim_value = fmt::format("Box::new(rdylib_vt::Proxy{0}::new({1}, {1}_vt, true))", v.wire_name, n);
      } else if (v.static_borrow) {
        // Kept by the library for ever: both cells live as long as the program.
        f.facade_prepare = fmt::format("let {0} = crate::rdylib_vt::lend_static_{1}({0});", n, v.wire_name);
        f.shim_value = fmt::format(
            "rt::intern_static([{1} as usize, {1}_vt as usize], || rdylib_vt::Proxy{0}::new({1}, {1}_vt, false))",
            v.wire_name, n);
      } else {
        f.facade_prepare = fmt::format("let mut {0}_raw = crate::rdylib_vt::{2}({0});\n"
                                       "let {0} = crate::rdylib_vt::lend_{1}(&mut {0}_raw);",
                                       n, v.wire_name, v.is_mutable ? "raw_mut" : "raw");
        f.shim_value = fmt::format("&{0}rdylib_vt::Proxy{1}::new({2}, {2}_vt, false)", v.is_mutable ? "mut " : "",
                                   v.wire_name, n);
      }
      break;
    }
    case Kind::kStdSelf: {
      // A view of self's bytes (plan/std_self.h): the shim rebuilds the
      // library's value; `&mut` of a `&str`/`&[u8]` or a Cow is written back
      // through the facade's setter when the library changed it.
      bool str = v.scalar == "str";
      bool back = v.is_mutable && ((v.self_container == "slice" && v.self_through_ref) ||
                                   (v.self_container == "cow" && !v.self_through_ref));
      f.slots = {same("_tag", "u8", n + "_tag"), same("_ptr", "*const u8", n + "_ptr"),
                 same("_len", "usize", n + "_len")};
      f.facade_prepare = fmt::format("let ({0}_tag, {0}_ptr, {0}_len) = rt::SelfView::self_view(&*{0});", n);
      std::string view = fmt::format("{0}_tag, {0}_ptr, {0}_len", n);
      if (back) {
        std::string what = v.self_container == "cow" ? (str ? "cow_str" : "cow_bytes") : (str ? "str_ref" : "bytes_ref");
        f.slots.push_back(same("_dst", "*mut u8", fmt::format("{} as *mut _ as *mut u8", n)));
        f.slots.push_back(same("_set", "unsafe extern \"C\" fn(*mut u8, u8, *const u8, usize)", "rt::set_" + what));
        std::string type = v.self_container == "cow" ? (str ? "CowStrBack" : "CowBytesBack")
                                                     : (str ? "StrRefBack" : "BytesRefBack");
        f.shim_value = fmt::format("&mut rt::{0}::new({1}, {2}_dst, {2}_set).value", type, view, n);
        break;
      }
      std::string rebuilt = v.self_container == "cow"     ? (str ? "cow_str_view" : "cow_bytes_view")
                            : v.self_container == "owned" ? (str ? "string_view" : "vec_view")
                                                          : (str ? "str_view" : "bytes_view");
      std::string value = fmt::format("rt::{}({})", rebuilt, view);
      // str_view and bytes_view make the `&str`/`&[u8]` that Self is.
      if (v.self_through_ref && v.self_container != "slice") value = "&" + value;
      f.shim_value = (v.is_mutable ? "&mut " : "&") + value;
      break;
    }
    case Kind::kStdWire:
      // A code of the value's kind; the library's std rebuilds it.
      f.slots = {same("", "u8", fmt::format("rt::to_wire_{}(&{})", v.wire_name, n))};
      f.shim_value = fmt::format("rt::from_wire_{}({})", v.wire_name, n);
      break;
    case Kind::kOption:
    case Kind::kResult:
    case Kind::kTuple:
      f.slots = {{"", CompoundArgWire(v, false), CompoundArgWire(v, true), n}};
      f.facade_prepare = CompoundPrepare(n, v);
      f.shim_value = CompoundShimValue(n, v);
      break;
    case Kind::kCollection:
    case Kind::kShared:
    case Kind::kCellValue: return StdGenericArgForm(n, v);
    case Kind::kErased:
      // A data pointer and its table (emit/erased_writer.h).
      f.slots = {{"_data", "*mut std::ffi::c_void", "*mut core::ffi::c_void", n + ".0"},
                 {"_table", v.WireType(false), v.WireType(true), n + ".1"}};
      f.facade_prepare = ErasedPrepare(n, v);
      f.shim_value = ErasedRebuild(n, v);
      break;
    default:
      f.slots = {{"", v.WireType(false), v.WireType(true), n}};
      f.shim_value = n;
      break;
  }
  return f;
}

ReturnForm RetForm(const AbiValue& v) {
  ReturnForm r{v.WireType(false), v.WireType(true), [](const std::string& e) { return e; },
               [](const std::string& e) { return e; }};
  auto with = [&](std::string to, std::string from) {
    r.shim_to_wire = [to](const std::string& e) { return fmt::format(fmt::runtime(to), e); };
    r.facade_from_wire = [from](const std::string& e) { return fmt::format(fmt::runtime(from), e); };
  };
  switch (v.kind) {
    case Kind::kChar: with("{} as u32", "char::from_u32_unchecked({})"); break;
    case Kind::kStr: with("rt::WireStr::from_str({})", "{}.as_str()"); break;
    case Kind::kString: with("rt::WireString::from_string({})", "rt::take_string({}, api().free_string)"); break;
    case Kind::kRef:
      with("{} as " + v.WireType(false), std::string("&") + (v.is_mutable ? "mut " : "") + "*{}");
      break;
    case Kind::kEnum:
      with("rdylib_enums::to_wire_" + v.wire_name + "({})", "crate::rdylib_enums::from_wire_" + v.wire_name + "({})");
      break;
    case Kind::kSlice:
      with("rt::WireSlice::from_slice({})", std::string("{}.as_") + (v.is_mutable ? "mut_" : "") + "slice()");
      break;
    case Kind::kVec:
      if (v.children[0].kind == Kind::kString) {
        // Vec<String>: the buffer of WireStrings, then each String, each by
        // the allocator rule.
        with("rt::WireVec::from_vec({}.into_iter().map(rt::WireString::from_string).collect::<Vec<_>>())",
             "rt::take_vec({}, api().free_buffer).into_iter()"
             ".map(|s| rt::take_string(s, api().free_string)).collect()");
        break;
      }
      if (v.children[0].kind == Kind::kDynBox) {
        // Vec<Box<dyn Trait>>: a buffer of handles, each to one of the
        // library's boxes.
        const AbiValue& d = v.children[0];
        with("rt::WireVec::from_vec({}.into_iter().map(|b| rdylib_vt::handle_" + d.wire_name + "(b)).collect::<Vec<_>>())",
             "rt::take_vec({}, api().free_buffer).into_iter().map(|h| crate::rdylib_vt::Lib" + d.wire_name +
                 "::boxed(h) as alloc::boxed::Box<" + d.facade_type + ">).collect()");
        break;
      }
      with("rt::WireVec::from_vec({})", "rt::take_vec({}, api().free_buffer)");
      break;
    case Kind::kBox: with("Box::into_raw({})", "rt::take_box({}, api().free_buffer)"); break;
    case Kind::kCowStr: {
      // copy_borrowed: a Borrowed value may borrow from a temporary of the
      // call (a rebuilt self), so it is handed back Owned.
      std::string copied = v.copy_borrowed ? "_copied" : "";
      if (!v.children.empty()) {
        with("rt::cow_bytes" + copied + "({})", "rt::take_cow_bytes({}, api().free_buffer)");
        break;
      }
      with("rt::cow_str" + copied + "({})", "rt::take_cow_str({}, api().free_string)");
      break;
    }
    case Kind::kStdWire:
      with("rt::to_wire_" + v.wire_name + "(&{})", "rt::from_wire_" + v.wire_name + "({})");
      break;
    case Kind::kDynError: with("rt::error(&*{})", "rt::take_error({}, api().free_error)"); break;
    case Kind::kCollection:
    case Kind::kShared:
    case Kind::kCellValue: return StdGenericRetForm(v);
    case Kind::kErased:
      // A closure the library returns (emit/erased_writer.h).
      with("rdylib_erased::into_" + v.wire_name + "({})",
           v.erased_mode == "returned_boxed" ? "Box::new(crate::rdylib_erased::from_" + v.wire_name + "({}))"
                                             : "crate::rdylib_erased::from_" + v.wire_name + "({})");
      break;
    case Kind::kIter: {
      // Items cross one by one, each in its own return form.
      ReturnForm item = RetForm(v.children[0]);
      std::string item_wire = item.facade_wire;
      r.shim_to_wire = [item](const std::string& e) {
        return fmt::format("rt::wire_iter({}.map(|x| {}))", e, item.shim_to_wire("x"));
      };
      r.facade_from_wire = [item, item_wire](const std::string& e) {
        return fmt::format("rt::ForeignIter::new({}, |w: {}| unsafe {{ {} }})", e, item_wire,
                           item.facade_from_wire("w"));
      };
      break;
    }
    case Kind::kDynBox:
      // A handle to the library's box; the facade's handle type implements
      // the trait by calling thunks and drops the box in the library.
      if (v.impl_trait) {
        with("rdylib_vt::handle_" + v.wire_name + "(Box::new({}))", "*crate::rdylib_vt::Lib" + v.wire_name + "::boxed({})");
        break;
      }
      with("rdylib_vt::handle_" + v.wire_name + "({})",
           "crate::rdylib_vt::Lib" + v.wire_name + "::boxed({}) as alloc::boxed::Box<" + v.facade_type + ">");
      break;
    case Kind::kDynRef:
      // The library lends its own object: the facade's reference points at
      // an interned cell holding the object's pointer (rt::intern_fat).
    {
      // `&(dyn T + Send)` needs its parentheses, `&dyn T` must not have them.
      std::string dyn_type =
          v.facade_type.find('+') == std::string::npos ? v.facade_type : "(" + v.facade_type + ")";
      with("rdylib_vt::lent_" + v.wire_name + "({})",
           std::string("&") + (v.is_mutable ? "mut " : "") + "*({} as *mut crate::rdylib_vt::Lib" + v.wire_name +
               "At) as &" + (v.is_mutable ? "mut " : "") + dyn_type);
      break;
    }
    case Kind::kTuple: {
      AbiValue tuple = v;
      r.shim_to_wire = [tuple](const std::string& e) {
        return TupleConversion(e, tuple, true, [](const std::string& x, const AbiValue& c) {
          return RetForm(c).shim_to_wire(x);
        });
      };
      r.facade_from_wire = [tuple](const std::string& e) {
        return TupleConversion(e, tuple, false, [](const std::string& x, const AbiValue& c) {
          return RetForm(c).facade_from_wire(x);
        });
      };
      break;
    }
    case Kind::kOption: {
      ReturnForm inner = RetForm(v.children[0]);
      r.shim_to_wire = [inner](const std::string& e) {
        return fmt::format("match {} {{ Some(x) => rt::WireOption::some({}), None => rt::WireOption::none() }}", e,
                           inner.shim_to_wire("x"));
      };
      r.facade_from_wire = [inner](const std::string& e) {
        return fmt::format("{}.into_option().map(|x| {})", e, inner.facade_from_wire("x"));
      };
      break;
    }
    case Kind::kResult: {
      ReturnForm ok = RetForm(v.children[0]);
      ReturnForm err = RetForm(v.children[1]);
      r.shim_to_wire = [ok, err](const std::string& e) {
        return fmt::format("match {} {{ Ok(x) => rt::WireResult::ok({}), Err(e) => rt::WireResult::err({}) }}", e,
                           ok.shim_to_wire("x"), err.shim_to_wire("e"));
      };
      r.facade_from_wire = [ok, err](const std::string& e) {
        return fmt::format("{}.into_result().map(|x| {}).map_err(|e| {})", e, ok.facade_from_wire("x"),
                           err.facade_from_wire("e"));
      };
      break;
    }
    default: break;
  }
  return r;
}

}  // namespace rdylib::emit
