// Writes vtables: each side's table, the facade's entries and the shim's
// proxies (see vtable_writer.h and docs/ABI.md, "Vtables").
#include "emit/vtable_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "emit/boundary_form.h"
#include "util/printer.h"

namespace rdylib::emit {
namespace {

using plan::AbiValue;
using plan::VtableEntry;
using plan::VtablePlan;
using Kind = AbiValue::Kind;

std::string Join(const std::vector<std::string>& v) { return fmt::format("{}", fmt::join(v, ", ")); }

// A Cow (or Option<Cow>) return, handed back through `put`.
bool CowReturn(const AbiValue& r) {
  return r.kind == Kind::kCowStr || (r.kind == Kind::kOption && r.children[0].kind == Kind::kCowStr);
}
bool CowBytes(const AbiValue& r) {
  const AbiValue& c = r.kind == Kind::kOption ? r.children[0] : r;
  return !c.children.empty();
}

// The C parameters of one entry after `data`, on one side.
std::vector<std::string> EntryParamTypes(const VtableEntry& e, bool facade) {
  std::vector<std::string> out;
  for (const auto& [name, v] : e.params) {
    switch (v.kind) {
      case Kind::kStr:
        out.push_back("*const u8");
        out.push_back("usize");
        break;
      case Kind::kBufferMut:
        for (const Slot& slot : ArgForm(name, v).slots) out.push_back(facade ? slot.facade_type : slot.shim_type);
        break;
      default: out.push_back(v.WireType(facade)); break;
    }
  }
  if (CowReturn(e.ret)) {
    out.push_back(facade ? "*mut core::ffi::c_void" : "*mut std::ffi::c_void");
    out.push_back("rt::PutCow");
    return out;
  }
  switch (e.ret.kind) {
    case Kind::kUnit: break;
    case Kind::kString:
      out.push_back(facade ? "*mut core::ffi::c_void" : "*mut std::ffi::c_void");
      out.push_back("Put");
      break;
    default: out.push_back("*mut " + e.ret.WireType(facade)); break;
  }
  return out;
}

std::string EntryType(const VtableEntry& e, bool facade) {
  std::vector<std::string> params = {facade ? "*mut core::ffi::c_void" : "*mut std::ffi::c_void"};
  for (std::string& p : EntryParamTypes(e, facade)) params.push_back(std::move(p));
  return fmt::format("unsafe extern \"C\" fn({}) -> *mut rt::WireParked", Join(params));
}

}  // namespace

std::string EntryField(const VtablePlan& vt, size_t i) { return fmt::format("m{}_{}", i, vt.entries[i].name); }

std::string ProxyName(const VtablePlan& vt, const std::string& method) {
  return "Proxy" + vt.name + (method.empty() ? "" : "_" + method);
}

std::string VtableStruct(const VtablePlan& vt, bool facade) {
  Printer p;
  std::string void_ptr = facade ? "*mut core::ffi::c_void" : "*mut std::ffi::c_void";
  p.Print("/// The vtable of $t$ (docs/ABI.md, \"Vtables\"): layout $h$.\n#[repr(C)]\n",
          {{"t", vt.trait_path}, {"h", vt.hash}});
  // The shim's table is named by its exported thunks' parameters: `pub`.
  std::string vis = facade ? "pub(crate)" : "pub";
  p.Block("$vis$ struct Vt$n$ {\n", {{"n", vt.name}, {"vis", vis}}, [&] {
    p.Print("$vis$ drop: unsafe extern \"C\" fn($v$) -> *mut rt::WireParked,\n"
            "$vis$ size: unsafe extern \"C\" fn($v$) -> usize,\n"
            "$vis$ align: unsafe extern \"C\" fn($v$) -> usize,\n",
            {{"v", void_ptr}, {"vis", vis}});
    for (size_t i = 0; i < vt.entries.size(); ++i) {
      p.Print("$vis$ $f$: $t$,\n",
              {{"f", EntryField(vt, i)}, {"t", EntryType(vt.entries[i], facade)}, {"vis", vis}});
    }
    for (const std::string& t : vt.std_supertraits) {
      std::string f = plan::StdSupertraitEntry(t);
      if (f.empty()) continue;  // Eq: a marker
      std::string type;
      if (t == "Clone") {
        type = "unsafe extern \"C\" fn($v$, *mut $v$) -> *mut rt::WireParked";
      } else if (t == "PartialEq") {
        type = "unsafe extern \"C\" fn($v$, $v$, *const Vt$n$, *mut bool) -> *mut rt::WireParked";
      } else if (t == "PartialOrd" || t == "Ord") {
        type = "unsafe extern \"C\" fn($v$, $v$, *const Vt$n$, *mut i8) -> *mut rt::WireParked";
      } else if (t == "Hash") {
        type = "unsafe extern \"C\" fn($v$, $v$, HashBack) -> *mut rt::WireParked";
      } else if (t == "TypeId") {
        type = "unsafe extern \"C\" fn($v$)";
      } else {
        type = "unsafe extern \"C\" fn($v$, *const rt::WireFlags, $v$, Put) -> *mut rt::WireParked";
      }
      p.Print("$vis$ $f$: " + type + ",\n", {{"f", f}, {"v", void_ptr}, {"vis", vis}, {"n", vt.name}});
    }
  });
  return p.str();
}

std::string FacadeVtableItems(const VtablePlan& vt) {
  Printer p;
  p.Print("\n");
  p.PrintRaw(VtableStruct(vt, true));
  std::string trait = plan::VtableTraitName(vt, vt.trait_path, true, true);
  Printer::Vars vars = {{"n", vt.name}, {"T", trait}};
  p.Print("\n/// Drops a value given to the library (`give_$n$`): its box, then the box of its pointer.\n", vars);
  p.Block("unsafe extern \"C\" fn drop_$n$<D: ?Sized + $T$>(data: *mut core::ffi::c_void) -> *mut rt::WireParked {\n",
          vars, [&] {
            p.Block("rt::callback(|| {\n", {}, [&] {
              p.Print("let raw = alloc::boxed::Box::from_raw(data as *mut *mut D);\n"
                      "drop(alloc::boxed::Box::from_raw(*raw));\n");
            }, "})\n");
          });
  p.Print("\n");
  p.Block("unsafe extern \"C\" fn size_$n$<D: ?Sized + $T$>(data: *mut core::ffi::c_void) -> usize {\n", vars,
          [&] { p.Print("core::mem::size_of_val(&**(data as *mut *mut D))\n"); });
  p.Print("\n");
  p.Block("unsafe extern \"C\" fn align_$n$<D: ?Sized + $T$>(data: *mut core::ffi::c_void) -> usize {\n", vars,
          [&] { p.Print("core::mem::align_of_val(&**(data as *mut *mut D))\n"); });
  for (size_t i = 0; i < vt.entries.size(); ++i) {
    const VtableEntry& e = vt.entries[i];
    std::vector<std::string> params = {"data: *mut core::ffi::c_void"};
    std::vector<std::string> args = {"this"};
    for (const auto& [name, v] : e.params) {
      switch (v.kind) {
        case Kind::kStr:
          params.push_back(name + "_ptr: *const u8");
          params.push_back(name + "_len: usize");
          args.push_back(fmt::format("core::str::from_utf8_unchecked(core::slice::from_raw_parts({0}_ptr, {0}_len))",
                                     name));
          break;
        case Kind::kChar:
          params.push_back(name + ": u32");
          args.push_back(fmt::format("char::from_u32_unchecked({})", name));
          break;
        case Kind::kRef:
          params.push_back(name + ": " + v.WireType(true));
          args.push_back(fmt::format("&{}*{}", v.is_mutable ? "mut " : "", name));
          break;
        case Kind::kBufferMut: {
          // The library's buffer, copied here and written back when the
          // copy drops: after the call, or while a panic unwinds.
          for (const Slot& slot : ArgForm(name, v).slots) params.push_back(name + slot.suffix + ": " + slot.facade_type);
          args.push_back(fmt::format("&mut rt::{}::new({}_ptr, {}_len, {}_dst, {}_set).value",
                                     v.children.empty() ? "StringWriteBack" : "VecWriteBack", name, name, name, name));
          break;
        }
        case Kind::kErased:
          // The library's closure, lent for the call: a handle that calls it
          // and drops it in the library (the form of a returned closure).
          params.push_back(name + ": " + v.WireType(true));
          args.push_back(fmt::format("crate::rdylib_erased::from_{}({})", v.wire_name, name));
          break;
        default:
          params.push_back(name + ": " + v.WireType(true));
          args.push_back(name);
          break;
      }
    }
    std::string call = fmt::format("{}({})", plan::VtableMethodPath(vt, e.trait_path, "D", e.name, true), Join(args));
    std::string body;
    if (CowReturn(e.ret)) {
      params.push_back("ret: *mut core::ffi::c_void");
      params.push_back("put: rt::PutCow");
      body = fmt::format("rt::give_cow_{}({}{}, ret, put);", CowBytes(e.ret) ? "bytes" : "str",
                         e.ret.kind == Kind::kOption ? "" : "Some", e.ret.kind == Kind::kOption ? call : "(" + call + ")");
    } else switch (e.ret.kind) {
      case Kind::kUnit: body = call + ";"; break;
      case Kind::kString:
        params.push_back("ret: *mut core::ffi::c_void");
        params.push_back("put: Put");
        body = fmt::format("let s = {};\nput(ret, s.as_ptr(), s.len());", call);
        break;
      case Kind::kStr:
        params.push_back("ret: *mut rt::WireStr");
        body = fmt::format("ret.write(rt::WireStr::from_str({}));", call);
        break;
      case Kind::kChar:
        params.push_back("ret: *mut u32");
        body = fmt::format("ret.write({} as u32);", call);
        break;
      default:
        params.push_back("ret: *mut " + e.ret.WireType(true));
        body = fmt::format("ret.write({});", call);
        break;
    }
    p.Print("\n");
    // `where Self: Sized`: only a sized implementor can call it.
    p.Block("unsafe extern \"C\" fn $f$_$n$<D: $q$$T$>($p$) -> *mut rt::WireParked {\n",
            {{"f", EntryField(vt, i)}, {"n", vt.name}, {"T", trait}, {"p", Join(params)},
             {"q", e.self_sized ? "" : "?Sized + "}}, [&] {
              p.Block("rt::callback(|| {\n", {}, [&] {
                p.Print(e.mutable_self ? "let this = &mut **(data as *mut *mut D);\n"
                                       : "let this = &**(data as *mut *mut D);\n");
                p.Print("$b$\n", {{"b", body}});
              }, "})\n");
            });
    if (e.self_sized) {
      // The table of an unsized implementor (a `?Sized` value lent, or `self`
      // in a default body): the library holds it only as a `?Sized` type,
      // whose `where Self: Sized` methods it cannot call, so this never runs.
      std::vector<std::string> unnamed;
      for (const std::string& param : params) unnamed.push_back("_" + param.substr(param.find(':')));
      p.Print("\n");
      p.Block("unsafe extern \"C\" fn $f$_unsized_$n$<D: ?Sized + $T$>($p$) -> *mut rt::WireParked {\n",
              {{"f", EntryField(vt, i)}, {"n", vt.name}, {"T", trait}, {"p", Join(unnamed)}}, [&] {
                p.Print("rt::callback(|| panic!(\"rdylib: $t$::$m$ needs `Self: Sized`; an unsized value has no "
                        "entry for it\"))\n",
                        {{"t", e.trait_path}, {"m", e.name}});
              });
    }
  }
  bool identity = std::find(vt.std_supertraits.begin(), vt.std_supertraits.end(), "TypeId") != vt.std_supertraits.end();
  for (const std::string& t : vt.std_supertraits) {
    if (t == "Eq") continue;  // a marker
    if (t == "TypeId") {
      // The consumer type's identity, which this table's comparisons check
      // on the other operand's table (never the tables' addresses, which
      // the compiler may merge or duplicate).
      p.Print("\n");
      p.Block("unsafe extern \"C\" fn std_type_id_$n$<D: ?Sized + $T$>(ret: *mut core::ffi::c_void) {\n", vars,
              [&] { p.Print("(ret as *mut core::any::TypeId).write(core::any::TypeId::of::<D>());\n"); });
      p.Print("\n/// Panics unless `other_vt` is the table of a D: one proxy type stands for\n"
              "/// every consumer type in the library, and a 'static value may meet another's.\n");
      p.Block("unsafe fn same_type_$n$<D: ?Sized + $T$>(other_vt: *const Vt$n$) {\n", vars, [&] {
        p.Print("let mut id = core::mem::MaybeUninit::<core::any::TypeId>::uninit();\n"
                "((*other_vt).std_type_id)(id.as_mut_ptr() as *mut core::ffi::c_void);\n");
        p.Block("if id.assume_init() != core::any::TypeId::of::<D>() {\n", {}, [&] {
          p.Print("panic!(\n    \"rdylib: the library compared a {} with a value of another type as $t$\",\n"
                  "    core::any::type_name::<D>()\n);\n",
                  {{"t", vt.trait_path}});
        });
      });
      continue;
    }
    if (t == "PartialEq" || t == "PartialOrd" || t == "Ord") {
      // The other operand is a D: within one call of a non-'static generic
      // parameter every proxy wraps a D; a 'static one is checked.
      std::string ret = t == "PartialEq" ? "bool" : "i8";
      std::string body = t == "PartialEq" ? "ret.write(core::cmp::PartialEq::eq(this, other));"
                         : t == "Ord"     ? "ret.write(core::cmp::Ord::cmp(this, other) as i8);"
                                          : "ret.write(match core::cmp::PartialOrd::partial_cmp(this, other) {\n"
                                            "    Some(o) => o as i8,\n    None => 2,\n});";
      p.Print("\n");
      p.Block("unsafe extern \"C\" fn $f$_$n$<D: ?Sized + $T$>(\n    data: *mut core::ffi::c_void,\n"
              "    other: *mut core::ffi::c_void,\n    $o$other_vt: *const Vt$n$,\n    ret: *mut $r$,\n"
              ") -> *mut rt::WireParked {\n",
              {{"f", plan::StdSupertraitEntry(t)}, {"n", vt.name}, {"T", trait}, {"r", ret},
               {"o", identity ? "" : "_"}},
              [&] {
                p.Block("rt::callback(|| {\n", {}, [&] {
                  if (identity) p.Print("same_type_$n$::<D>(other_vt);\n", vars);
                  p.Print("let this = &**(data as *mut *mut D);\nlet other = &**(other as *mut *mut D);\n$b$\n",
                          {{"b", body}});
                }, "})\n");
              });
      continue;
    }
    if (t == "Hash") {
      // The consumer's Hash, into the library's Hasher through `write`.
      p.Print("\n");
      p.Block("unsafe extern \"C\" fn std_hash_$n$<D: ?Sized + $T$>(\n    data: *mut core::ffi::c_void,\n"
              "    state: *mut core::ffi::c_void,\n    write: HashBack,\n) -> *mut rt::WireParked {\n",
              vars, [&] {
                p.Block("rt::callback(|| {\n", {}, [&] {
                  p.Print("let this = &**(data as *mut *mut D);\n"
                          "core::hash::Hash::hash(this, &mut LibHasher { state, write });\n");
                }, "})\n");
              });
      continue;
    }
    if (t == "Clone") {
      // The consumer's clone, boxed as `give_` boxes a value: the proxy that
      // takes it owns it and drops it through `drop`, once.
      p.Print("\n");
      p.Block("unsafe extern \"C\" fn $f$_$n$<D: ?Sized + $T$>(\n    data: *mut core::ffi::c_void,\n"
              "    ret: *mut *mut core::ffi::c_void,\n) -> *mut rt::WireParked {\n",
              {{"f", plan::StdSupertraitEntry(t)}, {"n", vt.name}, {"T", trait}}, [&] {
                p.Block("rt::callback(|| {\n", {}, [&] {
                  p.Print("let this = &**(data as *mut *mut D);\n"
                          "let b = alloc::boxed::Box::new(core::clone::Clone::clone(this));\n"
                          "let data = alloc::boxed::Box::into_raw(alloc::boxed::Box::new(alloc::boxed::Box::into_raw(b)));\n"
                          "ret.write(data as *mut core::ffi::c_void);\n");
                }, "})\n");
              });
      continue;
    }
    // The consumer's own Debug or Display, with the library's flags.
    p.Print("\n");
    p.Block("unsafe extern \"C\" fn $f$_$n$<D: ?Sized + $T$>(\n    data: *mut core::ffi::c_void,\n"
            "    flags: *const rt::WireFlags,\n    ret: *mut core::ffi::c_void,\n    put: Put,\n"
            ") -> *mut rt::WireParked {\n",
            {{"f", plan::StdSupertraitEntry(t)}, {"n", vt.name}, {"T", trait}}, [&] {
              p.Block("rt::callback(|| {\n", {}, [&] {
                p.Print("let this = &**(data as *mut *mut D);\n"
                        "let s = rt::$w$(this, &*flags);\nput(ret, s.as_ptr(), s.len());\n",
                        {{"w", t == "Debug" ? "debug_with" : "display_with"}});
              }, "})\n");
            });
  }
  bool any_sized = std::any_of(vt.entries.begin(), vt.entries.end(), [](const VtableEntry& e) { return e.self_sized; });
  p.Print("\n/// The table for values of type D.\n");
  p.Print("pub(crate) struct Table$n$<D: ?Sized>(core::marker::PhantomData<*const D>);\n\n", vars);
  // With `where Self: Sized` entries: VT for sized implementors, UNSIZED_VT
  // for the others (their entries for those methods are never reached).
  auto table = [&](const std::string& name, bool is_unsized) {
    p.Block("impl<D: $q$$T$> Table$n$<D> {\n", {{"n", vt.name}, {"T", trait}, {"q", is_unsized ? "?Sized + " : ""}},
            [&] {
              p.Block("pub(crate) const $c$: &'static Vt$n$ = &Vt$n$ {\n", {{"n", vt.name}, {"c", name}}, [&] {
                p.Print("drop: drop_$n$::<D>,\nsize: size_$n$::<D>,\nalign: align_$n$::<D>,\n", vars);
                for (size_t i = 0; i < vt.entries.size(); ++i) {
                  p.Print("$f$: $f$_$u$$n$::<D>,\n",
                          {{"f", EntryField(vt, i)}, {"n", vt.name},
                           {"u", is_unsized && vt.entries[i].self_sized ? "unsized_" : ""}});
                }
                for (const std::string& t : vt.std_supertraits) {
                  if (t == "Eq") continue;  // a marker
                  p.Print("$f$: $f$_$n$::<D>,\n", {{"f", plan::StdSupertraitEntry(t)}, {"n", vt.name}});
                }
              }, "};\n");
            });
  };
  table("VT", !any_sized);
  if (any_sized) {
    p.Print("\n");
    table("UNSIZED_VT", true);
  }
  p.Print("\n/// Gives a boxed value to the library: it owns it from now on and drops it\n"
          "/// through the table.\n");
  Printer::Vars sized_vars = {{"n", vt.name}, {"T", trait}, {"q", any_sized ? "" : "?Sized + "}};
  p.Block("pub(crate) fn give_$n$<D: $q$$T$>(\n    b: alloc::boxed::Box<D>,\n"
          ") -> (*mut core::ffi::c_void, *const Vt$n$) {\n",
          sized_vars, [&] {
            p.Print("let data = alloc::boxed::Box::into_raw(alloc::boxed::Box::new(alloc::boxed::Box::into_raw(b)));\n"
                    "(data as *mut core::ffi::c_void, Table$n$::<D>::VT)\n", vars);
          });
  p.Print("\n/// Lends a value to the library for one call: `raw` outlives the call.\n");
  p.Block("pub(crate) fn lend_$n$<D: $q$$T$>(raw: &mut *mut D) -> (*mut core::ffi::c_void, *const Vt$n$) {\n",
          sized_vars, [&] { p.Print("(raw as *mut *mut D as *mut core::ffi::c_void, Table$n$::<D>::VT)\n", vars); });
  p.Print("\n/// Lends a value borrowed for `'static` (the library may keep it): its\n"
          "/// pointer is interned in a cell that is never freed, one per value.\n");
  p.Block("pub(crate) fn lend_static_$n$<D: ?Sized + $T$>(\n    r: &'static D,\n"
          ") -> (*mut core::ffi::c_void, *const Vt$n$) {\n",
          vars, [&] {
            p.Print("(rt::intern_ptr(r as *const D as *mut D), Table$n$::<D>::$c$)\n",
                    {{"n", vt.name}, {"c", any_sized ? "UNSIZED_VT" : "VT"}});
          });
  p.Print("\n/// Lends a value that may be unsized (a `?Sized` parameter, `self` in a\n"
          "/// default body): its table has no entry for `where Self: Sized` methods.\n");
  p.Block("pub(crate) fn lend_unsized_$n$<D: ?Sized + $T$>(\n    raw: &mut *mut D,\n"
          ") -> (*mut core::ffi::c_void, *const Vt$n$) {\n",
          vars, [&] {
            p.Print("(raw as *mut *mut D as *mut core::ffi::c_void, Table$n$::<D>::$c$)\n",
                    {{"n", vt.name}, {"c", any_sized ? "UNSIZED_VT" : "VT"}});
          });
  return p.str();
}

std::string ShimProxyItems(const VtablePlan& vt) {
  Printer p;
  p.Print("\n");
  p.PrintRaw(VtableStruct(vt, false));
  bool has_clone = std::find(vt.std_supertraits.begin(), vt.std_supertraits.end(), "Clone") != vt.std_supertraits.end();
  std::vector<std::string> proxies = {""};
  for (const VtableEntry& e : vt.entries) {
    // An instance has no facade default body that would run the library's.
    if (e.provided && e.trait_path == vt.trait_path && vt.instance.empty()) proxies.push_back(e.name);
  }
  for (const std::string& without : proxies) {
    std::string name = ProxyName(vt, without);
    Printer::Vars vars = {{"P", name}, {"n", vt.name}};
    if (without.empty()) {
      p.Print("\n/// A consumer's value as the library's trait: owned (a Box) or lent.\n");
    } else {
      p.Print("\n/// A consumer's value whose own $m$ is the library's default body,\n"
              "/// which runs on this proxy; every other method is the consumer's.\n",
              {{"m", without}});
    }
    // A default body's proxy is lent, but its clones own theirs.
    bool owning = without.empty() || has_clone;
    p.Block("pub(crate) struct $P$ {\n", vars, [&] {
      p.Print("data: *mut std::ffi::c_void,\nvt: *const Vt$n$,\n", vars);
      if (owning) p.Print("owned: bool,\n");
    });
    p.Print("\n// The facade's signatures carry the library's Send and Sync bounds: the\n"
            "// consumer's compiler checked them for the value behind the pointer.\n"
            "unsafe impl Send for $P$ {}\nunsafe impl Sync for $P$ {}\n\n", vars);
    p.Block("impl $P$ {\n", vars, [&] {
      if (without.empty()) {
        p.Block("pub(crate) fn new(data: *mut std::ffi::c_void, vt: *const Vt$n$, owned: bool) -> $P$ {\n", vars,
                [&] { p.Print("$P$ { data, vt, owned }\n", vars); });
      } else {
        p.Block("pub(crate) fn new(data: *mut std::ffi::c_void, vt: *const Vt$n$) -> $P$ {\n", vars,
                [&] { p.Print(owning ? "$P$ { data, vt, owned: false }\n" : "$P$ { data, vt }\n", vars); });
      }
    });
    if (owning) {
      p.Print("\n");
      p.Block("impl Drop for $P$ {\n", vars, [&] {
        p.Block("fn drop(&mut self) {\n", {}, [&] {
          p.Block("if self.owned {\n", {}, [&] {
            p.Print("// The consumer's drop, exactly once; its panic resumes here.\n"
                    "unsafe { rt::rethrow(((*self.vt).drop)(self.data)) }\n");
          });
        });
      });
    }
    for (const std::string& t : vt.std_supertraits) {
      if (t == "TypeId") continue;  // read by the facade's comparisons only
      if (t == "Clone") {
        // A new owned proxy over the consumer's clone, also of a default
        // body's lent proxy: its clone owns the consumer's clone.
        p.Print("\n");
        p.Block("impl Clone for $P$ {\n", {{"P", name}}, [&] {
          p.Block("fn clone(&self) -> Self {\n", {}, [&] {
            p.Print("let mut data = std::ptr::null_mut();\n"
                    "unsafe { rt::rethrow(((*self.vt).$f$)(self.data, &mut data)) }\n"
                    "$P$ { data, vt: self.vt, owned: true }\n",
                    {{"f", plan::StdSupertraitEntry(t)}, {"P", name}});
          });
        });
        continue;
      }
      if (t == "Eq") {
        p.Print("\nimpl Eq for $P$ {}\n", {{"P", name}});
        continue;
      }
      if (t == "PartialEq" || t == "PartialOrd" || t == "Ord") {
        // The consumer's comparison; `other` wraps a value of the same
        // consumer type (docs/ABI.md, "Vtables"), checked by the facade when
        // the table has the identity entry.
        bool eq = t == "PartialEq";
        p.Print("\n");
        p.Block("impl $t$ for $P$ {\n", {{"t", t}, {"P", name}}, [&] {
          p.Block(eq ? "fn eq(&self, other: &Self) -> bool {\n"
                     : t == "Ord" ? "fn cmp(&self, other: &Self) -> std::cmp::Ordering {\n"
                                  : "fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {\n",
                  {}, [&] {
                    p.Print("let mut ret = $z$;\n"
                            "unsafe { rt::rethrow(((*self.vt).$f$)(self.data, other.data, other.vt, &mut ret)) }\n",
                            {{"z", eq ? "false" : "0i8"}, {"f", plan::StdSupertraitEntry(t)}});
                    if (eq) {
                      p.Print("ret\n");
                    } else if (t == "Ord") {
                      p.Print("ret.cmp(&0)\n");
                    } else {
                      p.Print("(ret != 2).then(|| ret.cmp(&0))\n");
                    }
                  });
        });
        continue;
      }
      if (t == "Hash") {
        // The consumer's Hash feeds this Hasher, each write_* as itself.
        p.Print("\n");
        p.Block("impl std::hash::Hash for $P$ {\n", {{"P", name}}, [&] {
          p.Block("fn hash<H: std::hash::Hasher>(&self, state: &mut H) {\n", {}, [&] {
            p.Print("let state = state as *mut H as *mut std::ffi::c_void;\n"
                    "unsafe { rt::rethrow(((*self.vt).std_hash)(self.data, state, hash_back::<H>)) }\n");
          });
        });
        continue;
      }
      // The consumer's text, already formatted with this formatter's flags.
      p.Print("\n");
      p.Block("impl std::fmt::$t$ for $P$ {\n", {{"t", t}, {"P", name}}, [&] {
        p.Block("fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {\n", {}, [&] {
          p.Print("let flags = rt::WireFlags::of(f);\nlet mut text = String::new();\n"
                  "unsafe {\n    rt::rethrow(((*self.vt).$f$)(\n        self.data,\n        &flags,\n"
                  "        &mut text as *mut String as *mut std::ffi::c_void,\n        put_string,\n    ))\n}\n"
                  "f.write_str(&text)\n",
                  {{"f", plan::StdSupertraitEntry(t)}});
        });
      });
    }
    for (const std::string& trait : vt.traits) {
      p.Print("\n");
      bool is_unsafe = std::find(vt.unsafe_traits.begin(), vt.unsafe_traits.end(), trait) != vt.unsafe_traits.end();
      p.Block("$u$impl $T$ for $P$ {\n",
              {{"T", plan::VtableTraitName(vt, trait, false, false)}, {"P", name}, {"u", is_unsafe ? "unsafe " : ""}},
              [&] {
        bool first = true;
        if (trait == vt.trait_path) {
          for (const std::string& a : vt.shim_assoc) p.Print("$a$\n", {{"a", a}});
          first = vt.shim_assoc.empty();
        }
        for (size_t i = 0; i < vt.entries.size(); ++i) {
          const VtableEntry& e = vt.entries[i];
          if (e.trait_path != trait) continue;
          if (!without.empty() && trait == vt.trait_path && e.name == without) continue;
          if (!first) p.Print("\n");
          first = false;
          std::vector<std::string> args = {"self.data"};
          for (const auto& [pname, v] : e.params) {
            switch (v.kind) {
              case Kind::kStr:
                args.push_back(pname + ".as_ptr()");
                args.push_back(pname + ".len()");
                break;
              case Kind::kChar: args.push_back(pname + " as u32"); break;
              // Through a unit pointer: the table names the type with 'static lifetimes.
              case Kind::kRef:
                args.push_back(fmt::format("{} as *{} _ as *{} () as {}", pname, v.is_mutable ? "mut" : "const",
                                           v.is_mutable ? "mut" : "const", v.WireType(false)));
                break;
              case Kind::kBufferMut:
                // The library's buffer: copied by the consumer, written back by `set`.
                args.push_back(pname + ".as_ptr()");
                args.push_back(pname + ".len()");
                args.push_back(fmt::format("{} as *mut _ as *mut u8", pname));
                args.push_back(v.children.empty() ? "rt::set_string" : "rt::set_vec::<" + v.children[0].scalar + ">");
                break;
              // The library's value: boxed with the shim's table for its type (a
              // Copy one lent for the call).
              case Kind::kErased:
                args.push_back(fmt::format("crate::rdylib_erased::into_{}({}{})", v.wire_name,
                                           v.erased_mode == "returned_copied" ? "&" : "", pname));
                break;
              default: args.push_back(pname); break;
            }
          }
          std::string field = EntryField(vt, i);
          // The return's local is `rdylib_ret`, not a short name a parameter may have (`s`).
          p.Block("$s$ {\n", {{"s", e.shim_signature}}, [&] {
            if (CowReturn(e.ret)) {
              bool bytes = CowBytes(e.ret);
              args.push_back("&mut rdylib_ret as *mut _ as *mut std::ffi::c_void");
              args.push_back(bytes ? "rt::put_cow_bytes" : "rt::put_cow_str");
              p.Print("let mut rdylib_ret: Option<std::borrow::Cow<'static, $t$>> = None;\n"
                      "unsafe { rt::rethrow(((*self.vt).$f$)($a$)) }\n$v$\n",
                      {{"t", bytes ? "[u8]" : "str"}, {"f", field}, {"a", Join(args)},
                       {"v", e.ret.kind == Kind::kOption ? "rdylib_ret" : "rdylib_ret.unwrap_or_default()"}});
              return;
            }
            switch (e.ret.kind) {
              case Kind::kUnit:
                p.Print("unsafe { rt::rethrow(((*self.vt).$f$)($a$)) }\n", {{"f", field}, {"a", Join(args)}});
                break;
              case Kind::kString:
                args.push_back("&mut rdylib_ret as *mut String as *mut std::ffi::c_void");
                args.push_back("put_string");
                p.Print("let mut rdylib_ret = String::new();\n"
                        "unsafe { rt::rethrow(((*self.vt).$f$)($a$)) }\nrdylib_ret\n",
                        {{"f", field}, {"a", Join(args)}});
                break;
              default: {
                args.push_back("rdylib_ret.as_mut_ptr()");
                std::string value = e.ret.kind == Kind::kStr    ? "rdylib_ret.assume_init().as_str()"
                                    : e.ret.kind == Kind::kChar ? "char::from_u32_unchecked(rdylib_ret.assume_init())"
                                                                : "rdylib_ret.assume_init()";
                p.Print("let mut rdylib_ret = std::mem::MaybeUninit::<$w$>::uninit();\n",
                        {{"w", e.ret.WireType(false)}});
                p.Block("unsafe {\n", {}, [&] {
                  p.Print("rt::rethrow(((*self.vt).$f$)($a$));\n$v$\n",
                          {{"f", field}, {"a", Join(args)}, {"v", value}});
                });
                break;
              }
            }
          });
        }
      });
    }
  }
  return p.str();
}

}  // namespace rdylib::emit

namespace rdylib::emit {

std::string VtableSymbol(const std::string& crate, const plan::VtablePlan& vt, const std::string& what) {
  return fmt::format("rdylib_v{}_{}__vt_{}__{}_{}", plan::kAbiVersion, crate, vt.name, what, vt.hash);
}

}  // namespace rdylib::emit
