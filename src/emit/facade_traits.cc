// The facade's forwarded std trait impls of pinned types and enums.
#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "emit/enum_writer.h"
#include "emit/facade_writer_internal.h"
#include "emit/shim_writer.h"

namespace rdylib::emit::internal {

void FacadeWriter::PrintTraits(const TypePlan& t) {
  auto sym = [&](const std::string& what) { return plan_.TraitSymbol(t, what); };
  auto item = [&](const std::string& trait) { return fmt::format("<{} as {}>", t.path, trait); };
  Printer::Vars vars = {{"T", SelfType(t)}, {"lp", t.lifetime_params}};
  // Thunk types live in the root's Api table: they name types by full path.
  const std::string full = FacadePath(t.path, plan_.crate_name);
  if (t.forward_drop) {
    Register(sym("drop"), item("Drop"), ThunkType(fmt::format("*mut {}", full)));
    p_.Print("\n");
    p_.Block("impl$lp$ Drop for $T$ {\n", {{"T", SelfType(t)}, {"lp", t.lifetime_params}}, [&] {
      p_.Block("fn drop(&mut self) {\n", {}, [&] {
        bool emptied = std::any_of(t.fields.begin(), t.fields.end(),
                                   [](const plan::FieldPlan& f) { return !f.emptied.empty(); });
        if (!emptied) {
          p_.Print("unsafe { rt::resume((api().$f$)(self), api().$free$) }\n",
                   {{"f", sym("drop")}, {"free", FreePanic()}});
          return;
        }
        p_.Print("let panic = unsafe { (api().$f$)(self) };\n"
                 "// The library dropped every field: empty the public ones it freed, so\n"
                 "// this side's drop glue frees nothing twice.\n",
                 {{"f", sym("drop")}});
        p_.Block("unsafe {\n", {}, [&] {
          for (const plan::FieldPlan& f : t.fields) {
            if (f.emptied.empty()) continue;
            p_.Print("core::ptr::write(&mut self.$n$, $v$);\n", {{"n", f.name}, {"v", f.emptied}});
          }
          p_.Print("rt::resume(panic, api().$free$);\n", {{"free", FreePanic()}});
        });
      });
    });
  }
  for (const std::string& trait : t.traits) {
    if (trait == "Clone" && !t.is_copy) {
      Register(sym("clone"), item("Clone"),
               ThunkType(fmt::format("*const {0}, *mut {0}", full)));
      PrintTraitImpl("Clone", t, "fn clone(&self) -> Self", [&] {
        p_.Print("let mut ret = core::mem::MaybeUninit::<Self>::uninit();\n");
        p_.Block("unsafe {\n", {}, [&] {
          PrintCall(sym("clone"), "self, ret.as_mut_ptr()");
          p_.Print("ret.assume_init()\n");
        });
      });
    } else if ((trait == "Debug" || trait == "Display") && t.shape == TypePlan::Shape::kDataEnum) {
      std::string what = trait == "Debug" ? "fmt_debug" : "fmt_display";
      std::string wire = "crate::rdylib_enums::Wire" + t.wire_name;
      Register(sym(what), item(trait),
               ThunkType(fmt::format("*const {}, *const rt::WireFlags, *mut rt::WireString", wire)));
      PrintTraitImpl("core::fmt::" + trait, t,
                     "fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result", [&] {
        p_.Print("let flags = rt::WireFlags::of(f);\n"
                 "let mut ret = core::mem::MaybeUninit::<rt::WireString>::uninit();\n");
        p_.Block("let text = unsafe {\n", {}, [&] {
          p_.Print("// A bitwise view of self: the library borrows it and drops nothing.\n"
                   "let view = crate::rdylib_enums::view_wire_$n$(self);\n", {{"n", t.wire_name}});
          PrintCall(sym(what), "&view, &flags, ret.as_mut_ptr()");
          p_.Print("rt::take_string(ret.assume_init(), api().$free$)\n", {{"free", FreeString()}});
        }, "};\n");
        p_.Print("f.write_str(&text)\n");
      });
    } else if (trait == "Debug" || trait == "Display") {
      std::string what = trait == "Debug" ? "fmt_debug" : "fmt_display";
      Register(sym(what), item(trait),
               ThunkType(fmt::format("*const {}, *const rt::WireFlags, *mut rt::WireString", full)));
      PrintTraitImpl("core::fmt::" + trait, t,
                     "fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result", [&] {
        p_.Print("let flags = rt::WireFlags::of(f);\n"
                 "let mut ret = core::mem::MaybeUninit::<rt::WireString>::uninit();\n");
        p_.Block("let text = unsafe {\n", {}, [&] {
          PrintCall(sym(what), "self, &flags, ret.as_mut_ptr()");
          p_.Print("rt::take_string(ret.assume_init(), api().$free$)\n", {{"free", FreeString()}});
        }, "};\n");
        p_.Print("f.write_str(&text)\n");
      });
    } else if (trait == "PartialEq" || trait == "PartialOrd" || trait == "Ord") {
      std::string what = trait == "PartialEq" ? "eq" : trait == "Ord" ? "cmp" : "partial_cmp";
      std::string ret = trait == "PartialEq" ? "bool" : "i8";
      Register(sym(what), item(trait),
               ThunkType(fmt::format("*const {0}, *const {0}, *mut {1}", full, ret)));
      std::string sig = trait == "PartialEq" ? "fn eq(&self, other: &Self) -> bool"
                        : trait == "Ord"     ? "fn cmp(&self, other: &Self) -> core::cmp::Ordering"
                                             : "fn partial_cmp(&self, other: &Self) -> core::option::Option<core::cmp::Ordering>";
      PrintTraitImpl(trait, t, sig, [&] {
        p_.Print("let mut ret = core::mem::MaybeUninit::<$r$>::uninit();\n", {{"r", ret}});
        p_.Block("let r = unsafe {\n", {}, [&] {
          PrintCall(sym(what), "self, other, ret.as_mut_ptr()");
          p_.Print("ret.assume_init()\n");
        }, "};\n");
        if (trait == "PartialEq") {
          p_.Print("r\n");
        } else if (trait == "Ord") {
          p_.Print("r.cmp(&0)\n");
        } else {
          p_.Print("if r == 2 { None } else { Some(r.cmp(&0)) }\n");
        }
      });
    } else if (trait == "Eq") {
      p_.Print("\nimpl$lp$ Eq for $T$ {}\n", vars);
    } else if (trait == "Error" && t.error_source) {
      bool view = t.shape == TypePlan::Shape::kDataEnum;
      std::string self_type = view ? "crate::rdylib_enums::Wire" + t.wire_name : full;
      Register(sym("source"), item("Error"),
               ThunkType(fmt::format("*const {}, *mut rt::WireOption<rt::WireError>", self_type)));
      PrintTraitImpl("std::error::Error", t,
                     "fn source(&self) -> Option<&(dyn std::error::Error + 'static)>", [&] {
        p_.Print("let mut ret = core::mem::MaybeUninit::<rt::WireOption<rt::WireError>>::uninit();\n");
        p_.Block("unsafe {\n", {}, [&] {
          if (view) {
            p_.Print("let view = crate::rdylib_enums::view_wire_$n$(self);\n", {{"n", t.wire_name}});
            PrintCall(sym("source"), "&view, ret.as_mut_ptr()");
          } else {
            PrintCall(sym("source"), "self, ret.as_mut_ptr()");
          }
          p_.Print("// A copy of the chain, interned: it lives as long as the program.\n"
                   "ret.assume_init()\n"
                   "    .into_option()\n"
                   "    .map(|e| rt::intern_error(e, api().$free$) as &(dyn std::error::Error + 'static))\n",
                   {{"free", Prefix() + "__free_error"}});
        });
      });
    } else if (trait == "Error") {
      p_.Print("\nimpl$lp$ std::error::Error for $T$ {}\n", vars);
    } else if (trait == "Hash") {
      Register(sym("hash"), item("Hash"),
               ThunkType(fmt::format("*const {}, *mut core::ffi::c_void, rt::HashWrite", full)));
      PrintTraitImpl("core::hash::Hash", t, "fn hash<H: core::hash::Hasher>(&self, state: &mut H)", [&] {
        p_.Print("// The library hashes; every byte goes to the caller's Hasher, whose\n"
                 "// panic crosses back to resume here.\n");
        p_.Block("unsafe extern \"C\" fn write<H: core::hash::Hasher>(\n"
                 "    state: *mut core::ffi::c_void,\n    p: *const u8,\n    n: usize,\n) -> *mut rt::WireParked {\n",
                 {}, [&] {
          p_.Print("rt::callback(|| (*(state as *mut H)).write(core::slice::from_raw_parts(p, n)))\n");
        });
        p_.Block("unsafe {\n", {}, [&] {
          PrintCall(sym("hash"), "self, state as *mut H as *mut core::ffi::c_void, write::<H>");
        });
      });
    } else if (trait == "Default") {
      Register(sym("default"), item("Default"),
               ThunkType(fmt::format("*mut {}", full)));
      PrintTraitImpl("Default", t, "fn default() -> Self", [&] {
        p_.Print("let mut ret = core::mem::MaybeUninit::<Self>::uninit();\n");
        p_.Block("unsafe {\n", {}, [&] {
          PrintCall(sym("default"), "ret.as_mut_ptr()");
          p_.Print("ret.assume_init()\n");
        });
      });
    }
  }
}

void FacadeWriter::PrintTraitImpl(const std::string& trait, const TypePlan& t, const std::string& sig,
                                  const std::function<void()>& body) {
  p_.Print("\n");
  p_.Block("impl$lp$ $trait$ for $T$ {\n",
           {{"trait", trait}, {"T", SelfType(t)}, {"lp", t.lifetime_params}}, [&] {
    p_.Block("$sig$ {\n", {{"sig", sig}}, body);
  });
}

}  // namespace rdylib::emit::internal
