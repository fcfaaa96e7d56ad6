// The tables of erased parameters and closures, both sides from one list.
#include "emit/erased_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "emit/boundary_form.h"
#include "util/printer.h"

namespace rdylib::emit {
namespace {

using plan::AbiValue;
using plan::ErasedMode;
using plan::ErasedParam;
using plan::ErasedTrait;
using Kind = AbiValue::Kind;

std::string Join(const std::vector<std::string>& v, const char* sep = ", ") {
  return fmt::format("{}", fmt::join(v, sep));
}

bool Returned(const ErasedParam& ep) {
  return ep.mode == ErasedMode::kReturned || ep.mode == ErasedMode::kReturnedBoxed ||
         ep.mode == ErasedMode::kReturnedCopied;
}
bool Lent(const ErasedParam& ep) { return ep.mode == ErasedMode::kRef || ep.mode == ErasedMode::kRefMut; }
bool Owned(const ErasedParam& ep) {
  return ep.mode == ErasedMode::kOwned || ep.mode == ErasedMode::kBoxed ||
         (Returned(ep) && ep.mode != ErasedMode::kReturnedCopied);
}
bool StrItem(const ErasedParam& ep) { return ep.Has(ErasedTrait::kIntoIterator) && ep.item.kind == Kind::kStr; }
// The proxy and its iterator carry `'a`: the iterator lends `&'a str` items.
std::string Life(const ErasedParam& ep) { return StrItem(ep) ? "<'a>" : ""; }

// A value the consumer hands to the library (a closure's return, an item):
// its wire type on each side and the two conversions.
std::string ProducedWire(const AbiValue& v, bool facade) {
  switch (v.kind) {
    case Kind::kChar: return "u32";
    case Kind::kString: return "rt::WireOwnedString";
    case Kind::kVec: return "rt::WireOwnedString";  // Vec<u8>: the same parts
    case Kind::kStr: return "rt::WireStr";
    default: return v.WireType(facade);
  }
}
std::string ProducedToWire(const AbiValue& v, const std::string& x) {
  switch (v.kind) {
    case Kind::kChar: return x + " as u32";
    case Kind::kString: return fmt::format("rt::owned_string_out({})", x);
    case Kind::kVec: return fmt::format("rt::owned_bytes_out({})", x);
    case Kind::kStr: return fmt::format("rt::WireStr::from_str({})", x);
    default: return x;
  }
}
std::string ProducedFromWire(const AbiValue& v, const std::string& x) {
  switch (v.kind) {
    case Kind::kChar: return fmt::format("char::from_u32_unchecked({})", x);
    case Kind::kString: return fmt::format("rt::owned_string_in({})", x);
    case Kind::kVec: return fmt::format("rt::owned_bytes_in({})", x);
    case Kind::kStr: return fmt::format("{}.as_str()", x);
    case Kind::kRef: return fmt::format("&{}*{}", v.is_mutable ? "mut " : "", x);
    default: return x;
  }
}

// One entry of a table: its field name, its parameters after the data
// pointer (each side's types) and, in the facade, its body over `this`.
struct Entry {
  std::string name;
  bool data_mut = false;
  std::vector<std::string> facade_params;  // "ret: *mut bool"
  std::vector<std::string> shim_params;
  std::string body;  // facade: inside rt::callback, `data` is the pointer
};

class ErasedWriter {
 public:
  ErasedWriter(const plan::Plan& plan, const plan::FunctionPlan& f, const ErasedParam& ep)
      : plan_(plan), f_(f), ep_(ep) {}

  std::string Table() const { return "Table" + ep_.id; }

  // The value behind `data` in a facade entry, as `&T` or `&mut T`.
  std::string Access(bool mut) const {
    if (ep_.mode == ErasedMode::kRef) return "&**(data as *const &T)";
    if (ep_.mode == ErasedMode::kRefMut) return mut ? "&mut **(data as *mut &mut T)" : "&**(data as *const &mut T)";
    return mut ? "&mut *(data as *mut T)" : "&*(data as *const T)";
  }

  // The bounds of `T` in the facade's helpers: the method-bearing ones.
  std::string Bounds() const {
    std::vector<std::string> b;
    if (Lent(ep_)) b.push_back("?Sized");
    for (ErasedTrait t : ep_.traits) {
      switch (t) {
        case ErasedTrait::kFn:
        case ErasedTrait::kFnMut:
        case ErasedTrait::kFnOnce: b.push_back(ep_.fn_facade); break;
        case ErasedTrait::kAsRefStr: b.push_back("AsRef<str>"); break;
        case ErasedTrait::kAsRefBytes: b.push_back("AsRef<[u8]>"); break;
        case ErasedTrait::kBorrowStr: b.push_back("core::borrow::Borrow<str>"); break;
        case ErasedTrait::kIntoString: b.push_back("Into<std::string::String>"); break;
        case ErasedTrait::kToString: b.push_back("std::string::ToString"); break;
        case ErasedTrait::kDisplay: b.push_back("core::fmt::Display"); break;
        case ErasedTrait::kDebug: b.push_back("core::fmt::Debug"); break;
        case ErasedTrait::kPartialEq: b.push_back("PartialEq"); break;
        case ErasedTrait::kPartialOrd: b.push_back("PartialOrd"); break;
        case ErasedTrait::kCopy: b.push_back("Copy"); break;
        case ErasedTrait::kIntoIterator:
          b.push_back(StrItem(ep_) || ep_.item_param < 0
                          ? fmt::format("IntoIterator<Item = {}>", ItemFacadeType())
                          : "IntoIterator");
          break;
        default: break;
      }
    }
    return Join(b, " + ");
  }

  // `<'a, T: Bounds>` and the where clause on the item, in the facade.
  // A closure returning `R: AsRef<..>` (ErasedParam::fn_ret_as_ref) declares R too.
  std::string RetParam() const {
    if (ep_.fn_ret_as_ref.empty() || Returned(ep_)) return "";
    return ep_.fn_ret_as_ref == "str" ? ", R: AsRef<str>" : ", R: AsRef<[u8]>";
  }
  std::string Generics() const {
    return fmt::format("<{}T: {}{}>", StrItem(ep_) ? "'a, " : "", Bounds(), RetParam());
  }
  std::string GenericArgs() const {
    std::string r = RetParam().empty() ? "" : ", R";
    return StrItem(ep_) ? "<'a, T" + r + ">" : "<T" + r + ">";
  }
  std::string Where() const {
    if (ep_.item_param < 0) return "";
    ErasedWriter item(plan_, f_, f_.erased[ep_.item_param]);
    return fmt::format(" where T::Item: {}", item.Bounds());
  }

  std::string ItemFacadeType() const {
    switch (ep_.item.kind) {
      case Kind::kStr: return "&'a str";
      case Kind::kString: return "std::string::String";
      case Kind::kChar: return "char";
      default: return ep_.item.WireType(true);
    }
  }

  std::vector<Entry> Entries() const {
    std::vector<Entry> out;
    if (Owned(ep_)) {
      out.push_back({"drop", true, {}, {},
                     Returned(ep_) && ep_.IsClosure() ? "drop(Box::from_raw(data as *mut C));"
                                                      : "drop(Box::from_raw(data as *mut T));"});
    }
    for (ErasedTrait t : ep_.traits) {
      switch (t) {
        case ErasedTrait::kFn:
        case ErasedTrait::kFnMut:
        case ErasedTrait::kFnOnce: out.push_back(Call(t)); break;
        case ErasedTrait::kAsRefStr:
        case ErasedTrait::kBorrowStr: {
          const char* fn = t == ErasedTrait::kAsRefStr ? "AsRef::<str>::as_ref" : "core::borrow::Borrow::<str>::borrow";
          out.push_back({t == ErasedTrait::kAsRefStr ? "as_ref_str" : "borrow_str", false,
                         {"ret: *mut rt::WireStr"}, {"ret: *mut rt::WireStr"},
                         fmt::format("ret.write(rt::WireStr::from_str({}({})));", fn, Access(false))});
          break;
        }
        case ErasedTrait::kAsRefBytes:
          out.push_back({"as_ref_bytes", false, {"ret: *mut rt::WireSlice<u8>"}, {"ret: *mut rt::WireSlice<u8>"},
                         fmt::format("ret.write(rt::WireSlice::from_slice(AsRef::<[u8]>::as_ref({})));",
                                     Access(false))});
          break;
        case ErasedTrait::kIntoString:
          out.push_back({"into_string", true, {"ret: *mut rt::WireOwnedString"}, {"ret: *mut rt::WireOwnedString"},
                         "let value = *Box::from_raw(data as *mut T);\n"
                         "ret.write(rt::owned_string_out(value.into()));"});
          break;
        case ErasedTrait::kToString:
          out.push_back({"to_string", false, {"ret: *mut rt::WireOwnedString"}, {"ret: *mut rt::WireOwnedString"},
                         fmt::format("ret.write(rt::owned_string_out(std::string::ToString::to_string({})));",
                                     Access(false))});
          break;
        case ErasedTrait::kDisplay:
        case ErasedTrait::kDebug: {
          bool display = t == ErasedTrait::kDisplay;
          out.push_back({display ? "fmt_display" : "fmt_debug", false,
                         {"flags: *const rt::WireFlags", "ret: *mut rt::WireOwnedString"},
                         {"flags: *const rt::WireFlags", "ret: *mut rt::WireOwnedString"},
                         fmt::format("ret.write(rt::owned_string_out(rt::{}({}, &*flags)));",
                                     display ? "display_with" : "debug_with", Access(false))});
          break;
        }
        case ErasedTrait::kPartialEq:
          out.push_back(Compare("eq", "bool", "PartialEq::eq"));
          break;
        case ErasedTrait::kPartialOrd:
          out.push_back(Compare("partial_cmp", "i8", ""));
          for (const char* op : {"lt", "le", "gt", "ge"}) {
            out.push_back(Compare(op, "bool", std::string("PartialOrd::") + op));
          }
          break;
        case ErasedTrait::kIntoIterator: {
          out.push_back({"into_iter", true, {"ret: *mut *mut core::ffi::c_void"},
                         {"ret: *mut *mut std::ffi::c_void"},
                         "let value = *Box::from_raw(data as *mut T);\n"
                         "ret.write(Box::into_raw(Box::new(value.into_iter())) as *mut core::ffi::c_void);"});
          out.push_back({"iter_drop", true, {}, {}, "drop(Box::from_raw(data as *mut T::IntoIter));"});
          std::string wire_f = ItemWire(true);
          std::string wire_s = ItemWire(false);
          std::string conv = ep_.item_param >= 0 ? "Box::into_raw(Box::new(x)) as *mut core::ffi::c_void"
                                                 : ProducedToWire(ep_.item, "x");
          out.push_back({"iter_next", true, {fmt::format("ret: *mut rt::WireOption<{}>", wire_f)},
                         {fmt::format("ret: *mut rt::WireOption<{}>", wire_s)},
                         fmt::format("ret.write(match (*(data as *mut T::IntoIter)).next() {{\n"
                                     "Some(x) => rt::WireOption::some({}),\nNone => rt::WireOption::none(),\n}});",
                                     conv)});
          out.push_back({"iter_size_hint", false, {"ret: *mut rt::WireTuple3<usize, u8, usize>"},
                         {"ret: *mut rt::WireTuple3<usize, u8, usize>"},
                         "let (lo, hi) = Iterator::size_hint(&*(data as *const T::IntoIter));\n"
                         "ret.write(rt::WireTuple3(lo, hi.is_some() as u8, hi.unwrap_or(0)));"});
          break;
        }
        default: break;
      }
    }
    return out;
  }

  std::string ItemWire(bool facade) const {
    if (ep_.item_param >= 0) return facade ? "*mut core::ffi::c_void" : "*mut std::ffi::c_void";
    return ProducedWire(ep_.item, facade);
  }

  Entry Compare(const std::string& name, const std::string& ret, const std::string& fn) const {
    std::string other = Access(false);
    size_t p = other.find("data");
    other.replace(p, 4, "other");
    std::string value = fn.empty() ? fmt::format("PartialOrd::partial_cmp({}, {}).map_or(2, |o| o as i8)",
                                                 Access(false), other)
                                   : fmt::format("{}({}, {})", fn, Access(false), other);
    return {name, false, {"other: *const core::ffi::c_void", "ret: *mut " + ret},
            {"other: *const std::ffi::c_void", "ret: *mut " + ret}, fmt::format("ret.write({});", value)};
  }

  // A returned closure's call: arguments from the consumer, the return
  // from the library; the body runs in the shim (`C` is the closure).
  Entry ReturnedCall(ErasedTrait t) const {
    Entry e;
    e.name = t == ErasedTrait::kFn ? "call" : t == ErasedTrait::kFnMut ? "call_mut" : "call_once";
    e.data_mut = t != ErasedTrait::kFn;
    std::vector<std::string> args;
    for (size_t i = 0; i < ep_.fn_args.size(); ++i) {
      e.facade_params.push_back(fmt::format("a{}: {}", i, ProducedWire(ep_.fn_args[i], true)));
      e.shim_params.push_back(fmt::format("a{}: {}", i, ProducedWire(ep_.fn_args[i], false)));
      args.push_back(ProducedFromWire(ep_.fn_args[i], fmt::format("a{}", i)));
    }
    bool ret = ep_.fn_ret.kind != Kind::kUnit;
    ReturnForm rf = RetForm(ep_.fn_ret);
    if (ret) {
      e.facade_params.push_back("ret: *mut " + rf.facade_wire);
      e.shim_params.push_back("ret: *mut " + rf.shim_wire);
    }
    std::string callee = t == ErasedTrait::kFnOnce ? "(*Box::from_raw(data as *mut C))"
                         : t == ErasedTrait::kFnMut ? "(&mut *(data as *mut C))"
                                                    : "(&*(data as *const C))";
    std::string call = fmt::format("{}({})", callee, Join(args));
    e.body = ret ? fmt::format("let r = {};\nret.write({});", call, rf.shim_to_wire("r")) : call + ";";
    return e;
  }

  Entry Call(ErasedTrait t) const {
    if (Returned(ep_)) return ReturnedCall(t);
    Entry e;
    e.name = t == ErasedTrait::kFn ? "call" : t == ErasedTrait::kFnMut ? "call_mut" : "call_once";
    e.data_mut = t != ErasedTrait::kFn;
    std::vector<std::string> args;
    for (size_t i = 0; i < ep_.fn_args.size(); ++i) {
      ReturnForm rf = RetForm(ep_.fn_args[i]);
      // A pinned type by value crosses as a pointer to the library's moved
      // value (as a thunk's argument does), never by value through `extern "C"`.
      bool moved = ep_.fn_args[i].kind == Kind::kValue;
      e.facade_params.push_back(fmt::format("a{}: {}{}", i, moved ? "*mut " : "", rf.facade_wire));
      e.shim_params.push_back(fmt::format("a{}: {}{}", i, moved ? "*mut " : "", rf.shim_wire));
      std::string a = moved ? fmt::format("core::ptr::read(a{})", i) : fmt::format("a{}", i);
      args.push_back(ApiPaths(rf.facade_from_wire(a)));
    }
    bool ret = ep_.fn_ret.kind != Kind::kUnit;
    if (ret) {
      e.facade_params.push_back("ret: *mut " + ProducedWire(ep_.fn_ret, true));
      e.shim_params.push_back("ret: *mut " + ProducedWire(ep_.fn_ret, false));
    }
    std::string callee = t == ErasedTrait::kFnOnce ? "(*Box::from_raw(data as *mut T))"
                                                   : fmt::format("({})", Access(t == ErasedTrait::kFnMut));
    std::string call = fmt::format("{}({})", callee, Join(args));
    // A return `R: AsRef<..>` becomes the owned value before it crosses.
    std::string value = ep_.fn_ret_as_ref == "str"     ? "AsRef::<str>::as_ref(&r).to_string()"
                        : ep_.fn_ret_as_ref == "bytes" ? "AsRef::<[u8]>::as_ref(&r).to_vec()"
                                                       : "r";
    e.body = ret ? fmt::format("let r = {};\nret.write({});", call, ProducedToWire(ep_.fn_ret, value)) : call + ";";
    return e;
  }

  // `api().free_string` in a conversion: the facade's loaded library.
  std::string ApiPaths(std::string s) const {
    const std::string from = "api().";
    const std::string to = fmt::format("crate::rdylib_api().rdylib_v{}_{}__", plan::kAbiVersion, plan_.crate_name);
    for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
    return s;
  }

  void PrintTable(Printer& p, bool facade) const {
    std::string c_void = facade ? "core::ffi::c_void" : "std::ffi::c_void";
    std::vector<std::string> fields;
    for (const Entry& e : Entries()) {
      std::vector<std::string> params = {fmt::format("*{} {}", e.data_mut ? "mut" : "const", c_void)};
      for (const std::string& s : facade ? e.facade_params : e.shim_params) params.push_back(s.substr(s.find(": ") + 2));
      fields.push_back(fmt::format("pub {}: unsafe extern \"C\" fn({}) -> *mut rt::{},", e.name, Join(params),
                                   Returned(ep_) ? "WirePanic" : "WireParked"));
    }
    fields.push_back("pub size: usize,");
    fields.push_back("pub align: usize,");
    if (ep_.item_param >= 0) {
      fields.push_back(fmt::format("pub item_table: *const Table{},", f_.erased[ep_.item_param].id));
    }
    p.PrintRaw(fmt::format("/// `{}` of `{}`: {}.\n#[repr(C)]\npub struct {} {{\n{}\n}}\n\n", ep_.name, f_.path,
                           ep_.Text(), Table(), Join(fields, "\n")));
  }

  void PrintFacade(Printer& p) const {
    if (Returned(ep_)) return ep_.IsClosure() ? PrintReturnedFacade(p) : PrintReversedFacade(p);
    PrintTable(p, true);
    std::vector<std::string> inits;
    for (const Entry& e : Entries()) {
      std::string params = Join([&] {
        std::vector<std::string> v = {fmt::format("data: *{} core::ffi::c_void", e.data_mut ? "mut" : "const")};
        v.insert(v.end(), e.facade_params.begin(), e.facade_params.end());
        return v;
      }());
      p.PrintRaw(fmt::format(
          "unsafe extern \"C\" fn {0}_{1}{2}({3}) -> *mut rt::WireParked{4} {{\n"
          "rt::callback(|| unsafe {{\n{5}\n}})\n}}\n\n",
          e.name, ep_.id, Generics(), params, Where(), e.body));
      inits.push_back(fmt::format("{0}: {0}_{1}::{2},", e.name, ep_.id, GenericArgs()));
    }
    // Lent values: `data` points at the facade's reference to them.
    std::string held = Lent(ep_) ? "*const T" : "T";
    inits.push_back(fmt::format("size: core::mem::size_of::<{}>(),", held));
    inits.push_back(fmt::format("align: core::mem::align_of::<{}>(),", held));
    if (ep_.item_param >= 0) {
      const ErasedParam& item = f_.erased[ep_.item_param];
      inits.push_back(fmt::format("item_table: &TableOf{}::<T::Item>::TABLE,", item.id));
    }
    std::string life = StrItem(ep_) ? "'a, " : "";
    p.PrintRaw(fmt::format(
        "pub struct TableOf{0}<{1}T: ?Sized{8}>(core::marker::PhantomData<{2}>);\n\n"
        "impl{3} TableOf{0}{4}{5} {{\n"
        "pub const TABLE: {6} = {6} {{\n{7}\n}};\n}}\n\n",
        ep_.id, life,
        StrItem(ep_) ? "(&'a (), *const T)" : RetParam().empty() ? "*const T" : "(*const T, *const R)", Generics(),
        GenericArgs(), Where(), Table(), Join(inits, "\n"), RetParam().empty() ? "" : ", R"));
    // The helper that hands the value over or lends it for the call.
    std::string tail = fmt::format("&TableOf{}::{}::TABLE", ep_.id, GenericArgs());
    switch (ep_.mode) {
      case ErasedMode::kOwned:
      case ErasedMode::kBoxed:
        p.PrintRaw(fmt::format(
            "pub fn into_{0}{1}(value: T) -> (*mut core::ffi::c_void, *const {2}){3} {{\n"
            "(Box::into_raw(Box::new(value)) as *mut core::ffi::c_void, {4})\n}}\n\n",
            ep_.id, Generics(), Table(), Where(), tail));
        break;
      case ErasedMode::kCopied:
        p.PrintRaw(fmt::format(
            "pub fn lend_{0}{1}(value: &T) -> (*mut core::ffi::c_void, *const {2}){3} {{\n"
            "(value as *const T as *mut core::ffi::c_void, {4})\n}}\n\n",
            ep_.id, Generics(), Table(), Where(), tail));
        break;
      case ErasedMode::kRef:
      case ErasedMode::kRefMut: {
        const char* m = ep_.mode == ErasedMode::kRef ? "" : "mut ";
        p.PrintRaw(fmt::format(
            "pub fn lend_{0}{1}(value: &{5}&{5}T) -> (*mut core::ffi::c_void, *const {2}){3} {{\n"
            "(value as *const &{5}T as *mut core::ffi::c_void, {4})\n}}\n\n",
            ep_.id, Generics(), Table(), Where(), tail, m));
        break;
      }
    }
  }

  std::string Markers() const {
    std::string m;
    if (ep_.Has(ErasedTrait::kSend)) m += " + Send";
    if (ep_.Has(ErasedTrait::kSync)) m += " + Sync";
    return m;
  }

  // The library's closure, in the shim: entries over its type `C`, each in
  // the guard, and the helper that boxes it with its table.
  void PrintReturnedShim(Printer& p) const {
    PrintTable(p, false);
    std::string generics = fmt::format("<C: {}>", ep_.fn_shim);
    std::vector<std::string> inits;
    for (const Entry& e : Entries()) {
      std::vector<std::string> v = {fmt::format("data: *{} std::ffi::c_void", e.data_mut ? "mut" : "const")};
      v.insert(v.end(), e.shim_params.begin(), e.shim_params.end());
      p.PrintRaw(fmt::format("unsafe extern \"C\" fn {0}_{1}{2}({3}) -> *mut rt::WirePanic {{\n"
                             "rt::guard(|| unsafe {{\n{4}\n}})\n}}\n\n",
                             e.name, ep_.id, generics, Join(v), e.body));
      inits.push_back(fmt::format("{0}: {0}_{1}::<C>,", e.name, ep_.id));
    }
    inits.push_back("size: std::mem::size_of::<C>(),");
    inits.push_back("align: std::mem::align_of::<C>(),");
    p.PrintRaw(fmt::format(
        "pub struct TableOf{0}<C>(std::marker::PhantomData<*const C>);\n\n"
        "impl{1} TableOf{0}<C> {{\npub const TABLE: {2} = {2} {{\n{3}\n}};\n}}\n\n"
        "pub fn into_{0}{1}(c: C) -> {4} {{\n"
        "rt::WireTuple2(Box::into_raw(Box::new(c)) as *mut std::ffi::c_void, &TableOf{0}::<C>::TABLE)\n}}\n\n",
        ep_.id, generics, Table(), Join(inits, "\n"), ValueWire(false)));
  }

  std::string ValueWire(bool facade) const {
    AbiValue v;
    v.kind = Kind::kErased;
    v.wire_name = ep_.id;
    v.erased_mode = "returned";
    return v.WireType(facade);
  }

  // The library's closure, in the facade: a handle that calls its entries
  // and drops it through the table, resuming the library's panics.
  void PrintReturnedFacade(Printer& p) const {
    PrintTable(p, true);
    std::string proxy = "Proxy" + ep_.id;
    std::string free = fmt::format("crate::rdylib_api().rdylib_v{}_{}__free_panic", plan::kAbiVersion,
                                   plan_.crate_name);
    p.PrintRaw(fmt::format("/// The library's closure.\npub struct {0} {{\ndata: *mut core::ffi::c_void,\n"
                           "table: *const {1},\n}}\n\n"
                           "impl Drop for {0} {{\nfn drop(&mut self) {{\n"
                           "unsafe {{ rt::resume(((*self.table).drop)(self.data), {2}) }}\n}}\n}}\n\n",
                           proxy, Table(), free));
    if (ep_.Has(ErasedTrait::kSend)) {
      p.PrintRaw(fmt::format("// The library's signature says the closure is Send.\nunsafe impl Send for {} {{}}\n\n",
                             proxy));
    }
    if (ep_.Has(ErasedTrait::kSync)) {
      p.PrintRaw(fmt::format("// The library's signature says the closure is Sync.\nunsafe impl Sync for {} {{}}\n\n",
                             proxy));
    }
    ErasedTrait t = ep_.Has(ErasedTrait::kFn) ? ErasedTrait::kFn
                    : ep_.Has(ErasedTrait::kFnMut) ? ErasedTrait::kFnMut : ErasedTrait::kFnOnce;
    std::vector<std::string> params, args;
    for (size_t i = 0; i < ep_.fn_args.size(); ++i) {
      params.push_back(fmt::format("a{}", i));
      args.push_back(", " + ProducedToWire(ep_.fn_args[i], fmt::format("a{}", i)));
    }
    bool ret = ep_.fn_ret.kind != Kind::kUnit;
    ReturnForm rf = RetForm(ep_.fn_ret);
    std::string entry = t == ErasedTrait::kFn ? "call" : t == ErasedTrait::kFnMut ? "call_mut" : "call_once";
    std::string hold = t == ErasedTrait::kFn      ? "let p = &p;"
                       : t == ErasedTrait::kFnMut ? "let p = &mut p;"
                                                  : "// The library's entry takes the closure over.\n"
                                                    "let p = core::mem::ManuallyDrop::new(p);";
    std::string data = t == ErasedTrait::kFn ? "p.data as *const core::ffi::c_void" : "p.data";
    std::string body =
        ret ? fmt::format("unsafe {{\nlet mut ret = core::mem::MaybeUninit::<{0}>::uninit();\n"
                          "rt::resume(((*p.table).{1})({2}{3}, ret.as_mut_ptr()), {4});\n{5}\n}}",
                          rf.facade_wire, entry, data, Join(args, ""), free,
                          ApiPaths(rf.facade_from_wire("ret.assume_init()")))
            : fmt::format("unsafe {{ rt::resume(((*p.table).{0})({1}{2}), {3}) }}", entry, data, Join(args, ""), free);
    p.PrintRaw(fmt::format(
        "pub fn from_{0}(w: {1}) -> impl {2}{3} + 'static {{\n"
        "{4}p = {5} {{ data: w.0, table: w.1 }};\nmove |{6}| {{\n{7}\n{8}\n}}\n}}\n\n",
        ep_.id, ValueWire(true), ep_.fn_facade, Markers(), t == ErasedTrait::kFnMut ? "let mut " : "let ", proxy,
        Join(params), hold, body));
  }

  // A library value handed to a consumer's generic trait method (a vtable
  // entry): in the shim, entries over its type `T`, each in the guard, and
  // the helper that boxes it with its table; the bodies are the forward
  // form's, run on the library's side.
  void PrintReversedShim(Printer& p) const {
    bool copied = ep_.mode == ErasedMode::kReturnedCopied;
    PrintTable(p, false);
    std::vector<std::string> inits;
    for (const Entry& e : Entries()) {
      std::vector<std::string> v = {fmt::format("data: *{} std::ffi::c_void", e.data_mut ? "mut" : "const")};
      v.insert(v.end(), e.shim_params.begin(), e.shim_params.end());
      p.PrintRaw(fmt::format("unsafe extern \"C\" fn {0}_{1}{2}({3}) -> *mut rt::WirePanic{4} {{\n"
                             "rt::guard(|| unsafe {{\n{5}\n}})\n}}\n\n",
                             e.name, ep_.id, Generics(), Join(v), Where(), e.body));
      inits.push_back(fmt::format("{0}: {0}_{1}::<T>,", e.name, ep_.id));
    }
    inits.push_back("size: std::mem::size_of::<T>(),");
    inits.push_back("align: std::mem::align_of::<T>(),");
    p.PrintRaw(fmt::format(
        "pub struct TableOf{0}<T>(std::marker::PhantomData<*const T>);\n\n"
        "impl{1} TableOf{0}<T> {{\npub const TABLE: {2} = {2} {{\n{3}\n}};\n}}\n\n"
        "pub fn into_{0}{1}({5}) -> {4} {{\n"
        "rt::WireTuple2({6} as *mut std::ffi::c_void, &TableOf{0}::<T>::TABLE)\n}}\n\n",
        ep_.id, Generics(), Table(), Join(inits, "\n"), ValueWire(false), copied ? "value: &T" : "value: T",
        // A Copy value is lent for the call: the facade's proxies point at the shim's own.
        copied ? "value as *const T" : "Box::into_raw(Box::new(value))"));
  }

  // The library's value in the facade: a proxy that implements the bounds
  // by calling its entries, resumes the library's panics, and drops the
  // value in the library, once.
  void PrintReversedFacade(Printer& p) const {
    PrintTable(p, true);
    std::string proxy = "Proxy" + ep_.id;
    p.PrintRaw(fmt::format("/// The library's value, as the consumer's generic method sees it.\n"
                           "{2}pub struct {0} {{\ndata: *mut core::ffi::c_void,\ntable: *const {1},\n}}\n\n",
                           proxy, Table(), Owned(ep_) ? "" : "#[derive(Clone, Copy)]\n"));
    if (Owned(ep_)) {
      p.PrintRaw(fmt::format("impl Drop for {0} {{\nfn drop(&mut self) {{\nunsafe {{ {1} }}\n}}\n}}\n\n", proxy,
                             Check("((*self.table).drop)(self.data)")));
    }
    if (ep_.Has(ErasedTrait::kSend)) {
      p.PrintRaw(fmt::format("// The library's signature says the value is Send.\nunsafe impl Send for {} {{}}\n\n",
                             proxy));
    }
    if (ep_.Has(ErasedTrait::kSync)) {
      p.PrintRaw(fmt::format("// The library's signature says the value is Sync.\nunsafe impl Sync for {} {{}}\n\n",
                             proxy));
    }
    PrintProxyImpls(p, proxy, "");
    p.PrintRaw(fmt::format("pub fn from_{0}(w: {1}) -> {2} {{\n{2} {{ data: w.0, table: w.1 }}\n}}\n\n", ep_.id,
                           ValueWire(true), proxy));
  }

  void PrintShim(Printer& p) const {
    if (Returned(ep_)) return ep_.IsClosure() ? PrintReturnedShim(p) : PrintReversedShim(p);
    PrintTable(p, false);
    std::string proxy = "Proxy" + ep_.id;
    std::string life = Life(ep_);
    p.PrintRaw(fmt::format(
        "/// The consumer's value, as the library's generic sees it.\n{0}pub struct {1}{2} {{\n"
        "data: *mut std::ffi::c_void,\ntable: *const {3},\n{4}}}\n\n",
        ep_.mode == ErasedMode::kCopied ? "#[derive(Clone, Copy)]\n" : "", proxy, life, Table(),
        StrItem(ep_) ? "_items: std::marker::PhantomData<&'a str>,\n" : ""));
    if (ep_.Has(ErasedTrait::kSend)) {
      p.PrintRaw(fmt::format("// The facade's signature requires the consumer's value to be Send.\n"
                             "unsafe impl{0} Send for {1}{0} {{}}\n\n", life, proxy));
    }
    if (ep_.Has(ErasedTrait::kSync)) {
      p.PrintRaw(fmt::format("// The facade's signature requires the consumer's value to be Sync.\n"
                             "unsafe impl{0} Sync for {1}{0} {{}}\n\n", life, proxy));
    }
    if (Owned(ep_)) {
      p.PrintRaw(fmt::format("impl{0} Drop for {1}{0} {{\nfn drop(&mut self) {{\n"
                             "unsafe {{ rt::rethrow(((*self.table).drop)(self.data)) }}\n}}\n}}\n\n",
                             life, proxy));
    }
    PrintProxyImpls(p, proxy, life);
    std::string from_params = "data: *mut std::ffi::c_void, table: *const " + Table();
    PrintShimFrom(p, proxy, life, from_params);
  }

  // Checks an entry's result: the shim resumes the consumer's parked panic;
  // the facade (a reversed value's proxy) resumes the library's.
  std::string Check(const std::string& result) const {
    if (!Returned(ep_)) return fmt::format("rt::rethrow({})", result);
    return fmt::format("rt::resume({}, crate::rdylib_api().rdylib_v{}_{}__free_panic)", result, plan::kAbiVersion,
                       plan_.crate_name);
  }

  // Calls `entry` of the table of `data`'s proxy, `wire` the return's type
  // ("" for none) and `result` its value from `ret`.
  std::string CallEntry(const std::string& entry, const std::string& data, const std::string& args,
                        const std::string& wire, const std::string& result) const {
    std::string table = data.substr(0, data.find('.'));
    if (wire.empty()) {
      return fmt::format("unsafe {{ {} }}", Check(fmt::format("((*{}.table).{})({}{})", table, entry, data, args)));
    }
    return fmt::format("unsafe {{\nlet mut ret = std::mem::MaybeUninit::<{0}>::uninit();\n{1};\n{2}\n}}", wire,
                       Check(fmt::format("((*{}.table).{})({}{}, ret.as_mut_ptr())", table, entry, data, args)),
                       result);
  }

  // The proxy's impls of the bounds, each calling its entries: the shim's
  // proxy over the consumer's value, or the facade's over the library's.
  void PrintProxyImpls(Printer& p, const std::string& proxy, const std::string& life) const {
    auto call = [&](const std::string& entry, const std::string& data, const std::string& args,
                    const std::string& wire, const std::string& result) {
      return CallEntry(entry, data, args, wire, result);
    };
    for (ErasedTrait t : ep_.traits) {
      switch (t) {
        case ErasedTrait::kAsRefStr:
        case ErasedTrait::kBorrowStr: {
          bool as_ref = t == ErasedTrait::kAsRefStr;
          p.PrintRaw(fmt::format("impl{0} {1} for {2}{0} {{\nfn {3}(&self) -> &str {{\n{4}\n}}\n}}\n\n", life,
                                 as_ref ? "AsRef<str>" : "std::borrow::Borrow<str>", proxy,
                                 as_ref ? "as_ref" : "borrow",
                                 call(as_ref ? "as_ref_str" : "borrow_str", "self.data", "", "rt::WireStr",
                                      "ret.assume_init().as_str()")));
          break;
        }
        case ErasedTrait::kAsRefBytes:
          p.PrintRaw(fmt::format("impl{0} AsRef<[u8]> for {1}{0} {{\nfn as_ref(&self) -> &[u8] {{\n{2}\n}}\n}}\n\n",
                                 life, proxy,
                                 call("as_ref_bytes", "self.data", "", "rt::WireSlice<u8>",
                                      "ret.assume_init().as_slice()")));
          break;
        case ErasedTrait::kIntoString:
          p.PrintRaw(fmt::format(
              "impl{0} Into<String> for {1}{0} {{\nfn into(self) -> String {{\n"
              "// The {3} entry takes the value over.\nlet this = std::mem::ManuallyDrop::new(self);\n{2}\n}}\n}}\n\n",
              life, proxy,
              call("into_string", "this.data", "", "rt::WireOwnedString", "rt::owned_string_in(ret.assume_init())"),
              Taker()));
          break;
        case ErasedTrait::kDisplay:
        case ErasedTrait::kDebug: {
          // The consumer formats with the library's flags; the text is
          // written as it is (it is already padded).
          bool display = t == ErasedTrait::kDisplay;
          p.PrintRaw(fmt::format(
              "impl{0} std::fmt::{1} for {2}{0} {{\n"
              "fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {{\n"
              "let flags = rt::WireFlags::of(f);\nlet text = {3};\nf.write_str(&text)\n}}\n}}\n\n",
              life, display ? "Display" : "Debug", proxy,
              call(display ? "fmt_display" : "fmt_debug", "self.data", ", &flags", "rt::WireOwnedString",
                   "rt::owned_string_in(ret.assume_init())")));
          break;
        }
        case ErasedTrait::kToString:
          if (ep_.Has(ErasedTrait::kDisplay)) break;  // std's blanket impl, through Display
          p.PrintRaw(fmt::format("impl{0} ToString for {1}{0} {{\nfn to_string(&self) -> String {{\n{2}\n}}\n}}\n\n",
                                 life, proxy,
                                 call("to_string", "self.data", "", "rt::WireOwnedString",
                                      "rt::owned_string_in(ret.assume_init())")));
          break;
        case ErasedTrait::kPartialEq:
          p.PrintRaw(fmt::format("impl{0} PartialEq for {1}{0} {{\nfn eq(&self, other: &Self) -> bool {{\n{2}\n}}\n}}\n\n",
                                 life, proxy,
                                 call("eq", "self.data", ", other.data", "bool", "ret.assume_init()")));
          break;
        case ErasedTrait::kPartialOrd: {
          std::string ops;
          for (const char* op : {"lt", "le", "gt", "ge"}) {
            ops += fmt::format("fn {}(&self, other: &Self) -> bool {{\n{}\n}}\n", op,
                               call(op, "self.data", ", other.data", "bool", "ret.assume_init()"));
          }
          p.PrintRaw(fmt::format(
              "impl{0} PartialOrd for {1}{0} {{\n"
              "fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {{\n{2}\n}}\n{3}}}\n\n",
              life, proxy,
              call("partial_cmp", "self.data", ", other.data", "i8",
                   "match ret.assume_init() {\n-1 => Some(std::cmp::Ordering::Less),\n"
                   "0 => Some(std::cmp::Ordering::Equal),\n1 => Some(std::cmp::Ordering::Greater),\n_ => None,\n}"),
              ops));
          break;
        }
        case ErasedTrait::kIntoIterator: PrintIterator(p, proxy, life); break;
        default: break;
      }
    }
  }

  void PrintShimFrom(Printer& p, const std::string& proxy, const std::string& life,
                     const std::string& from_params) const {
    auto call = [&](const std::string& entry, const std::string& data, const std::string& args,
                    const std::string& wire, const std::string& result) {
      return CallEntry(entry, data, args, wire, result);
    };
    if (!ep_.IsClosure()) {
      p.PrintRaw(fmt::format(
          "pub unsafe fn from_{0}{1}({2}) -> {3}{1} {{\n{3} {{ data, table{4} }}\n}}\n\n", ep_.id, life,
          from_params, proxy, StrItem(ep_) ? ", _items: std::marker::PhantomData" : ""));
      return;
    }
    // A closure: Fn traits cannot be implemented by hand on stable Rust, so
    // the library gets a real closure that owns the proxy and calls through it.
    ErasedTrait t = ep_.Has(ErasedTrait::kFn) ? ErasedTrait::kFn
                    : ep_.Has(ErasedTrait::kFnMut) ? ErasedTrait::kFnMut : ErasedTrait::kFnOnce;
    std::vector<std::string> params, args;
    for (size_t i = 0; i < ep_.fn_args.size(); ++i) {
      params.push_back(fmt::format("a{}", i));
      const AbiValue& a = ep_.fn_args[i];
      // Through a unit pointer: the table names the type with 'static
      // lifetimes, the closure's argument has its own (`&Captures<'_>`).
      // A pinned type by value: moved out through a pointer, which the
      // facade's entry reads once (the ManuallyDrop here never drops it).
      args.push_back(", " + (a.kind == Kind::kRef ? fmt::format("a{0} as *{1} _ as *{1} () as {2}", i,
                                                                 a.is_mutable ? "mut" : "const", a.WireType(false))
                             : a.kind == Kind::kValue
                                 ? fmt::format("&mut *std::mem::ManuallyDrop::new({}) as *mut _",
                                               RetForm(a).shim_to_wire(fmt::format("a{}", i)))
                                 : RetForm(a).shim_to_wire(fmt::format("a{}", i))));
    }
    bool ret = ep_.fn_ret.kind != Kind::kUnit;
    std::string entry = t == ErasedTrait::kFn ? "call" : t == ErasedTrait::kFnMut ? "call_mut" : "call_once";
    std::string hold = t == ErasedTrait::kFn      ? "let p = &p;"
                       : t == ErasedTrait::kFnMut ? "let p = &mut p;"
                                                  : "// The facade's entry takes the closure over.\n"
                                                    "let p = std::mem::ManuallyDrop::new(p);";
    std::string data = t == ErasedTrait::kFn ? "p.data as *const std::ffi::c_void" : "p.data";
    std::string body = call(entry, data, Join(args, ""), ret ? ProducedWire(ep_.fn_ret, false) : "",
                            ret ? ProducedFromWire(ep_.fn_ret, "ret.assume_init()") : "");
    std::string static_bound = Lent(ep_) ? "" : " + 'static";
    p.PrintRaw(fmt::format(
        "pub unsafe fn from_{0}({1}) -> impl {2}{3}{4} {{\n"
        "{5}p = {6} {{ data, table }};\nmove |{7}| {{\n{8}\n{9}\n}}\n}}\n\n",
        ep_.id, from_params, ep_.fn_shim, Markers(), static_bound,
        t == ErasedTrait::kFnMut ? "let mut " : "let ", proxy, Join(params), hold, body));
  }

  void PrintIterator(Printer& p, const std::string& proxy, const std::string& life) const {
    std::string iter = "ProxyIter" + ep_.id;
    std::string item_type;
    std::string item_value;
    if (ep_.item_param >= 0) {
      const ErasedParam& item = f_.erased[ep_.item_param];
      item_type = "Proxy" + item.id;
      item_value = fmt::format("Proxy{} {{ data: x, table: (*self.table).item_table }}", item.id);
    } else {
      switch (ep_.item.kind) {
        case Kind::kStr: item_type = "&'a str"; break;
        case Kind::kString: item_type = "String"; break;
        case Kind::kChar: item_type = "char"; break;
        default: item_type = ep_.item.WireType(false); break;
      }
      item_value = ProducedFromWire(ep_.item, "x");
    }
    p.PrintRaw(fmt::format(
        "pub struct {0}{1} {{\ndata: *mut std::ffi::c_void,\ntable: *const {2},\n{3}}}\n\n"
        "impl{1} Drop for {0}{1} {{\nfn drop(&mut self) {{\n"
        "unsafe {{ {4} }}\n}}\n}}\n\n",
        iter, life, Table(), StrItem(ep_) ? "_items: std::marker::PhantomData<&'a str>,\n" : "",
        Check("((*self.table).iter_drop)(self.data)")));
    p.PrintRaw(fmt::format(
        "impl{0} Iterator for {1}{0} {{\ntype Item = {2};\n"
        "fn next(&mut self) -> Option<{2}> {{\nunsafe {{\n"
        "let mut ret = std::mem::MaybeUninit::<rt::WireOption<{3}>>::uninit();\n"
        "{5};\n"
        "ret.assume_init().into_option().map(|x| {4})\n}}\n}}\n"
        "fn size_hint(&self) -> (usize, Option<usize>) {{\nunsafe {{\n"
        "let mut ret = std::mem::MaybeUninit::<rt::WireTuple3<usize, u8, usize>>::uninit();\n"
        "{6};\n"
        "let rt::WireTuple3(lo, has_hi, hi) = ret.assume_init();\n(lo, (has_hi != 0).then_some(hi))\n}}\n}}\n}}\n\n",
        life, iter, item_type, ItemWire(false), item_value,
        Check("((*self.table).iter_next)(self.data, ret.as_mut_ptr())"),
        Check("((*self.table).iter_size_hint)(self.data, ret.as_mut_ptr())")));
    p.PrintRaw(fmt::format(
        "impl{0} IntoIterator for {1}{0} {{\ntype Item = {2};\ntype IntoIter = {3}{0};\n"
        "fn into_iter(self) -> {3}{0} {{\n// The {6} entry takes the value over.\n"
        "let this = std::mem::ManuallyDrop::new(self);\nunsafe {{\n"
        "let mut ret = std::mem::MaybeUninit::<*mut std::ffi::c_void>::uninit();\n"
        "{5};\n"
        "{3} {{ data: ret.assume_init(), table: this.table{4} }}\n}}\n}}\n}}\n\n",
        life, proxy, item_type, iter, StrItem(ep_) ? ", _items: std::marker::PhantomData" : "",
        Check("((*this.table).into_iter)(this.data, ret.as_mut_ptr())"), Taker()));
  }

  // Whose entry a consuming method's call hands the value to.
  std::string Taker() const { return Returned(ep_) ? "library's" : "facade's"; }

 private:
  const plan::Plan& plan_;
  const plan::FunctionPlan& f_;
  const ErasedParam& ep_;
};

}  // namespace

std::string WriteErasedModule(const plan::Plan& plan, bool facade) {
  Printer p;
  bool any = false;
  // A parameter bounded by a library trait uses that trait's vtable.
  auto own_table = [](const ErasedParam& ep) { return !ep.Has(ErasedTrait::kLibTrait); };
  for (const plan::FunctionPlan& f : plan.functions) any |= std::any_of(f.erased.begin(), f.erased.end(), own_table);
  // A vtable entry of a generic method: the library's closures it hands over.
  std::vector<plan::FunctionPlan> entries;
  for (const plan::VtablePlan& vt : plan.vtables) {
    for (const plan::VtableEntry& e : vt.entries) {
      for (const std::vector<ErasedParam>* erased : {&e.erased, &e.default_erased}) {
        if (erased->empty()) continue;
        entries.emplace_back();
        entries.back().path = e.trait_path + "::" + e.name;  // named in the tables' comments
        entries.back().erased = *erased;
        any = true;
      }
    }
  }
  if (!any) return "";
  p.Print("\n/// Erased type parameters and closures: each one's table of entries\n"
          "/// (docs/ABI.md, \"Erasure\" and \"Closures\").\n"
          "#[allow(dead_code, non_camel_case_types, non_snake_case, clippy::all)]\n");
  p.Block("pub mod rdylib_erased {\n", {}, [&] {
    // Bounds name std's items by their public paths, some under `alloc`.
    p.Print(facade ? "use crate::rdylib_rt as rt;\n\n" : "extern crate alloc;\n\nuse crate::rdylib_rt as rt;\n\n");
    const std::vector<plan::FunctionPlan>* lists[] = {&plan.functions, &entries};
    // A table that copies another's entries (an extended table, a
    // supertrait's methods) names the same closures: written once.
    std::set<std::string> written;
    for (const std::vector<plan::FunctionPlan>* list : lists) {
      for (const plan::FunctionPlan& f : *list) {
        for (const ErasedParam& ep : f.erased) {
          if (!own_table(ep) || !written.insert(ep.id).second) continue;
          ErasedWriter w(plan, f, ep);
          if (facade) {
            w.PrintFacade(p);
          } else {
            w.PrintShim(p);
          }
        }
      }
    }
  });
  return p.str();
}

std::string ErasedPrepare(const std::string& name, const AbiValue& v) {
  if (v.erased_mode == "owned" || v.erased_mode == "boxed") {
    return fmt::format("let {0} = crate::rdylib_erased::into_{1}({0});", name, v.wire_name);
  }
  if (v.erased_mode == "ref_mut") {
    return fmt::format("let mut {0}_held = {0};\nlet {0} = crate::rdylib_erased::lend_{1}(&mut {0}_held);", name,
                       v.wire_name);
  }
  return fmt::format("let {0}_held = {0};\nlet {0} = crate::rdylib_erased::lend_{1}(&{0}_held);", name, v.wire_name);
}

std::string ErasedRebuild(const std::string& name, const AbiValue& v) {
  std::string value = fmt::format("rdylib_erased::from_{}({}_data, {}_table)", v.wire_name, name, name);
  if (v.erased_mode == "ref") return "&" + value;
  if (v.erased_mode == "ref_mut") return "&mut " + value;
  if (v.erased_mode == "boxed") return fmt::format("Box::new({})", value);
  return value;
}

}  // namespace rdylib::emit
