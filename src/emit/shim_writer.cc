// Writes the shim crate.
#include "emit/shim_writer.h"

#include <fmt/format.h>

#include "emit/boundary_form.h"
#include "emit/dep_facades.h"
#include "emit/enum_writer.h"
#include "emit/erased_writer.h"
#include "emit/runtime_files.h"
#include "emit/shim_vtables.h"
#include "emit/rust_literal.h"
#include "util/printer.h"

namespace rdylib::emit {
namespace {

using plan::AbiValue;
using plan::FunctionPlan;
using plan::TypePlan;

std::string ShimTypeName(const TypePlan& t, const std::string& crate) {
  return "target_crate" + t.path.substr(crate.size()) + plan::StaticLifetimes(t);
}

// Every thunk runs its body in the guard: a panic, the library's or a
// consumer's from a callback, comes back as a `*mut rt::WirePanic`.
void PrintThunk(Printer& p, const std::string& symbol, const std::string& params,
                const std::string& body) {
  p.Print("#[no_mangle]\n");
  p.Block("pub unsafe extern \"C\" fn $symbol$($params$) -> *mut rt::WirePanic {\n",
          {{"symbol", symbol}, {"params", params}}, [&] {
            p.Block("rt::guard(|| {\n", {}, [&] { p.Print("$body$\n", {{"body", body}}); },
                    "})\n");
          });
  p.Print("\n");
}

void PrintFunction(Printer& p, const FunctionPlan& f, const plan::Plan& plan) {
  std::vector<std::string> args;
  std::string callee;
  std::string prelude;
  bool write_back = false;  // &mut self of an enum with data
  std::string wire_name;
  if (f.owner >= 0) {
    const TypePlan& t = plan.types[f.owner];
    callee = "target_crate" + t.path.substr(plan.crate_name.size()) + "::" + f.name;
    if (t.shape == TypePlan::Shape::kDataEnum) {
      // Self crosses as its wire form: rebuilt here, and for &mut self
      // written back even when the method panics (rt::lend_mut).
      wire_name = t.wire_name;
      std::string rebuild = fmt::format("rdylib_enums::from_wire_{}(std::ptr::read(this))", wire_name);
      switch (f.receiver) {
        case FunctionPlan::Receiver::kRef:
          prelude = fmt::format("let this = std::mem::ManuallyDrop::new({});\n", rebuild);
          args.push_back("&*this");
          break;
        case FunctionPlan::Receiver::kRefMut:
          args.push_back("value");
          write_back = true;
          break;
        case FunctionPlan::Receiver::kValue: args.push_back(rebuild); break;
        case FunctionPlan::Receiver::kNone: break;
      }
    } else {
      switch (f.receiver) {
        case FunctionPlan::Receiver::kRef: args.push_back("&*this"); break;
        case FunctionPlan::Receiver::kRefMut: args.push_back("&mut *this"); break;
        case FunctionPlan::Receiver::kValue: args.push_back("std::ptr::read(this)"); break;
        case FunctionPlan::Receiver::kNone: break;
      }
    }
  } else {
    callee = "target_crate" + f.path.substr(plan.crate_name.size());
  }
  if (!f.shim_callee.empty()) callee = f.shim_callee;
  for (const plan::ParamPlan& param : f.params) {
    args.push_back((param.shim_borrow ? "&" : "") + ArgForm(param.name, param.value).shim_value);
  }
  std::string call = fmt::format("{}({})", callee, fmt::format("{}", fmt::join(args, ", ")));
  bool unit = f.ret.kind == AbiValue::Kind::kUnit;
  std::string body;
  if (write_back) {
    std::string lend = fmt::format("rt::lend_mut(this, rdylib_enums::from_wire_{0}, rdylib_enums::to_wire_{0}, |value| {1})",
                                   wire_name, call);
    body = unit ? lend + ";" : fmt::format("let r = {};\nret.write({});", lend, RetForm(f.ret).shim_to_wire("r"));
  } else {
    body = prelude + (unit ? call + ";" : fmt::format("ret.write({});", RetForm(f.ret).shim_to_wire(call)));
  }
  PrintThunk(p, f.symbol, ThunkParams(f, plan, false), body);
}

void PrintTraitThunks(Printer& p, const TypePlan& t, const plan::Plan& plan) {
  std::string ty = ShimTypeName(t, plan.crate_name);
  auto sym = [&](const std::string& what) { return plan.TraitSymbol(t, what); };
  if (t.shape == TypePlan::Shape::kDataEnum) {
    // Borrowed as a wire view: rebuilt without taking ownership, never dropped.
    for (const std::string& trait : t.traits) {
      if (trait == "Error" && t.error_source) {
        PrintThunk(p, sym("source"),
                   fmt::format("w: *const rdylib_enums::Wire{}, ret: *mut rt::WireOption<rt::WireError>", t.wire_name),
                   fmt::format("let v = std::mem::ManuallyDrop::new(rdylib_enums::from_wire_{}(std::ptr::read(w)));\n"
                               "ret.write(match std::error::Error::source(&*v) {{\n"
                               "    Some(e) => rt::WireOption::some(rt::error(e)),\n"
                               "    None => rt::WireOption::none(),\n}});", t.wire_name));
        continue;
      }
      if (trait != "Debug" && trait != "Display") continue;
      PrintThunk(p, sym(trait == "Debug" ? "fmt_debug" : "fmt_display"),
                 fmt::format("w: *const rdylib_enums::Wire{}, flags: *const rt::WireFlags, ret: *mut rt::WireString",
                             t.wire_name),
                 fmt::format("let v = std::mem::ManuallyDrop::new(rdylib_enums::from_wire_{}(std::ptr::read(w)));\n"
                             "ret.write(rt::WireString::from_string(rt::{}(&*v, &*flags)));",
                             t.wire_name, trait == "Debug" ? "debug_with" : "display_with"));
    }
    return;
  }
  if (t.forward_drop) {
    PrintThunk(p, sym("drop"), fmt::format("this: *mut {}", ty), "std::ptr::drop_in_place(this);");
  }
  for (const std::string& trait : t.traits) {
    if (trait == "Clone" && !t.is_copy) {
      PrintThunk(p, sym("clone"), fmt::format("this: *const {0}, ret: *mut {0}", ty),
                 "ret.write(Clone::clone(&*this));");
    } else if (trait == "Debug" || trait == "Display") {
      std::string fn = trait == "Debug" ? "debug_with" : "display_with";
      PrintThunk(p, sym(trait == "Debug" ? "fmt_debug" : "fmt_display"),
                 fmt::format("this: *const {}, flags: *const rt::WireFlags, ret: *mut rt::WireString", ty),
                 fmt::format("ret.write(rt::WireString::from_string(rt::{}(&*this, &*flags)));", fn));
    } else if (trait == "PartialEq") {
      PrintThunk(p, sym("eq"), fmt::format("a: *const {0}, b: *const {0}, ret: *mut bool", ty),
                 "ret.write(PartialEq::eq(&*a, &*b));");
    } else if (trait == "PartialOrd") {
      PrintThunk(p, sym("partial_cmp"), fmt::format("a: *const {0}, b: *const {0}, ret: *mut i8", ty),
                 "ret.write(PartialOrd::partial_cmp(&*a, &*b).map_or(2, |o| o as i8));");
    } else if (trait == "Ord") {
      PrintThunk(p, sym("cmp"), fmt::format("a: *const {0}, b: *const {0}, ret: *mut i8", ty),
                 "ret.write(Ord::cmp(&*a, &*b) as i8);");
    } else if (trait == "Hash") {
      PrintThunk(p, sym("hash"),
                 fmt::format("this: *const {}, state: *mut std::ffi::c_void, write: rt::HashWrite", ty),
                 "std::hash::Hash::hash(&*this, &mut rt::CallbackHasher { state, write });");
    } else if (trait == "Error" && t.error_source) {
      PrintThunk(p, sym("source"), fmt::format("this: *const {}, ret: *mut rt::WireOption<rt::WireError>", ty),
                 "ret.write(match std::error::Error::source(&*this) {\n"
                 "    Some(e) => rt::WireOption::some(rt::error(e)),\n"
                 "    None => rt::WireOption::none(),\n});");
    } else if (trait == "Default") {
      PrintThunk(p, sym("default"), fmt::format("ret: *mut {}", ty),
                 "ret.write(Default::default());");
    }
  }
}

bool Pinned(const TypePlan& t) { return t.supported && t.shape != TypePlan::Shape::kDataEnum; }

// The shapes this library was generated with: the facade compares them with
// its own at load, item by item (docs/ABI.md, "Load checks").
void PrintShapeTable(Printer& p, const plan::Plan& plan) {
  p.Print("/// The shape of every item a facade relies on, checked at load.\n");
  p.Print("struct ShapeTable([rt::WireShape; $n$]);\n\n", {{"n", std::to_string(plan.checks.size())}});
  p.Print("// Only read, never written: the table is shared safely.\n");
  p.Print("unsafe impl Sync for ShapeTable {}\n\n");
  p.Block("static SHAPES: ShapeTable = ShapeTable([\n", {}, [&] {
    for (const plan::ShapeCheck& c : plan.checks) {
      p.Block("rt::WireShape {\n", {}, [&] {
        p.Print("path: rt::WireStr::from_static($p$),\ntext: rt::WireStr::from_static($t$),\n",
                {{"p", RustStringLiteral(c.path)}, {"t", RustStringLiteral(c.text)}});
      }, "},\n");
    }
  }, "]);\n\n");
  p.Print("#[no_mangle]\n");
  p.Block("pub extern \"C\" fn $prefix$__shapes() -> rt::WireShapes {\n",
          {{"prefix", plan.SymbolPrefix()}}, [&] {
            p.Block("rt::WireShapes {\n", {}, [&] {
              p.Print("entries: SHAPES.0.as_ptr(),\nlen: SHAPES.0.len(),\n");
            });
          });
  p.Print("\n");
}

void PrintLayoutTable(Printer& p, const plan::Plan& plan) {
  std::vector<const TypePlan*> pinned;
  for (const TypePlan& t : plan.types) {
    if (Pinned(t)) pinned.push_back(&t);
  }
  for (size_t i = 0; i < pinned.size(); ++i) {
    const TypePlan& t = *pinned[i];
    std::vector<std::string> offsets;
    for (const plan::FieldPlan& f : t.fields) {
      offsets.push_back(fmt::format("std::mem::offset_of!({}, {})", ShimTypeName(t, plan.crate_name), f.name));
    }
    p.Print("static $name$: [usize; $n$] = [$offsets$];\n",
            {{"name", "OFFSETS_" + std::to_string(i)},
             {"n", std::to_string(offsets.size())},
             {"offsets", fmt::format("{}", fmt::join(offsets, ", "))}});
  }
  p.Print("\n/// The layouts this library was built with, checked by the facade.\n");
  p.Print("struct LayoutTable([rt::WireLayout; $n$]);\n\n", {{"n", std::to_string(pinned.size())}});
  p.Print("// Only read, never written: the table is shared safely.\n");
  p.Print("unsafe impl Sync for LayoutTable {}\n\n");
  p.Block("static LAYOUTS: LayoutTable = LayoutTable([\n", {}, [&] {
    for (size_t i = 0; i < pinned.size(); ++i) {
      const TypePlan& t = *pinned[i];
      std::string ty = ShimTypeName(t, plan.crate_name);
      std::string idx = std::to_string(i);
      p.Block("rt::WireLayout {\n", {}, [&] {
        p.Print("path: \"$path$\".as_ptr(),\npath_len: $len$,\n",
                {{"path", t.path}, {"len", std::to_string(t.path.size())}});
        p.Print("size: std::mem::size_of::<$ty$>(),\nalign: std::mem::align_of::<$ty$>(),\n"
                "needs_drop: std::mem::needs_drop::<$ty$>() as u8,\n",
                {{"ty", ty}});
        p.Print("offsets: OFFSETS_$i$.as_ptr(),\noffsets_len: OFFSETS_$i$.len(),\n", {{"i", idx}});
      }, "},\n");
    }
  }, "]);\n\n");
  PrintShapeTable(p, plan);
  p.Print("#[no_mangle]\n");
  p.Block("pub extern \"C\" fn $prefix$__layouts() -> rt::WireLayouts {\n",
          {{"prefix", plan.SymbolPrefix()}}, [&] {
            p.Block("rt::WireLayouts {\n", {}, [&] {
              p.Print("entries: LAYOUTS.0.as_ptr(),\nlen: LAYOUTS.0.len(),\n");
            });
          });
}

}  // namespace

std::string ThunkParams(const FunctionPlan& f, const plan::Plan& plan, bool facade) {
  std::vector<std::string> params;
  if (f.owner >= 0 && f.receiver != FunctionPlan::Receiver::kNone) {
    const TypePlan& t = plan.types[f.owner];
    std::string ty = facade ? "crate" + t.path.substr(plan.crate_name.size())
                            : ShimTypeName(t, plan.crate_name);
    if (t.shape == TypePlan::Shape::kDataEnum) {
      ty = fmt::format("{}rdylib_enums::Wire{}", facade ? "crate::" : "", t.wire_name);
    }
    const char* ptr = f.receiver == FunctionPlan::Receiver::kRef ? "*const" : "*mut";
    params.push_back(facade ? fmt::format("{} {}", ptr, ty) : fmt::format("this: {} {}", ptr, ty));
  }
  for (const plan::ParamPlan& param : f.params) {
    ArgumentForm form = ArgForm(param.name, param.value);
    params.push_back(facade ? form.FacadeTypes() : form.ShimParams(param.name));
  }
  if (f.ret.kind != AbiValue::Kind::kUnit) {
    ReturnForm ret = RetForm(f.ret);
    params.push_back(facade ? "*mut " + ret.facade_wire : "ret: *mut " + ret.shim_wire);
  }
  return fmt::format("{}", fmt::join(params, ", "));
}

std::string WriteShimLib(const plan::Plan& plan) {
  Printer p;
  p.Print("//! Generated by rdylib: the extern \"C\" thunks of $crate$ $version$ (ABI v$v$),\n"
          "//! built by rustc $rustc$. Do not edit.\n"
          "#![allow(clippy::all, deprecated, unused_unsafe)]\n\n"
          "#[allow(dead_code)]\nmod rdylib_rt;\n"
          "#[allow(dead_code)]\nmod rdylib_wire;\n\n"
          "use rdylib_rt as rt;\n\n"
          "// Std items may be named by their defining crate (`alloc::borrow::Cow`).\n"
          "#[allow(unused_extern_crates)]\nextern crate alloc;\n\n",
          {{"crate", plan.crate_name}, {"version", plan.crate_version},
           {"v", std::to_string(plan::kAbiVersion)}, {"rustc", plan.rustc_version}});
  std::string prefix = plan.SymbolPrefix();
  for (const plan::DepLink& d : plan.deps) {
    // Linked in, so that the library exports the dependency's thunks too.
    p.Print("extern crate $c$;\n", {{"c", DepShimCrate(d.crate)}});
  }
  if (!plan.deps.empty()) p.Print("\n");
  if (plan.host_crate.empty()) {
    p.Print("/// With the `system-allocator` feature (rdylib builds with it unless the\n"
            "/// library declares its own), the library provably allocates with std's\n"
            "/// System allocator: buffers can change hands with a facade that does too.\n"
            "#[cfg(feature = \"system-allocator\")]\n#[global_allocator]\n"
            "static RDYLIB_SYSTEM_ALLOCATOR: std::alloc::System = std::alloc::System;\n\n");
  } else {
    p.Print("/// The dependency itself, for the host's shim to name its types.\n"
            "#[doc(hidden)]\npub use target_crate;\n\n");
  }
  p.Print("#[no_mangle]\n");
  p.Block("pub extern \"C\" fn $p$__system_allocator() -> u8 {\n", {{"p", prefix}},
          [&] { p.Print("cfg!(feature = \"system-allocator\") as u8\n"); });
  p.Print("\n#[no_mangle]\n");
  p.Block("pub unsafe extern \"C\" fn $p$__free_string(s: rt::WireString) {\n", {{"p", prefix}},
          [&] { p.Print("rt::free_string(s);\n"); });
  p.Print("\n#[no_mangle]\n");
  p.Block("pub unsafe extern \"C\" fn $p$__free_panic(p: *mut rt::WirePanic) {\n", {{"p", prefix}},
          [&] { p.Print("rt::free_panic(p);\n"); });
  p.Print("\n#[no_mangle]\n");
  p.Block("pub unsafe extern \"C\" fn $p$__free_buffer(ptr: *mut u8, bytes: usize, align: usize) {\n",
          {{"p", prefix}}, [&] { p.Print("rt::free_buffer(ptr, bytes, align);\n"); });
  p.Print("\n#[no_mangle]\n");
  p.Block("pub unsafe extern \"C\" fn $p$__free_error(e: rt::WireError) {\n", {{"p", prefix}},
          [&] { p.Print("rt::free_error(e);\n"); });
  p.Print("\n#[no_mangle]\n");
  p.Block("pub unsafe extern \"C\" fn $p$__std_facts(ret: *mut rt::WireString) {\n", {{"p", prefix}},
          [&] {
            p.Print("let mut facts = String::new();\n"
                    "rdylib_wire::std_facts(&mut facts);\n"
                    "ret.write(rt::WireString::from_string(facts));\n");
          });
  p.Print("\n");
  for (const FunctionPlan& f : plan.functions) PrintFunction(p, f, plan);
  for (const plan::StaticPlan& st : plan.statics) {
    if (st.symbol.empty()) continue;
    // The static's address: the facade reads the library's own object.
    PrintThunk(p, st.symbol, fmt::format("ret: *mut *const {}", st.shim_type),
               fmt::format("ret.write(&{} as *const {});", "target_crate" + st.path.substr(plan.crate_name.size()),
                           st.shim_type));
  }
  for (const TypePlan& t : plan.types) {
    if (t.supported) PrintTraitThunks(p, t, plan);
  }
  p.PrintRaw(WriteShimVtables(plan));
  PrintLayoutTable(p, plan);
  p.PrintRaw(WriteEnumModule(plan, false));
  p.PrintRaw(WriteErasedModule(plan, false));
  return p.str();
}

std::string WriteShimManifest(const plan::Plan& plan, const std::string& lib_name,
                              const std::string& package_name, const std::string& crate_dir,
                              const std::string& features_toml) {
  Printer p;
  p.Print("# Generated by rdylib: the shim that exports $crate$'s ABI.\n"
          "[package]\n"
          "name = \"rdylib-shim-$lib$\"\n"
          "version = \"$version$\"\n"
          "edition = \"2021\"\n"
          "publish = false\n\n"
          "[lib]\n"
          "name = \"$lib$\"\n"
          "path = \"src/lib.rs\"\n"
          "crate-type = [\"cdylib\"]\n\n"
          "[dependencies]\n"
          "target_crate = { path = \"$dir$\", package = \"$package$\"$features$ }\n"
          "$deps$\n"
          "[features]\n"
          "$alloc$\n"
          "[profile.release]\n"
          "panic = \"unwind\"\n\n"
          "[workspace]\n",
          {{"crate", plan.crate_name}, {"lib", lib_name}, {"version", plan.crate_version},
           {"dir", crate_dir}, {"package", package_name}, {"features", features_toml},
           {"deps", DepDependencyLines(plan, false)}, {"alloc", DepAllocatorFeature(plan, false)}});
  return p.str();
}

}  // namespace rdylib::emit
