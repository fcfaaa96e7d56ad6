// Wire forms of enums with data.
#include "emit/enum_writer.h"

#include <fmt/format.h>

#include "emit/dep_facades.h"
#include "util/printer.h"

namespace rdylib::emit {
namespace {

using plan::AbiValue;
using plan::TypePlan;
using plan::VariantPlan;

// The Rust type a field has on one side.
std::string FieldType(const AbiValue& v, bool facade) {
  switch (v.kind) {
    case AbiValue::Kind::kScalar: return v.scalar;
    case AbiValue::Kind::kChar: return "char";
    case AbiValue::Kind::kString: return "crate::rdylib_wire::WireOwnedString";
    case AbiValue::Kind::kEnum: return "Wire" + v.wire_name;
    default: return facade ? v.facade_type : v.shim_type;
  }
}

std::string EnumPath(const TypePlan& t, const std::string& crate, bool facade) {
  return (facade ? "crate" : "target_crate") + t.path.substr(crate.size());
}

// `A`, `B(f0, f1)` or `C { x: f0, y: f1 }`, binding each field to fN.
std::string Pattern(const std::string& enum_path, const VariantPlan& v) {
  std::vector<std::string> binds;
  for (size_t i = 0; i < v.fields.size(); ++i) {
    binds.push_back(v.kind == VariantPlan::Kind::kStruct
                        ? fmt::format("{}: f{}", v.fields[i].name, i)
                        : fmt::format("f{}", i));
  }
  switch (v.kind) {
    case VariantPlan::Kind::kPlain: return enum_path + "::" + v.name;
    case VariantPlan::Kind::kTuple:
      return fmt::format("{}::{}({})", enum_path, v.name, fmt::join(binds, ", "));
    case VariantPlan::Kind::kStruct:
      return fmt::format("{}::{} {{ {} }}", enum_path, v.name, fmt::join(binds, ", "));
  }
  return "";
}

void PrintEnum(Printer& p, const TypePlan& t, const std::string& crate, bool facade) {
  std::string wire = "Wire" + t.wire_name;
  std::string path = EnumPath(t, crate, facade);
  for (const VariantPlan& v : t.data_variants) {
    if (v.fields.empty()) continue;
    p.Print("#[repr(C)]\n#[allow(non_camel_case_types)]\n");
    p.Block("pub struct $w$_$v$ {\n", {{"w", wire}, {"v", v.name}}, [&] {
      for (size_t i = 0; i < v.fields.size(); ++i) {
        p.Print("pub f$i$: MaybeUninit<$ty$>,\n",
                {{"i", std::to_string(i)}, {"ty", FieldType(v.fields[i].value, facade)}});
      }
    });
    p.Print("\n");
  }
  p.Print("/// `$path$` at the boundary: the variant's index, then each variant's\n"
          "/// fields (only the tagged one is initialized).\n",
          {{"path", t.path}});
  p.Print("#[repr(C)]\n");
  p.Block("pub struct $w$ {\n", {{"w", wire}}, [&] {
    p.Print("pub tag: u32,\n");
    for (const VariantPlan& v : t.data_variants) {
      if (!v.fields.empty()) {
        p.Print("pub $v$: MaybeUninit<$w$_$v$>,\n", {{"v", v.name}, {"w", wire}});
      }
    }
  });
  auto empty_wire = [&](const std::string& tag) {
    std::string out = fmt::format("{} {{ tag: {}", wire, tag);
    for (const VariantPlan& v : t.data_variants) {
      if (!v.fields.empty()) out += fmt::format(", {}: MaybeUninit::uninit()", v.name);
    }
    return out + " }";
  };
  // to_wire (by value) and view_wire (a bitwise view of a borrowed value).
  for (bool view : {false, true}) {
    p.Print("\n");
    p.Block(view ? "/// # Safety\n/// The result is a bitwise copy: it must never be turned back into an\n"
                   "/// owned value that is dropped.\npub unsafe fn view_wire_$n$(v: &$path$) -> $w$ {\n"
                 : "pub fn to_wire_$n$(v: $path$) -> $w$ {\n",
            {{"n", t.wire_name}, {"path", path}, {"w", wire}}, [&] {
              // An enum without variants has no values: `match *v {}` is
              // exhaustive, but a match on `&Never` needs an arm.
              bool deref = view && t.data_variants.empty();
              p.Block("match $v$ {\n", {{"v", deref ? "*v" : "v"}}, [&] {
                for (size_t vi = 0; vi < t.data_variants.size(); ++vi) {
                  const VariantPlan& v = t.data_variants[vi];
                  std::string tag = std::to_string(vi);
                  if (v.fields.empty()) {
                    p.Print("$pat$ => $empty$,\n",
                            {{"pat", Pattern(path, v)}, {"empty", empty_wire(tag)}});
                    continue;
                  }
                  p.Block("$pat$ => {\n", {{"pat", Pattern(path, v)}}, [&] {
                    p.Print("let mut w = $empty$;\n", {{"empty", empty_wire(tag)}});
                    std::vector<std::string> fields;
                    for (size_t i = 0; i < v.fields.size(); ++i) {
                      const AbiValue& fv = v.fields[i].value;
                      std::string value = fmt::format("f{}", i);
                      if (fv.kind == AbiValue::Kind::kEnum) {
                        value = fmt::format("{}_wire_{}({})", view ? "view" : "to", fv.wire_name, value);
                      } else if (fv.kind == AbiValue::Kind::kString) {
                        // Its buffer follows the allocator verdict (docs/ABI.md).
                        value = view ? fmt::format("crate::rdylib_wire::WireOwnedString::view({})", value)
                                     : fmt::format("crate::rt::owned_string_out({})", value);
                      } else if (view) {
                        value = fmt::format("std::ptr::read({})", value);
                      }
                      fields.push_back(fmt::format("f{}: MaybeUninit::new({})", i, value));
                    }
                    p.Print("w.$v$ = MaybeUninit::new($w$_$v$ { $f$ });\nw\n",
                            {{"v", v.name}, {"w", wire},
                             {"f", fmt::format("{}", fmt::join(fields, ", "))}});
                  });
                }
                if (!facade) {
                  p.Print("#[allow(unreachable_patterns)]\n"
                          "_ => panic!(\"rdylib: a variant of $path$ this build does not know\"),\n",
                          {{"path", t.path}});
                }
              });
            });
  }
  p.Print("\n/// # Safety\n/// `w` must come from `to_wire_$n$` or `view_wire_$n$` of the other side.\n",
          {{"n", t.wire_name}});
  p.Block("pub unsafe fn from_wire_$n$(w: $w$) -> $path$ {\n",
          {{"n", t.wire_name}, {"path", path}, {"w", wire}}, [&] {
            p.Block("match w.tag {\n", {}, [&] {
              for (size_t vi = 0; vi < t.data_variants.size(); ++vi) {
                const VariantPlan& v = t.data_variants[vi];
                std::vector<std::string> values;
                for (size_t i = 0; i < v.fields.size(); ++i) {
                  const AbiValue& fv = v.fields[i].value;
                  std::string value = fmt::format("x.f{}.assume_init()", i);
                  if (fv.kind == AbiValue::Kind::kEnum) {
                    value = fmt::format("from_wire_{}({})", fv.wire_name, value);
                  } else if (fv.kind == AbiValue::Kind::kString) {
                    value = fmt::format("crate::rt::owned_string_in({})", value);
                  }
                  values.push_back(v.kind == VariantPlan::Kind::kStruct
                                       ? fmt::format("{}: {}", v.fields[i].name, value)
                                       : value);
                }
                std::string ctor = path + "::" + v.name;
                if (v.kind == VariantPlan::Kind::kTuple) {
                  ctor += fmt::format("({})", fmt::join(values, ", "));
                } else if (v.kind == VariantPlan::Kind::kStruct) {
                  ctor += fmt::format(" {{ {} }}", fmt::join(values, ", "));
                }
                if (v.fields.empty()) {
                  p.Print("$i$ => $ctor$,\n", {{"i", std::to_string(vi)}, {"ctor", ctor}});
                } else {
                  p.Block("$i$ => {\n", {{"i", std::to_string(vi)}}, [&] {
                    p.Print("let x = w.$v$.assume_init();\n$ctor$\n", {{"v", v.name}, {"ctor", ctor}});
                  });
                }
              }
              p.Print("_ => unreachable!(\"rdylib: bad tag for $path$\"),\n", {{"path", t.path}});
            });
          });
  p.Print("\n");
}

}  // namespace

std::string WriteEnumModule(const plan::Plan& plan, bool facade) {
  Printer p;
  bool any = false;
  bool any_fields = false;  // else MaybeUninit is not used
  for (const TypePlan& t : plan.types) {
    if (t.shape != TypePlan::Shape::kDataEnum || !t.supported) continue;
    any = true;
    for (const VariantPlan& v : t.data_variants) any_fields |= !v.fields.empty();
  }
  if (!any && !HasForeignEnums(plan)) return "";
  p.Print("\n/// Wire forms of the enums with data, and their conversions.\n");
  // A dependency's are used by the crates that name its types.
  p.Block(plan.host_crate.empty()
              ? "#[allow(dead_code, unused_variables, non_snake_case, clippy::all)]\nmod rdylib_enums {\n"
              : "#[allow(dead_code, unused_variables, non_snake_case, clippy::all)]\n#[doc(hidden)]\n"
                "pub mod rdylib_enums {\n",
          {}, [&] {
    if (any_fields) p.Print("use std::mem::MaybeUninit;\n\n");
    PrintForeignEnums(p, plan, facade);
    for (const TypePlan& t : plan.types) {
      if (t.shape == TypePlan::Shape::kDataEnum && t.supported) {
        PrintEnum(p, t, plan.crate_name, facade);
      }
    }
  });
  return p.str();
}

std::string WriteFacadeEnum(const TypePlan& t) {
  Printer p;
  std::vector<std::string> derives = t.derives;
  if (!derives.empty()) {
    p.Print("#[derive($d$)]\n", {{"d", fmt::format("{}", fmt::join(derives, ", "))}});
  }
  if (t.non_exhaustive) p.Print("#[non_exhaustive]\n");
  p.Block("pub enum $name$ {\n", {{"name", t.name}}, [&] {
    for (const VariantPlan& v : t.data_variants) {
      std::vector<std::string> fields;
      for (const plan::VariantField& f : v.fields) {
        std::string ty = f.value.kind == AbiValue::Kind::kScalar   ? f.value.scalar
                         : f.value.kind == AbiValue::Kind::kChar   ? "char"
                         : f.value.kind == AbiValue::Kind::kString ? "alloc::string::String"
                                                                   : f.value.facade_type;
        fields.push_back(v.kind == VariantPlan::Kind::kStruct ? f.name + ": " + ty : ty);
      }
      switch (v.kind) {
        case VariantPlan::Kind::kPlain: p.Print("$v$,\n", {{"v", v.name}}); break;
        case VariantPlan::Kind::kTuple:
          p.Print("$v$($f$),\n", {{"v", v.name}, {"f", fmt::format("{}", fmt::join(fields, ", "))}});
          break;
        case VariantPlan::Kind::kStruct:
          p.Print("$v$ { $f$ },\n", {{"v", v.name}, {"f", fmt::format("{}", fmt::join(fields, ", "))}});
          break;
      }
    }
  });
  return p.str();
}

}  // namespace rdylib::emit
