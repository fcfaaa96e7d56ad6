// The shim's side of vtables: the proxies (vtable_writer.h), the thunks of
// trait objects the library made, and the library's default bodies of
// provided methods, run on a proxy over a consumer's value.
#include "emit/shim_vtables.h"

#include <fmt/format.h>

#include <algorithm>

#include "emit/boundary_form.h"
#include "emit/vtable_writer.h"
#include "util/printer.h"

namespace rdylib::emit {
namespace {

using plan::AbiValue;
using plan::VtableEntry;
using plan::VtablePlan;

// The trait of `vt` as the shim's `dyn` types name it, with an instance's arguments.
std::string ShimTrait(const VtablePlan& vt) { return plan::VtableTraitName(vt, vt.trait_path, false, true); }

void PrintGuarded(Printer& p, const std::string& symbol, const std::string& params, const std::string& body) {
  p.Print("#[no_mangle]\n");
  p.Block("pub unsafe extern \"C\" fn $s$($p$) -> *mut rt::WirePanic {\n", {{"s", symbol}, {"p", params}}, [&] {
    p.Block("rt::guard(|| {\n", {}, [&] { p.Print("$b$\n", {{"b", body}}); }, "})\n");
  });
  p.Print("\n");
}

// `this` is bound to the receiver; the call and its result's conversion.
void PrintMethodThunk(Printer& p, const std::string& symbol, std::vector<std::string> params,
                      const std::string& bind, const VtablePlan& vt, const std::string& self_type,
                      const VtableEntry& e) {
  std::vector<std::string> args = {e.mutable_self ? "&mut this" : "&this"};
  if (bind.find("&") != std::string::npos) args[0] = "this";
  for (const auto& [name, v] : e.params) {
    ArgumentForm form = ArgForm(name, v);
    params.push_back(form.ShimParams(name));
    args.push_back(form.shim_value);
  }
  std::string call =
      fmt::format("{}({})", plan::VtableMethodPath(vt, e.trait_path, self_type, e.name, false), fmt::join(args, ", "));
  std::string body;
  if (e.ret.kind == AbiValue::Kind::kUnit) {
    body = bind + "\n" + call + ";";
  } else {
    ReturnForm r = RetForm(e.ret);
    params.push_back("ret: *mut " + r.shim_wire);
    body = bind + "\n" + fmt::format("ret.write({});", r.shim_to_wire(call));
  }
  PrintGuarded(p, symbol, fmt::format("{}", fmt::join(params, ", ")), body);
}

}  // namespace

std::string WriteShimVtables(const plan::Plan& plan) {
  if (plan.vtables.empty()) return "";
  Printer p;
  p.Print("/// Vtables: consumer values as the library's traits (docs/ABI.md, \"Vtables\").\n"
          "#[allow(non_snake_case, non_camel_case_types, dead_code)]\n");
  p.Block("pub mod rdylib_vt {\n", {}, [&] {
    p.Print("use crate::rdylib_rt as rt;\n\n"
            "/// Hands a String the consumer returned to the library: `put(ret, ptr, len)`.\n"
            "pub type Put = unsafe extern \"C\" fn(*mut std::ffi::c_void, *const u8, usize);\n\n"
            "/// Copies the consumer's String into the library's own (`ret` is a `*mut String`).\n");
    p.Block("pub(crate) unsafe extern \"C\" fn put_string(ret: *mut std::ffi::c_void, p: *const u8, n: usize) {\n",
            {}, [&] {
              p.Print("*(ret as *mut String) = String::from_utf8_unchecked(std::slice::from_raw_parts(p, n).to_vec());\n");
            });
    if (std::any_of(plan.vtables.begin(), plan.vtables.end(), [](const VtablePlan& vt) {
          return std::find(vt.std_supertraits.begin(), vt.std_supertraits.end(), "Hash") != vt.std_supertraits.end();
        })) {
      p.Print("\n/// The library's Hasher, lent to a consumer's Hash: `write(state, kind, bytes,\n"
              "/// len, ret)` calls the Hasher's method `kind` names (0 write, 1-12 write_u8 ..\n"
              "/// write_isize with the integer's native bytes at `bytes`, 13 finish into `ret`).\n"
              "pub type HashBack =\n"
              "    unsafe extern \"C\" fn(*mut std::ffi::c_void, u8, *const u8, usize, *mut u64) -> *mut rt::WirePanic;\n\n"
              "/// Feeds the library's Hasher `H` in the guard: its panic goes back to the\n"
              "/// consumer's Hash and on through it to this library, as a panic would natively.\n");
      p.Block("pub(crate) unsafe extern \"C\" fn hash_back<H: std::hash::Hasher>(\n"
              "    state: *mut std::ffi::c_void,\n    kind: u8,\n    p: *const u8,\n    n: usize,\n"
              "    ret: *mut u64,\n) -> *mut rt::WirePanic {\n",
              {}, [&] {
                p.Block("rt::guard(|| {\n", {}, [&] {
                  p.Print("let h = &mut *(state as *mut H);\n");
                  p.Block("match kind {\n", {}, [&] {
                    const char* ints[] = {"u8", "u16", "u32", "u64", "u128", "usize",
                                          "i8", "i16", "i32", "i64", "i128", "isize"};
                    for (int i = 0; i < 12; ++i) {
                      p.Print("$k$ => h.write_$t$((p as *const $t$).read_unaligned()),\n",
                              {{"k", std::to_string(i + 1)}, {"t", ints[i]}});
                    }
                    p.Print("13 => ret.write(h.finish()),\n_ => h.write(std::slice::from_raw_parts(p, n)),\n");
                  });
                }, "})\n");
              });
    }
    for (const VtablePlan& vt : plan.vtables) {
      p.PrintRaw(ShimProxyItems(vt));
      if (!vt.dyn_compatible) continue;  // no `dyn` value of it exists
      p.Print("\n/// A trait object the library made, as a handle the facade holds.\n");
      p.Block("pub(crate) fn handle_$n$(b: Box<dyn $T$ + '_>) -> *mut std::ffi::c_void {\n",
              {{"n", vt.name}, {"T", ShimTrait(vt)}},
              [&] { p.Print("Box::into_raw(Box::new(b)) as *mut std::ffi::c_void\n"); });
      p.Print("\n/// A trait object the library lends: the address of an interned cell that\n"
              "/// holds its pointer, read like a handle's box by the thunks.\n");
      p.Block("pub(crate) fn lent_$n$(r: &(dyn $T$ + '_)) -> *mut std::ffi::c_void {\n",
              {{"n", vt.name}, {"T", ShimTrait(vt)}}, [&] {
                p.Print("// The pointer's two words, its data and its table.\n"
                        "let fat: [usize; 2] = unsafe { std::mem::transmute(r as *const (dyn $T$ + '_)) };\n"
                        "rt::intern_fat(fat)\n",
                        {{"T", ShimTrait(vt)}});
              });
    }
  });
  p.Print("\n");
  for (const VtablePlan& vt : plan.vtables) {
    std::string boxed = fmt::format("Box<dyn {}>", ShimTrait(vt));
    if (vt.dyn_compatible) {
      PrintGuarded(p, VtableSymbol(plan.crate_name, vt, "dyn_drop"), "h: *mut std::ffi::c_void",
                   fmt::format("drop(Box::from_raw(h as *mut {}));", boxed));
    }
    for (const std::string& t : vt.std_supertraits) {
      if (!vt.dyn_compatible) break;
      if (t == "Clone") continue;  // not dyn-compatible: never here
      // A trait object the library made, formatted by the library with the consumer's flags.
      PrintGuarded(p, VtableSymbol(plan.crate_name, vt, "dyn_" + plan::StdSupertraitEntry(t)),
                   "h: *mut std::ffi::c_void, flags: *const rt::WireFlags, ret: *mut rt::WireString",
                   fmt::format("let this = &**(h as *mut *mut dyn {});\n"
                               "ret.write(rt::WireString::from_string(rt::{}(this, &*flags)));",
                               ShimTrait(vt), t == "Debug" ? "debug_with" : "display_with"));
    }
    for (size_t i = 0; vt.dyn_compatible && i < vt.entries.size(); ++i) {
      const VtableEntry& e = vt.entries[i];
      PrintMethodThunk(p, VtableSymbol(plan.crate_name, vt, "dyn_" + EntryField(vt, i)),
                       {"h: *mut std::ffi::c_void"},
                       // A handle's box or a lent object's cell: either holds the object's pointer.
                       fmt::format("let this = &{}**(h as *mut *mut dyn {});", e.mutable_self ? "mut " : "",
                                   ShimTrait(vt)),
                       vt, "dyn " + ShimTrait(vt), e);
    }
    for (VtableEntry e : vt.entries) {
      // An instance's provided methods have no facade default body that runs the library's.
      if (!e.provided || e.trait_path != vt.trait_path || !vt.instance.empty()) continue;
      // A generic method's default thunk takes its closures erased the forward way.
      if (!e.default_erased.empty()) e.params = e.default_params;
      PrintMethodThunk(p, VtableSymbol(plan.crate_name, vt, "default_" + e.name),
                       {"data: *mut std::ffi::c_void", fmt::format("vt: *const rdylib_vt::Vt{}", vt.name)},
                       fmt::format("let {}this = rdylib_vt::{}::new(data, vt);", e.mutable_self ? "mut " : "",
                                   ProxyName(vt, e.name)),
                       vt, "", e);
    }
  }
  return p.str();
}

}  // namespace rdylib::emit
