// The facade's pinned types: declarations, layout asserts, members.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <set>

#include "emit/enum_writer.h"
#include "emit/facade_writer_internal.h"
#include "emit/shim_writer.h"

namespace rdylib::emit::internal {

void FacadeWriter::PrintType(const TypePlan& t) {
  p_.Print("\n");
  p_.PrintRaw(t.attrs);
  if (t.shape == TypePlan::Shape::kDataEnum) {
    p_.PrintRaw(WriteFacadeEnum(t));
    PrintMembers(t);
    return;
  }
  if (t.shape == TypePlan::Shape::kEnum) {
    // A zero-sized enum (one variant, no repr) has no tag, and no integer
    // repr has size 0: without one, the facade's enum is zero-sized too.
    if (t.size > 0) p_.Print("#[repr($repr$)]\n", {{"repr", t.tag_repr}});
  } else {
    // A field more aligned than its struct, or off its alignment, means the
    // library's type is packed (`#[repr(C, packed)]`, as libc's epoll_event):
    // so is the image, with every gap written out.
    bool packed = std::any_of(t.fields.begin(), t.fields.end(), [&](const plan::FieldPlan& f) {
      return f.align > t.align || f.offset % f.align != 0;
    });
    p_.Print(packed ? "#[repr(C, packed($align$))]\n" : "#[repr(C, align($align$))]\n",
             {{"align", std::to_string(t.align)}});
  }
  std::vector<std::string> derives;
  if (t.is_copy) derives = {"Clone", "Copy"};
  derives.insert(derives.end(), t.derives.begin(), t.derives.end());
  if (!derives.empty()) {
    p_.Print("#[derive($d$)]\n", {{"d", fmt::format("{}", fmt::join(derives, ", "))}});
  }
  if (t.non_exhaustive) p_.Print("#[non_exhaustive]\n");
  switch (t.shape) {
    case TypePlan::Shape::kEnum:
      p_.Block("pub enum $name$ {\n", {{"name", t.name}}, [&] {
        for (const auto& [variant, tag] : t.variants) {
          if (tag.empty()) {
            p_.Print("$v$,\n", {{"v", variant}});
          } else {
            p_.Print("$v$ = $tag$,\n", {{"v", variant}, {"tag", tag}});
          }
        }
      });
      break;
    case TypePlan::Shape::kUnitStruct:
    case TypePlan::Shape::kTupleStruct:
    case TypePlan::Shape::kStruct: {
      bool tuple = t.shape == TypePlan::Shape::kTupleStruct;
      std::vector<std::string> members = Members(t, tuple);
      if (members.empty() && t.size == 0 && t.marker.empty()) {
        p_.Print("pub struct $name$;\n", {{"name", t.name}});
      } else if (tuple) {
        p_.Print("pub struct $name$$lp$($members$);\n",
                 {{"name", t.name}, {"lp", t.lifetime_params},
                  {"members", fmt::format("{}", fmt::join(members, ", "))}});
      } else {
        p_.Block("pub struct $name$$lp$ {\n", {{"name", t.name}, {"lp", t.lifetime_params}}, [&] {
          for (const std::string& m : members) p_.Print("$m$,\n", {{"m", m}});
        });
      }
      break;
    }
  }
  PrintLayoutAsserts(t);
  if (!t.freeze && t.sync) {
    // UnsafeCell is not Sync; the library type is, because it synchronizes
    // its interior mutability itself (a Mutex, atomics).
    p_.Print("// The library's type is Sync: it synchronizes its interior mutability itself.\n"
             "unsafe impl$lp$ Sync for $name$$la$ {}\n",
             {{"lp", t.lifetime_params}, {"name", t.name}, {"la", t.lifetime_args}});
  }
  PrintMembers(t);
}

void FacadeWriter::PrintMembers(const TypePlan& t) {
  std::vector<const FunctionPlan*> methods;
  for (const FunctionPlan& f : plan_.functions) {
    if (f.owner == &t - plan_.types.data() && f.impl_header.empty()) methods.push_back(&f);
  }
  std::vector<const plan::ConstPlan*> consts;
  for (const plan::ConstPlan& c : plan_.consts) {
    if (c.owner == &t - plan_.types.data()) consts.push_back(&c);
  }
  if (!methods.empty() || !consts.empty() || HasClosedSetMembers(t)) {
    p_.Print("\n");
    p_.Block("impl$lp$ $name$$la$ {\n",
             {{"name", t.name}, {"lp", t.lifetime_params}, {"la", t.lifetime_args}}, [&] {
      for (const plan::ConstPlan* c : consts) PrintConst(*c);
      for (const FunctionPlan* f : methods) PrintFunction(*f, t.name);
      PrintClosedSetMembers(t);
    });
  }
  PrintTraits(t);
}

std::vector<std::string> FacadeWriter::Members(const TypePlan& t, bool tuple) {
  std::vector<std::string> out;
  uint64_t at = 0;
  int gap = 0;
  auto opaque = [&](uint64_t n) {
    // Bytes that may hold an UnsafeCell are declared so: the library may
    // write them during a `&self` call.
    std::string bytes = t.freeze ? fmt::format("[core::mem::MaybeUninit<u8>; {}]", n)
                                 : fmt::format("core::cell::UnsafeCell<[core::mem::MaybeUninit<u8>; {}]>", n);
    out.push_back(tuple ? bytes : fmt::format("_rdylib_private_{}: {}", gap, bytes));
    ++gap;
  };
  for (const plan::FieldPlan& f : t.fields) {
    // With a natural layout, repr(C) pads exactly as the library does.
    if (f.offset > at && !t.natural_layout) opaque(f.offset - at);
    out.push_back(tuple ? "pub " + f.facade_type
                        : fmt::format("pub {}: {}", f.name, f.facade_type));
    at = f.offset + f.size;
  }
  if (t.size > at && !t.natural_layout) opaque(t.size - at);
  if (!t.marker.empty()) {
    out.push_back(tuple ? t.marker : "_rdylib_marker: " + t.marker);
  }
  // When every field is declared as in the library and names each lifetime,
  // the fields give the library's own variance, and the consumer can build
  // the value (`Literal(text)`): no marker is needed.
  auto names = [](const std::string& text, const std::string& l) {
    for (size_t p = text.find(l); p != std::string::npos; p = text.find(l, p + 1)) {
      char next = p + l.size() < text.size() ? text[p + l.size()] : ' ';
      if (!std::isalnum(static_cast<unsigned char>(next)) && next != '_') return true;
    }
    return false;
  };
  bool fields_name_lifetimes = t.all_fields_cross && t.marker.empty();
  for (const std::string& l : t.lifetimes) {
    fields_name_lifetimes &= std::any_of(t.fields.begin(), t.fields.end(),
                                         [&](const plan::FieldPlan& f) { return names(f.facade_type, l); });
  }
  if (!t.lifetimes.empty() && !fields_name_lifetimes) {
    // Invariant in each lifetime: never more permissive than the original,
    // whose variance rustdoc does not record.
    std::vector<std::string> each;
    for (const std::string& l : t.lifetimes) each.push_back(fmt::format("fn(&{0} ()) -> &{0} ()", l));
    std::string marker = fmt::format("core::marker::PhantomData<({},)>", fmt::join(each, ", "));
    out.push_back(tuple ? marker : "_rdylib_lifetimes: " + marker);
  }
  return out;
}

void FacadeWriter::PrintLayoutAsserts(const TypePlan& t) {
  std::string name = t.name;
  if (!t.lifetimes.empty()) {
    std::vector<std::string> statics(t.lifetimes.size(), "'static");
    name += fmt::format("<{}>", fmt::join(statics, ", "));
  }
  p_.Print("const _: () = assert!(core::mem::size_of::<$name$>() == $size$);\n"
           "const _: () = assert!(core::mem::align_of::<$name$>() == $align$);\n",
           {{"name", name}, {"size", std::to_string(t.size)}, {"align", std::to_string(t.align)}});
  for (const plan::FieldPlan& f : t.fields) {
    p_.Print("const _: () = assert!(core::mem::offset_of!($name$, $field$) == $off$);\n",
             {{"name", name}, {"field", f.name}, {"off", std::to_string(f.offset)}});
    for (const auto& [part, offset] : f.parts) {
      p_.Print("const _: () = assert!(core::mem::offset_of!($name$, $field$) == $off$);\n",
               {{"name", name}, {"field", part}, {"off", std::to_string(offset)}});
    }
  }
}

}  // namespace rdylib::emit::internal
