// The facade's side of library-trait vtables: the tables and entries for
// consumer values (vtable_writer.h), the handle types of trait objects the
// library made, and the provided methods' default bodies, which run the
// library's default on a proxy over the consumer's value.
#include <fmt/format.h>

#include <algorithm>

#include "emit/boundary_form.h"
#include "emit/facade_writer_internal.h"
#include "emit/vtable_writer.h"

namespace rdylib::emit::internal {

void FacadeWriter::PrintVtableCall(const std::string& symbol, const std::string& item,
                                   std::vector<std::pair<std::string, std::string>> first,
                                   const plan::VtableEntry& e) {
  std::vector<std::string> types;
  std::vector<std::string> args;
  for (const auto& [type, expr] : first) {
    types.push_back(type);
    args.push_back(expr);
  }
  for (const auto& [name, v] : e.params) {
    ArgumentForm form = ArgForm(name, v);
    if (!form.facade_prepare.empty()) p_.Print("$prep$\n", {{"prep", form.facade_prepare}});
    types.push_back(form.FacadeTypes());
    args.push_back(form.FacadeArgs());
  }
  bool has_ret = e.ret.kind != AbiValue::Kind::kUnit;
  if (has_ret) {
    ReturnForm r = RetForm(e.ret);
    types.push_back("*mut " + r.facade_wire);
    p_.Print("let mut ret = core::mem::MaybeUninit::<$w$>::uninit();\n", {{"w", r.facade_wire}});
    args.push_back("ret.as_mut_ptr()");
  }
  Register(symbol, item, ThunkType(fmt::format("{}", fmt::join(types, ", "))));
  p_.Block("unsafe {\n", {}, [&] {
    PrintCall(symbol, fmt::format("{}", fmt::join(args, ", ")));
    if (has_ret) p_.Print("$v$\n", {{"v", ReplaceApi(RetForm(e.ret).facade_from_wire("ret.assume_init()"))}});
  });
}

void FacadeWriter::PrintDefaultBody(const plan::TraitPlan& t, const plan::TraitMethodPlan& m) {
  const plan::VtablePlan& vt = plan_.vtables[t.vtable];
  const plan::VtableEntry* entry = nullptr;
  for (const plan::VtableEntry& e : vt.entries) {
    if (e.trait_path == t.path && e.name == m.name) entry = &e;
  }
  // The entry's signature: the declaration with its parameters named.
  p_.Block("$d$ {\n", {{"d", entry->facade_signature}}, [&] {
    p_.Print("// The library's default body, on a proxy over this value whose other\n"
             "// methods are this type's own.\n");
    p_.Print(entry->mutable_self ? "let mut raw = crate::rdylib_vt::raw_mut(self);\n"
                                 : "let mut raw = crate::rdylib_vt::raw(self);\n");
    // `self` may be unsized here, unless the method says `where Self: Sized`.
    bool any_sized = std::any_of(vt.entries.begin(), vt.entries.end(),
                                 [](const plan::VtableEntry& e) { return e.self_sized; });
    p_.Print("let (data, vt) = crate::rdylib_vt::lend_$u$$n$(&mut raw);\n",
             {{"n", vt.name}, {"u", any_sized && !entry->self_sized ? "unsized_" : ""}});
    // A generic method's default thunk takes its closures erased the forward way.
    plan::VtableEntry call = *entry;
    if (!call.default_erased.empty()) call.params = call.default_params;
    PrintVtableCall(VtableSymbol(plan_.crate_name, vt, "default_" + m.name),
                    fmt::format("<{} as default>::{}", t.path, m.name),
                    {{"*mut core::ffi::c_void", "data"},
                     {fmt::format("*const crate::rdylib_vt::Vt{}", vt.name), "vt"}},
                    call);
  });
}

void FacadeWriter::PrintVtables() {
  if (plan_.vtables.empty()) return;
  p_.Print("\n/// Vtables: library traits over consumer values, and trait objects the\n"
           "/// library made (docs/ABI.md, \"Vtables\").\n"
           "#[allow(non_snake_case, non_camel_case_types, dead_code)]\n");
  p_.Block("pub(crate) mod rdylib_vt {\n", {}, [&] {
    p_.Print("use crate::rdylib_api as api;\nuse crate::rdylib_rt as rt;\n\n"
             "/// Hands a String back to the library: `put(ret, ptr, len)` copies it.\n"
             "pub(crate) type Put = unsafe extern \"C\" fn(*mut core::ffi::c_void, *const u8, usize);\n\n"
             "pub(crate) fn raw<D: ?Sized>(r: &D) -> *mut D {\n    r as *const D as *mut D\n}\n\n"
             "pub(crate) fn raw_mut<D: ?Sized>(r: &mut D) -> *mut D {\n    r as *mut D\n}\n");
    if (std::any_of(plan_.vtables.begin(), plan_.vtables.end(), [](const plan::VtablePlan& vt) {
          return std::find(vt.std_supertraits.begin(), vt.std_supertraits.end(), "Hash") != vt.std_supertraits.end();
        })) {
      p_.Print("\n/// The library's Hasher, lent to this side's Hash: `write(state, kind, bytes,\n"
               "/// len, ret)` calls the Hasher's method `kind` names (0 write, 1-12 write_u8 ..\n"
               "/// write_isize with the integer's native bytes, 13 finish into `ret`).\n"
               "pub(crate) type HashBack = unsafe extern \"C\" fn(\n    *mut core::ffi::c_void,\n    u8,\n"
               "    *const u8,\n    usize,\n    *mut u64,\n) -> *mut rt::WirePanic;\n\n"
               "/// The library's Hasher as a Hasher here: each method calls the library's own,\n"
               "/// whose panic resumes here and unwinds the consumer's Hash.\n"
               "pub(crate) struct LibHasher {\n    pub(crate) state: *mut core::ffi::c_void,\n"
               "    pub(crate) write: HashBack,\n}\n\n");
      p_.Block("impl LibHasher {\n", {}, [&] {
        p_.Block("fn call(&self, kind: u8, b: &[u8]) -> u64 {\n", {}, [&] {
          p_.Print("let mut ret = 0u64;\n"
                   "unsafe { rt::resume((self.write)(self.state, kind, b.as_ptr(), b.len(), &mut ret), api().$f$) }\n"
                   "ret\n",
                   {{"f", FreePanic()}});
        });
      });
      p_.Print("\n");
      p_.Block("impl core::hash::Hasher for LibHasher {\n", {}, [&] {
        p_.Block("fn write(&mut self, b: &[u8]) {\n", {}, [&] { p_.Print("self.call(0, b);\n"); });
        const char* ints[] = {"u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize"};
        for (int i = 0; i < 12; ++i) {
          p_.Print("\n");
          p_.Block("fn write_$t$(&mut self, i: $t$) {\n", {{"t", ints[i]}}, [&] {
            p_.Print("self.call($k$, &i.to_ne_bytes());\n", {{"k", std::to_string(i + 1)}});
          });
        }
        p_.Print("\n");
        p_.Block("fn finish(&self) -> u64 {\n", {}, [&] { p_.Print("self.call(13, &[])\n"); });
      });
    }
    for (const plan::VtablePlan& vt : plan_.vtables) {
      p_.PrintRaw(FacadeVtableItems(vt));
      // No `dyn` value of a trait that is not dyn-compatible exists.
      if (!vt.dyn_compatible) continue;
      Printer::Vars vars = {{"n", vt.name}};
      p_.Print("\n/// A trait object the library made: a handle to its box, dropped there.\n"
               "pub(crate) struct Lib$n$ {\n    h: *mut core::ffi::c_void,\n}\n\n"
               "// Only ever seen as the `dyn` type the library returned, with its bounds.\n"
               "unsafe impl Send for Lib$n$ {}\nunsafe impl Sync for Lib$n$ {}\n\n",
               vars);
      p_.Block("impl Lib$n$ {\n", vars, [&] {
        p_.Block("pub(crate) fn boxed(h: *mut core::ffi::c_void) -> alloc::boxed::Box<Lib$n$> {\n", vars,
                 [&] { p_.Print("alloc::boxed::Box::new(Lib$n$ { h })\n", vars); });
        p_.Print("\n/// A box written into a `&mut [Box<dyn ..>]` slot of type `slot`: noted, so\n"
                 "/// that passing it again hands the library its own value back.\n");
        p_.Block("pub(crate) fn slot(h: *mut core::ffi::c_void, slot: &'static str) -> alloc::boxed::Box<Lib$n$> {\n",
                 vars, [&] {
                   p_.Print("let b = Self::boxed(h);\n"
                            "rt::note_slot_handle(&*b as *const Lib$n$ as usize, slot);\n"
                            "b\n",
                            vars);
                 });
        p_.Print("\n/// The library's handle in `b` if `slot` made `b` for a slot of this type;\n"
                 "/// its box is freed without dropping the library's value. Else `b`.\n");
        p_.Block("pub(crate) fn unslot<B: ?Sized>(\n    b: alloc::boxed::Box<B>,\n    slot: &'static str,\n"
                 ") -> Result<*mut core::ffi::c_void, alloc::boxed::Box<B>> {\n",
                 vars, [&] {
                   p_.Print("if !rt::take_slot_handle(&*b as *const B as *const u8 as usize, slot) {\n"
                            "    return Err(b);\n"
                            "}\n"
                            "// Only `slot` notes an address, that of a live box of Lib$n$ (whose drop\n"
                            "// forgets it), so `b` is that box.\n"
                            "let raw = alloc::boxed::Box::into_raw(b) as *mut u8 as *mut Lib$n$;\n"
                            "let h = unsafe { (*raw).h };\n"
                            "drop(unsafe { alloc::boxed::Box::from_raw(raw as *mut core::mem::ManuallyDrop<Lib$n$>) });\n"
                            "Ok(h)\n",
                            vars);
                 });
      });
      p_.Print("\n");
      p_.Block("impl Drop for Lib$n$ {\n", vars, [&] {
        p_.Block("fn drop(&mut self) {\n", {}, [&] {
          std::string sym = VtableSymbol(plan_.crate_name, vt, "dyn_drop");
          Register(sym, fmt::format("Box<dyn {}>", vt.trait_path), ThunkType("*mut core::ffi::c_void"));
          p_.Print("rt::forget_slot_handle(self as *const Self as usize);\n"
                   "unsafe { rt::resume((api().$s$)(self.h), api().$free$) }\n",
                   {{"s", sym}, {"free", FreePanic()}});
        });
      });
      p_.Print("\n/// A trait object the library lends: never made here, only seen at the\n"
               "/// address of the library's cell that holds the object's pointer.\n"
               "#[repr(C)]\npub(crate) struct Lib$n$At {\n    fat: [usize; 2],\n}\n\n"
               "// Only ever seen as the `dyn` type the library returned, with its bounds.\n"
               "unsafe impl Send for Lib$n$At {}\nunsafe impl Sync for Lib$n$At {}\n",
               vars);
      PrintHandleImpls(vt, "Lib" + vt.name, "self.h");
      PrintHandleImpls(vt, "Lib" + vt.name + "At", "self as *const Self as *mut core::ffi::c_void");
    }
  });
}

void FacadeWriter::PrintHandleImpls(const plan::VtablePlan& vt, const std::string& type, const std::string& h) {
  for (const std::string& t : vt.std_supertraits) {
    if (t == "Clone") continue;  // not dyn-compatible: no handle
    // The library's Debug or Display of its object, with this formatter's flags.
    std::string sym = VtableSymbol(plan_.crate_name, vt, "dyn_" + plan::StdSupertraitEntry(t));
    Register(sym, fmt::format("<dyn {} as {}>", vt.trait_path, t),
             ThunkType("*mut core::ffi::c_void, *const rt::WireFlags, *mut rt::WireString"));
    p_.Print("\n");
    p_.Block("impl core::fmt::$t$ for $T$ {\n", {{"t", t}, {"T", type}}, [&] {
      p_.Block("fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {\n", {}, [&] {
        p_.Print("let flags = rt::WireFlags::of(f);\n"
                 "let mut ret = core::mem::MaybeUninit::<rt::WireString>::uninit();\n");
        p_.Block("let text = unsafe {\n", {}, [&] {
          PrintCall(sym, h + ", &flags, ret.as_mut_ptr()");
          p_.Print("rt::take_string(ret.assume_init(), api().$free$)\n", {{"free", FreeString()}});
        }, "};\n");
        p_.Print("f.write_str(&text)\n");
      });
    });
  }
  for (const std::string& trait : vt.traits) {
    p_.Print("\n");
    bool is_unsafe = std::find(vt.unsafe_traits.begin(), vt.unsafe_traits.end(), trait) != vt.unsafe_traits.end();
    p_.Block("$u$impl $t$ for $T$ {\n",
             {{"t", plan::VtableTraitName(vt, trait, true, false)}, {"T", type}, {"u", is_unsafe ? "unsafe " : ""}},
             [&] {
      bool first = true;
      if (trait == vt.trait_path) {
        // An instance's associated types, as the library's object has them.
        for (const std::string& a : vt.facade_assoc) p_.Print("$a$\n", {{"a", a}});
        first = vt.facade_assoc.empty();
      }
      for (size_t i = 0; i < vt.entries.size(); ++i) {
        const plan::VtableEntry& e = vt.entries[i];
        if (e.trait_path != trait) continue;
        if (!first) p_.Print("\n");
        first = false;
        p_.Block("$s$ {\n", {{"s", e.facade_signature}}, [&] {
          PrintVtableCall(VtableSymbol(plan_.crate_name, vt, "dyn_" + EntryField(vt, i)),
                          fmt::format("<dyn {} as {}>::{}", vt.trait_path, trait, e.name),
                          {{"*mut core::ffi::c_void", h}}, e);
        });
      }
    });
  }
}

}  // namespace rdylib::emit::internal
