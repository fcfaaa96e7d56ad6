// Reads rustdoc JSON types. Format differences between versions are handled
// here, next to the field they concern.
#include "read/type_reader.h"

#include <fmt/format.h>

namespace rdylib::read {
namespace {

using model::GenericArg;
using model::GenericArgs;
using model::GenericBound;
using model::GenericParamDef;
using model::Type;

std::vector<GenericParamDef> ReadParams(dom::array a, ReadContext& ctx);

// Optional generic args: null (v57 "no args") or an object.
model::Box<GenericArgs> ReadOptArgs(const Obj& o, ReadContext& ctx);

GenericArgs ReadArgs(dom::element e, ReadContext& ctx) {
  GenericArgs out;
  Tagged t = ReadTagged(e, ctx, "generic args");
  FieldScope scope(ctx, t.tag);
  if (t.tag == "angle_bracketed") {
    out.kind = GenericArgs::Kind::kAngleBracketed;
    Obj o = Obj::From(t.value, ctx, "angle bracketed args");
    for (dom::element a : o.Array("args")) {
      GenericArg arg;
      Tagged at = ReadTagged(a, ctx, "generic arg");
      if (at.tag == "lifetime") {
        arg.kind = GenericArg::Kind::kLifetime;
        arg.lifetime = ReadString(at.value, ctx);
      } else if (at.tag == "type") {
        arg.kind = GenericArg::Kind::kType;
        arg.type = ReadType(at.value, ctx);
      } else if (at.tag == "const") {
        arg.kind = GenericArg::Kind::kConst;
        arg.const_expr = Obj::From(at.value, ctx, "constant").String("expr");
      } else if (at.tag == "infer") {
        arg.kind = GenericArg::Kind::kInfer;
      } else if (!at.tag.empty()) {
        ctx.Fail(fmt::format("unknown generic arg kind '{}'", at.tag));
      }
      out.args.push_back(std::move(arg));
    }
    for (dom::element c : o.Array("constraints")) {
      model::AssocItemConstraint con;
      Obj co = Obj::From(c, ctx, "constraint");
      con.name = co.String("name");
      con.args = ReadOptArgs(co, ctx);
      Tagged bt = ReadTagged(co.Get("binding"), ctx, "binding");
      if (bt.tag == "equality") {
        con.is_equality = true;
        Tagged term = ReadTagged(bt.value, ctx, "term");
        if (term.tag == "type") {
          con.equality_type = ReadType(term.value, ctx);
        } else if (term.tag == "constant") {
          con.equality_const = Obj::From(term.value, ctx, "constant").String("expr");
        } else {
          ctx.Fail(fmt::format("unknown term kind '{}'", term.tag));
        }
      } else if (bt.tag == "constraint") {
        con.is_equality = false;
        dom::array bounds;
        if (bt.value.get_array().get(bounds) == simdjson::SUCCESS) {
          con.bounds = ReadBounds(bounds, ctx);
        } else {
          ctx.Fail("expected bounds array in constraint");
        }
      } else {
        ctx.Fail(fmt::format("unknown binding kind '{}'", bt.tag));
      }
      out.constraints.push_back(std::move(con));
    }
  } else if (t.tag == "parenthesized") {
    out.kind = GenericArgs::Kind::kParenthesized;
    Obj o = Obj::From(t.value, ctx, "parenthesized args");
    for (dom::element in : o.Array("inputs")) {
      out.inputs.push_back(ReadType(in, ctx));
    }
    if (auto output = o.GetOpt("output")) out.output = ReadType(*output, ctx);
  } else if (t.tag == "return_type_notation") {
    out.kind = GenericArgs::Kind::kReturnTypeNotation;
  } else if (!t.tag.empty()) {
    ctx.Fail(fmt::format("unknown generic args kind '{}'", t.tag));
  }
  return out;
}

model::Box<GenericArgs> ReadOptArgs(const Obj& o, ReadContext& ctx) {
  auto e = o.GetOpt("args");
  if (!e) return {};
  FieldScope scope(ctx, "args");
  GenericArgs args = ReadArgs(*e, ctx);
  // v37 writes `<>` for "no arguments"; v57 writes null. Normalize to absent.
  if (args.kind == GenericArgs::Kind::kAngleBracketed && args.args.empty() &&
      args.constraints.empty()) {
    return {};
  }
  return args;
}

GenericBound ReadBound(dom::element e, ReadContext& ctx) {
  GenericBound out;
  Tagged t = ReadTagged(e, ctx, "generic bound");
  FieldScope scope(ctx, t.tag);
  if (t.tag == "trait_bound") {
    out.kind = GenericBound::Kind::kTrait;
    Obj o = Obj::From(t.value, ctx, "trait bound");
    out.trait = ReadPath(o.Get("trait"), ctx);
    out.generic_params = ReadParams(o.Array("generic_params"), ctx);
    std::string_view m = o.String("modifier");
    if (m == "maybe") {
      out.modifier = GenericBound::Modifier::kMaybe;
    } else if (m == "maybe_const") {
      out.modifier = GenericBound::Modifier::kMaybeConst;
    }
  } else if (t.tag == "outlives") {
    out.kind = GenericBound::Kind::kOutlives;
    out.lifetime = ReadString(t.value, ctx);
  } else if (t.tag == "use") {
    out.kind = GenericBound::Kind::kUse;
    dom::array a;
    if (t.value.get_array().get(a) == simdjson::SUCCESS) {
      for (dom::element u : a) {
        std::string_view s;
        if (u.get_string().get(s) == simdjson::SUCCESS) {
          out.use_args.emplace_back(s);
        } else {
          // Newer formats tag each precise-capturing arg.
          Tagged ut = ReadTagged(u, ctx, "use arg");
          out.use_args.emplace_back(ReadString(ut.value, ctx));
        }
      }
    }
  } else if (!t.tag.empty()) {
    ctx.Fail(fmt::format("unknown bound kind '{}'", t.tag));
  }
  return out;
}

GenericParamDef ReadParam(dom::element e, ReadContext& ctx) {
  GenericParamDef out;
  Obj o = Obj::From(e, ctx, "generic parameter");
  out.name = o.String("name");
  Tagged t = ReadTagged(o.Get("kind"), ctx, "generic parameter kind");
  FieldScope scope(ctx, t.tag);
  if (t.tag == "lifetime") {
    out.kind = GenericParamDef::Kind::kLifetime;
    out.outlives = ReadStrings(Obj::From(t.value, ctx, "lifetime").Array("outlives"), ctx);
  } else if (t.tag == "type") {
    out.kind = GenericParamDef::Kind::kType;
    Obj k = Obj::From(t.value, ctx, "type parameter");
    out.bounds = ReadBounds(k.Array("bounds"), ctx);
    if (auto d = k.GetOpt("default")) out.default_type = ReadType(*d, ctx);
    out.is_synthetic = k.Bool("is_synthetic");
  } else if (t.tag == "const") {
    out.kind = GenericParamDef::Kind::kConst;
    Obj k = Obj::From(t.value, ctx, "const parameter");
    out.default_type = ReadType(k.Get("type"), ctx);
    if (auto d = k.OptString("default")) out.const_default = *d;
  } else if (!t.tag.empty()) {
    ctx.Fail(fmt::format("unknown generic parameter kind '{}'", t.tag));
  }
  return out;
}

std::vector<GenericParamDef> ReadParams(dom::array a, ReadContext& ctx) {
  std::vector<GenericParamDef> out;
  for (dom::element e : a) out.push_back(ReadParam(e, ctx));
  return out;
}

model::FunctionPointer ReadFnPointer(dom::element e, ReadContext& ctx) {
  model::FunctionPointer out;
  Obj o = Obj::From(e, ctx, "function pointer");
  out.sig = ReadSignature(o.Get("sig"), ctx);
  out.generic_params = ReadParams(o.Array("generic_params"), ctx);
  out.header = ReadHeader(o.Get("header"), ctx);
  return out;
}

}  // namespace

std::vector<GenericBound> ReadBounds(dom::array a, ReadContext& ctx) {
  std::vector<GenericBound> out;
  for (dom::element e : a) out.push_back(ReadBound(e, ctx));
  return out;
}

model::Path ReadPath(dom::element e, ReadContext& ctx) {
  model::Path out;
  Obj o = Obj::From(e, ctx, "path");
  // v37 names the written path "name"; later versions call it "path".
  out.name = o.Has("path") ? o.String("path") : o.String("name");
  out.id = o.Id("id");
  out.args = ReadOptArgs(o, ctx);
  return out;
}

Type ReadType(dom::element e, ReadContext& ctx) {
  Type out;
  Tagged t = ReadTagged(e, ctx, "type");
  if (t.tag.empty()) return out;
  FieldScope scope(ctx, t.tag);
  std::string_view tag = t.tag;
  if (tag == "resolved_path") {
    out.kind = Type::Kind::kResolvedPath;
    out.path = ReadPath(t.value, ctx);
  } else if (tag == "generic") {
    out.kind = Type::Kind::kGeneric;
    out.name = ReadString(t.value, ctx);
  } else if (tag == "primitive") {
    out.kind = Type::Kind::kPrimitive;
    out.name = ReadString(t.value, ctx);
  } else if (tag == "borrowed_ref") {
    out.kind = Type::Kind::kBorrowedRef;
    Obj o = Obj::From(t.value, ctx, "reference");
    if (auto l = o.OptString("lifetime")) out.lifetime = *l;
    out.is_mutable = o.Bool("is_mutable");
    out.elems.push_back(ReadType(o.Get("type"), ctx));
  } else if (tag == "tuple") {
    out.kind = Type::Kind::kTuple;
    dom::array a;
    if (t.value.get_array().get(a) == simdjson::SUCCESS) {
      for (dom::element x : a) out.elems.push_back(ReadType(x, ctx));
    } else {
      ctx.Fail("expected array of tuple elements");
    }
  } else if (tag == "slice") {
    out.kind = Type::Kind::kSlice;
    out.elems.push_back(ReadType(t.value, ctx));
  } else if (tag == "array") {
    out.kind = Type::Kind::kArray;
    Obj o = Obj::From(t.value, ctx, "array");
    out.elems.push_back(ReadType(o.Get("type"), ctx));
    out.array_len = o.String("len");
  } else if (tag == "raw_pointer") {
    out.kind = Type::Kind::kRawPointer;
    Obj o = Obj::From(t.value, ctx, "raw pointer");
    out.is_mutable = o.Bool("is_mutable");
    out.elems.push_back(ReadType(o.Get("type"), ctx));
  } else if (tag == "qualified_path") {
    out.kind = Type::Kind::kQualifiedPath;
    Obj o = Obj::From(t.value, ctx, "qualified path");
    out.name = o.String("name");
    out.path.args = ReadOptArgs(o, ctx);
    out.elems.push_back(ReadType(o.Get("self_type"), ctx));
    if (auto tr = o.GetOpt("trait")) out.trait = ReadPath(*tr, ctx);
  } else if (tag == "dyn_trait") {
    out.kind = Type::Kind::kDynTrait;
    Obj o = Obj::From(t.value, ctx, "dyn trait");
    model::DynTrait dyn;
    for (dom::element pt : o.Array("traits")) {
      Obj p = Obj::From(pt, ctx, "poly trait");
      dyn.traits.push_back(
          {ReadPath(p.Get("trait"), ctx), ReadParams(p.Array("generic_params"), ctx)});
    }
    if (auto l = o.OptString("lifetime")) dyn.lifetime = *l;
    out.dyn_trait = std::move(dyn);
  } else if (tag == "impl_trait") {
    out.kind = Type::Kind::kImplTrait;
    dom::array a;
    if (t.value.get_array().get(a) == simdjson::SUCCESS) {
      out.bounds = ReadBounds(a, ctx);
    } else {
      ctx.Fail("expected array of bounds");
    }
  } else if (tag == "function_pointer") {
    out.kind = Type::Kind::kFunctionPointer;
    out.fn_pointer = ReadFnPointer(t.value, ctx);
  } else if (tag == "infer") {
    out.kind = Type::Kind::kInfer;
  } else if (tag == "pat") {
    out.kind = Type::Kind::kPat;
    Obj o = Obj::From(t.value, ctx, "pattern type");
    out.elems.push_back(ReadType(o.Get("type"), ctx));
  } else {
    ctx.Fail(fmt::format("unknown type kind '{}'", tag));
  }
  return out;
}

model::Generics ReadGenerics(dom::element e, ReadContext& ctx) {
  model::Generics out;
  FieldScope scope(ctx, "generics");
  Obj o = Obj::From(e, ctx, "generics");
  out.params = ReadParams(o.Array("params"), ctx);
  for (dom::element w : o.Array("where_predicates")) {
    model::WherePredicate p;
    Tagged t = ReadTagged(w, ctx, "where predicate");
    if (t.tag == "bound_predicate") {
      p.kind = model::WherePredicate::Kind::kBound;
      Obj b = Obj::From(t.value, ctx, "bound predicate");
      p.type = ReadType(b.Get("type"), ctx);
      p.bounds = ReadBounds(b.Array("bounds"), ctx);
      p.generic_params = ReadParams(b.Array("generic_params"), ctx);
    } else if (t.tag == "lifetime_predicate") {
      p.kind = model::WherePredicate::Kind::kLifetime;
      Obj b = Obj::From(t.value, ctx, "lifetime predicate");
      p.lifetime = b.String("lifetime");
      p.outlives = ReadStrings(b.Array("outlives"), ctx);
    } else if (t.tag == "eq_predicate") {
      p.kind = model::WherePredicate::Kind::kEq;
      Obj b = Obj::From(t.value, ctx, "eq predicate");
      p.type = ReadType(b.Get("lhs"), ctx);
      Tagged term = ReadTagged(b.Get("rhs"), ctx, "term");
      if (term.tag == "type") {
        p.rhs_type = ReadType(term.value, ctx);
      } else if (term.tag == "constant") {
        p.rhs_const = Obj::From(term.value, ctx, "constant").String("expr");
      }
    } else if (!t.tag.empty()) {
      ctx.Fail(fmt::format("unknown where predicate kind '{}'", t.tag));
    }
    out.where_predicates.push_back(std::move(p));
  }
  return out;
}

model::FunctionSignature ReadSignature(dom::element e, ReadContext& ctx) {
  model::FunctionSignature out;
  FieldScope scope(ctx, "sig");
  Obj o = Obj::From(e, ctx, "function signature");
  for (dom::element in : o.Array("inputs")) {
    dom::array pair;
    if (in.get_array().get(pair) != simdjson::SUCCESS || pair.size() != 2) {
      ctx.Fail("expected [name, type] pair in inputs");
      continue;
    }
    std::string name(ReadString(pair.at(0).value_unsafe(), ctx));
    out.inputs.emplace_back(std::move(name),
                            ReadType(pair.at(1).value_unsafe(), ctx));
  }
  if (auto output = o.GetOpt("output")) out.output = ReadType(*output, ctx);
  out.is_c_variadic = o.Bool("is_c_variadic");
  return out;
}

model::FunctionHeader ReadHeader(dom::element e, ReadContext& ctx) {
  model::FunctionHeader out;
  FieldScope scope(ctx, "header");
  Obj o = Obj::From(e, ctx, "function header");
  out.is_const = o.Bool("is_const");
  out.is_unsafe = o.Bool("is_unsafe");
  out.is_async = o.Bool("is_async");
  Tagged abi = ReadTagged(o.Get("abi"), ctx, "abi");
  if (abi.tag == "Other") {
    out.abi = ReadString(abi.value, ctx);
  } else if (!abi.tag.empty()) {
    out.abi = std::string(abi.tag);
    dom::object details;
    bool unwind = false;
    if (abi.value.get_object().get(details) == simdjson::SUCCESS &&
        details["unwind"].get_bool().get(unwind) == simdjson::SUCCESS &&
        unwind) {
      out.abi += "-unwind";
    }
  }
  return out;
}

}  // namespace rdylib::read
