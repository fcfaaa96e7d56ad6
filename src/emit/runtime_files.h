// The Rust runtime files copied into every generated crate (runtime/*.rs).
#pragma once

#include <string_view>

namespace rdylib::emit {

/// runtime/shim_rt.rs: panic capture, consumer callbacks, formatting with flags, hashing.
std::string_view ShimRuntime();
/// runtime/facade_rt.rs: loading and checking the library, panics, callbacks, strings.
std::string_view FacadeRuntime();
/// runtime/wire.rs: the boundary's data shapes, shared by both.
std::string_view WireRuntime();

}  // namespace rdylib::emit
