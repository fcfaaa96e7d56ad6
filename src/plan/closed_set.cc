// Closed sets: the decision which type parameter is instantiated per type,
// and the table of std traits the primitive types implement.
#include "plan/closed_set.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace rdylib::plan {
namespace {

std::string Joined(const std::vector<std::string>& v) { return fmt::format("{}", fmt::join(v, ", ")); }

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// The decision for one parameter whose bounds name a closed library trait.
ClosedSetDecision DecideParam(const ClosedParam& p);

}  // namespace

std::string ClosedSetDecision::Text() const {
  if (!ok()) return reason;
  auto one = [](const ClosedSetDecision& d) {
    return fmt::format("{} (the closed set of {}: {}{})", Joined(d.types), d.param, d.trait,
                       d.left_out.empty()
                           ? ""
                           : fmt::format("; its generic impls for {} do not cross", Joined(d.left_out)));
  };
  if (more.empty()) return "instantiated for " + one(*this);
  std::vector<std::string> sets = {one(*this)};
  size_t combinations = types.size();
  for (const ClosedSetDecision& m : more) {
    sets.push_back(one(m));
    combinations *= m.types.size();
  }
  return fmt::format("instantiated for each of {} combinations of {}", combinations, fmt::join(sets, " and "));
}

ClosedSetDecision DecideClosedSet(const std::vector<ClosedParam>& params) {
  ClosedSetDecision d;
  if (params.empty()) {
    d.reason = "no type parameter to instantiate";
    return d;
  }
  // Every parameter must have a closed set: an open one decides first.
  for (const ClosedParam& p : params) {
    const ClosedBound* library = nullptr;
    std::vector<std::string> std_names;
    for (const ClosedBound& b : p.bounds) {
      if (b.kind == ClosedBound::Kind::kLibrary && library == nullptr) library = &b;
      if (b.kind == ClosedBound::Kind::kStd) std_names.push_back(b.trait);
    }
    if (library == nullptr) {
      for (const ClosedBound& b : p.bounds) {
        if (b.kind == ClosedBound::Kind::kOther) {
          d.reason = fmt::format("{}: its bound {} is not a trait the facade declares{}, so its set of types is unknown",
                                 p.name, b.trait, b.open);
          return d;
        }
      }
      d.reason = std_names.empty()
                     ? fmt::format("{} has no bound: its set of types is open", p.name)
                     : fmt::format("{} has only std bounds ({}): its set of types is open", p.name,
                                   fmt::join(std_names, " + "));
      return d;
    }
    for (const ClosedBound& b : p.bounds) {
      if (b.kind == ClosedBound::Kind::kLibrary && !b.open.empty()) {
        d.reason = fmt::format("{}: the set of types of {} is open: {}", p.name, b.trait, b.open);
        return d;
      }
    }
  }
  ClosedSetDecision first = DecideParam(params[0]);
  if (!first.ok()) return first;
  size_t combinations = first.types.size();
  std::vector<std::string> counts = {std::to_string(first.types.size())};
  for (size_t i = 1; i < params.size(); ++i) {
    ClosedSetDecision m = DecideParam(params[i]);
    if (!m.ok()) return m;
    combinations *= m.types.size();
    counts.push_back(std::to_string(m.types.size()));
    first.more.push_back(std::move(m));
  }
  if (combinations > kMaxClosedCombinations) {
    std::vector<std::string> names;
    for (const ClosedParam& p : params) names.push_back(p.name);
    d.reason = fmt::format("{}: their closed sets give {} = {} combinations, more than the {} rdylib instantiates per "
                           "item",
                           Joined(names), fmt::join(counts, " * "), combinations, kMaxClosedCombinations);
    return d;
  }
  return first;
}

namespace {

ClosedSetDecision DecideParam(const ClosedParam& p) {
  ClosedSetDecision d;
  if (p.maybe_unsized) {
    d.reason = fmt::format("{}: ?Sized parameters are not instantiated yet", p.name);
    return d;
  }
  for (const ClosedBound& b : p.bounds) {
    if (b.kind == ClosedBound::Kind::kOther) {
      d.reason = fmt::format("{}: its bound {} is not a trait the facade declares{}, so rdylib cannot tell which "
                             "types implement it",
                             p.name, b.trait, b.open);
      return d;
    }
  }
  const ClosedBound* host = nullptr;
  for (const ClosedBound& b : p.bounds) {
    if (b.kind == ClosedBound::Kind::kLibrary) {
      host = &b;
      break;
    }
  }
  std::vector<std::string> set;
  std::set<std::string> seen;
  for (const std::string& t : host->impls) {
    if (!seen.insert(t).second) continue;
    bool all = true;
    for (const ClosedBound& b : p.bounds) {
      if (b.kind == ClosedBound::Kind::kLibrary) all = all && Contains(b.impls, t);
    }
    if (all) set.push_back(t);
  }
  std::vector<std::string> kept;
  for (const std::string& t : set) {
    bool keep = true;
    for (const ClosedBound& b : p.bounds) {
      if (b.kind != ClosedBound::Kind::kStd) continue;
      if (Contains(b.unknown, t)) {
        d.reason = fmt::format("{}: rdylib cannot tell whether {} implements {}", p.name, t, b.trait);
        return d;
      }
      keep = keep && Contains(b.holds, t);
    }
    if (keep) kept.push_back(t);
  }
  if (kept.empty()) {
    d.reason = fmt::format("{}: no type the library implements {} for crosses and meets every bound", p.name,
                           host->trait);
    return d;
  }
  if (kept.size() > kMaxClosedSet) {
    d.reason = fmt::format("{}: its closed set has {} types, more than the {} rdylib instantiates per item", p.name,
                           kept.size(), kMaxClosedSet);
    return d;
  }
  d.param = p.name;
  d.trait = host->trait;
  d.left_out = host->left_out;
  d.types = std::move(kept);
  return d;
}

}  // namespace

int PrimitiveImplements(const std::string& prim, const std::string& name) {
  static const std::set<std::string> kSigned = {"i8", "i16", "i32", "i64", "i128", "isize"};
  static const std::set<std::string> kUnsigned = {"u8", "u16", "u32", "u64", "u128", "usize"};
  static const std::set<std::string> kFloat = {"f32", "f64"};
  bool is_signed = kSigned.count(prim) > 0;
  bool integer = is_signed || kUnsigned.count(prim) > 0;
  bool number = integer || kFloat.count(prim) > 0;
  if (!number && prim != "bool" && prim != "char") return -1;
  // Every number, bool and char.
  static const std::set<std::string> kAll = {
      "Clone", "Copy", "Debug", "Display", "Default", "PartialEq", "PartialOrd", "Send", "Sync",
      "Sized", "Unpin", "FromStr", "UnwindSafe", "RefUnwindSafe", "Any", "ToString", "ToOwned"};
  // Numbers.
  static const std::set<std::string> kArith = {
      "Add", "Sub", "Mul", "Div", "Rem", "AddAssign", "SubAssign", "MulAssign", "DivAssign", "RemAssign",
      "Sum", "Product", "LowerExp", "UpperExp"};
  // Integers, bool and char.
  static const std::set<std::string> kExact = {"Eq", "Ord", "Hash"};
  // Integers (and bool, except shifts and formats).
  static const std::set<std::string> kBits = {"Not", "BitAnd", "BitOr", "BitXor", "BitAndAssign",
                                              "BitOrAssign", "BitXorAssign"};
  static const std::set<std::string> kIntOnly = {"Shl", "Shr", "ShlAssign", "ShrAssign", "Binary",
                                                 "Octal", "LowerHex", "UpperHex"};
  if (kAll.count(name)) return 1;
  if (kArith.count(name)) return number ? 1 : 0;
  if (kExact.count(name)) return kFloat.count(prim) ? 0 : 1;
  if (kBits.count(name)) return integer || prim == "bool" ? 1 : 0;
  if (kIntOnly.count(name)) return integer ? 1 : 0;
  if (name == "Neg") return is_signed || kFloat.count(prim) ? 1 : 0;
  return -1;
}

}  // namespace rdylib::plan
