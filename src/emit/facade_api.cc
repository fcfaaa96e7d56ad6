// The facade's thunk table and the loader that checks the library at first use.
#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "emit/enum_writer.h"
#include "emit/facade_writer_internal.h"
#include "emit/rust_literal.h"
#include "emit/shim_writer.h"

namespace rdylib::emit::internal {

void FacadeWriter::PrintApi() {
  std::vector<Thunk> all = {
      {FreeString(), "strings", "unsafe extern \"C\" fn(rt::WireString)"},
      {FreePanic(), "panics", "unsafe extern \"C\" fn(*mut rt::WirePanic)"},
      {Prefix() + "__std_facts", "std layouts", "unsafe extern \"C\" fn(*mut rt::WireString)"},
      {Prefix() + "__free_buffer", "buffers", "unsafe extern \"C\" fn(*mut u8, usize, usize)"},
      {Prefix() + "__free_error", "errors", "unsafe extern \"C\" fn(rt::WireError)"},
      {Prefix() + "__system_allocator", "allocator", "extern \"C\" fn() -> u8"}};
  all.insert(all.end(), thunks_.begin(), thunks_.end());
  p_.Print("\n/// The library's thunks, looked up by their versioned, signature-hashed names.\n"
           "/// (A crate may not need every runtime thunk.)\n#[allow(dead_code)]\n");
  p_.Block("pub(crate) struct Api {\n", {}, [&] {
    for (const Thunk& t : all) p_.Print("pub(crate) $s$: $ty$,\n", {{"s", t.symbol}, {"ty", t.type}});
  });
  // A crate none of whose items cross has no call that loads the library.
  p_.Print("\n/// The layouts this facade was generated for.\n#[allow(dead_code)]\n");
  p_.Block("static EXPECTED: &[rt::Expected] = &[\n", {}, [&] {
    for (const TypePlan& t : plan_.types) {
      if (!t.supported || t.shape == TypePlan::Shape::kDataEnum) continue;
      std::vector<std::string> offsets;
      for (const plan::FieldPlan& f : t.fields) offsets.push_back(std::to_string(f.offset));
      p_.Block("rt::Expected {\n", {}, [&] {
        p_.Print("path: \"$p$\",\nsize: $s$,\nalign: $a$,\nneeds_drop: $d$,\noffsets: &[$o$],\n",
                 {{"p", t.path}, {"s", std::to_string(t.size)}, {"a", std::to_string(t.align)},
                  {"d", t.needs_drop ? "true" : "false"},
                  {"o", fmt::format("{}", fmt::join(offsets, ", "))}});
      }, "},\n");
    }
  }, "];\n");
  p_.Print("\n/// The shape of every item this facade relies on (docs/ABI.md, \"Load checks\").\n#[allow(dead_code)]\n");
  p_.Block("static SHAPES: &[(&str, &str)] = &[\n", {}, [&] {
    for (const plan::ShapeCheck& c : plan_.checks) {
      p_.Print("(\n    $p$,\n    $t$,\n),\n", {{"p", RustStringLiteral(c.path)}, {"t", RustStringLiteral(c.text)}});
    }
  }, "];\n");
  p_.Print("\n/// Loads the library on first use and checks it matches this facade.\n#[allow(dead_code)]\n");
  p_.Block("pub(crate) fn rdylib_api() -> &'static Api {\n", {}, [&] {
    p_.Print("static API: std::sync::OnceLock<Api> = std::sync::OnceLock::new();\n");
    p_.Block("API.get_or_init(|| {\n", {}, [&] {
      // A dependency's facade opens its host's library: the same instance.
      p_.Print("let mut lib = rt::Library::open(\n    \"$crate$\",\n    concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/../$dir$lib/$file$\"),\n);\n",
               {{"crate", plan_.host_crate.empty() ? plan_.crate_name : plan_.host_crate},
                {"dir", plan_.host_crate.empty() ? "" : "../" + plan_.host_crate + "/"},
                {"file", lib_file_}});
      p_.Block("let p = [\n", {}, [&] {
        for (const Thunk& t : all) {
          p_.Print("lib.symbol(\"$s$\", \"$item$\"),\n", {{"s", t.symbol}, {"item", t.item}});
        }
      }, "];\n");
      p_.Print("lib.check_shapes(\"$prefix$\", SHAPES, EXPECTED);\n", {{"prefix", Prefix()}});
      p_.Print("lib.finish();\n");
      p_.Print("// Every pointer is non-null and has the type its symbol's hash names.\n");
      p_.Block("let api = unsafe {\n", {}, [&] {
        p_.Block("Api {\n", {}, [&] {
          for (size_t i = 0; i < all.size(); ++i) {
            p_.Print("$s$: core::mem::transmute(p[$i$]),\n", {{"s", all[i].symbol}, {"i", std::to_string(i)}});
          }
        });
      }, "};\n");
      p_.Print("let mut facts = core::mem::MaybeUninit::<rt::WireString>::uninit();\n");
      p_.Block("let facts = unsafe {\n", {}, [&] {
        p_.Print("(api.$f$)(facts.as_mut_ptr());\n"
                 "rt::take_string(facts.assume_init(), api.$free$)\n",
                 {{"f", Prefix() + "__std_facts"}, {"free", FreeString()}});
      }, "};\n");
      std::vector<std::string> needed;
      for (const auto& [fact, item] : plan_.std_facts) {
        needed.push_back(fmt::format("({}, {})", RustStringLiteral(fact), RustStringLiteral(item)));
      }
      p_.Print("lib.check_std_facts(&facts, &[$n$]);\n", {{"n", fmt::format("{}", fmt::join(needed, ", "))}});
      std::vector<std::string> shared;
      for (const TypePlan& t : plan_.types) {
        for (const plan::FieldPlan& f : t.fields) {
          if (f.facade_type.find("alloc::") != std::string::npos) {
            shared.push_back(fmt::format("\"{}::{}\"", t.path, f.name));
          }
        }
      }
      for (const std::string& item : plan_.shared_allocations) {
        shared.push_back(fmt::format("\"{} (an Rc/Arc allocation)\"", item));
      }
      p_.Print("rt::set_shared_allocator(\"$c$\", (api.$a$)() == 1, &[$f$]);\napi\n",
               {{"c", plan_.crate_name}, {"a", Prefix() + "__system_allocator"},
                {"f", fmt::format("{}", fmt::join(shared, ", "))}});
    }, "})\n");
  });
  p_.Print("\nuse rdylib_api as api;\n");
}

}  // namespace rdylib::emit::internal
