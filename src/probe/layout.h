// Measured layouts: what the probe stage learns from running code built by
// the real toolchain.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/diagnostic.h"

namespace rdylib::probe {

struct FieldOffset {
  std::string name;  // field name, or the position for tuple fields
  uint64_t offset = 0;
};

struct VariantTag {
  std::string variant;
  /// The tag's bytes read as a little-endian unsigned number; compare with
  /// rustdoc's discriminant modulo 2^(8 * size).
  std::string tag;
};

struct TypeLayout {
  std::string path;  // canonical public path
  uint64_t size = 0;
  uint64_t align = 0;
  bool needs_drop = false;
  /// No `UnsafeCell` in the type's own bytes (`core::marker::Freeze`).
  bool freeze = false;
  std::vector<FieldOffset> fields;  // public fields only
  std::vector<VariantTag> tags;     // fieldless enums only
};

/// A fact about a std type's layout, e.g. which word of a String holds the
/// capacity. Two toolchains may share such values only where their facts
/// are equal.
struct StdFact {
  std::string name;  // "String", "Vec<u64>", "Option<u64>", ...
  uint64_t size = 0;
  uint64_t align = 0;
  std::string shape;  // e.g. "C P L" (capacity, pointer, length words)

  bool operator==(const StdFact&) const = default;
};

/// A constant of one of the crate's types, as bytes.
struct ConstBytes {
  std::string path;
  std::string bytes;  // lowercase hex, memory order
  bool pointer_free = false;
};

/// A type the probe did not measure, with the reason.
struct Skipped {
  std::string path;
  std::string reason;
};

struct Layouts {
  std::string rustc_version;
  std::vector<TypeLayout> types;  // sorted by path
  std::vector<StdFact> std_facts; // sorted by name
  std::vector<Skipped> skipped;   // sorted by path
  std::vector<ConstBytes> consts; // sorted by path

  const ConstBytes* FindConst(std::string_view path) const;

  const TypeLayout* Find(std::string_view path) const;
  const StdFact* FindStd(std::string_view name) const;
  /// Why the type at `path` was not measured; nullptr when it was, or when
  /// the probe did not consider it.
  const Skipped* FindSkipped(std::string_view path) const;
};

/// Parses the probe program's output. `source` names it in diagnostics.
std::optional<Layouts> ParseProbeOutput(std::string_view json, const std::string& source,
                                        Diagnostics* diags);

/// Compares the std facts of two toolchains; one diagnostic per difference.
/// True when they all agree.
bool CompareStdFacts(const Layouts& a, const std::string& a_name, const Layouts& b,
                     const std::string& b_name, Diagnostics* diags);

/// Renders layouts as text, one type per line, for `rdylib probe`.
std::string WriteLayoutsText(const Layouts& layouts);

}  // namespace rdylib::probe
