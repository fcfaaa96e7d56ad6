// The boundary forms of arguments and returns: one definition per form, from
// which the shim's parameters, the facade's fn-pointer types, the facade's
// argument expressions and both sides' conversions are all derived.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "plan/abi_value.h"

namespace rdylib::emit {

/// One C-ABI parameter of an argument's boundary form. The shim's and the
/// facade's types name the same layout on each side.
struct Slot {
  std::string suffix;       // appended to the parameter's name: "", "_ptr", "_len", ...
  std::string shim_type;    // its Rust type in the shim
  std::string facade_type;  // and in the facade's fn-pointer type
  std::string facade_expr;  // the facade's value for it, after `facade_prepare`
};

/// How one argument crosses: its slots, the facade's preparation, and the
/// expression that rebuilds the library's value from the slots.
struct ArgumentForm {
  std::vector<Slot> slots;
  std::string facade_prepare;  // a statement run before the call, or ""
  std::string shim_value;

  /// `text_ptr: *const u8, text_len: usize` for parameter `name`.
  std::string ShimParams(const std::string& name) const;
  /// `*const u8, usize`.
  std::string FacadeTypes() const;
  /// `text.as_ptr(), text.len()`.
  std::string FacadeArgs() const;
};

/// The form of argument `name` of boundary value `v` (any kind Classify
/// gives an argument).
ArgumentForm ArgForm(const std::string& name, const plan::AbiValue& v);

/// How a return value crosses: the type written into `ret` on each side and
/// the two conversions, from the library's value and into the facade's.
struct ReturnForm {
  std::string shim_wire;
  std::string facade_wire;
  std::function<std::string(const std::string&)> shim_to_wire;
  std::function<std::string(const std::string&)> facade_from_wire;
};

/// The form of a return value (or of a part of one) of boundary value `v`.
ReturnForm RetForm(const plan::AbiValue& v);

}  // namespace rdylib::emit
