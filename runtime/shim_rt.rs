//! rdylib's runtime inside a generated shim: panic capture, wire strings and
//! formatting with the caller's flags. Copied verbatim into every shim.

use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};

pub use crate::rdylib_wire::*;

impl WireString {
    pub fn from_string(s: String) -> WireString {
        let mut s = std::mem::ManuallyDrop::new(s);
        WireString {
            ptr: s.as_mut_ptr(),
            len: s.len(),
            cap: s.capacity(),
        }
    }
}

/// Frees a WireString the library made, with the library's allocator.
///
/// # Safety
/// `s` must come from this library and be freed once.
pub unsafe fn free_string(s: WireString) {
    drop(String::from_raw_parts(s.ptr, s.len, s.cap));
}

thread_local! {
    static IN_GUARD: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Wraps the panic hook once so that a panic inside `guard` is not printed
/// here: the facade resumes it on the caller's side, where it is printed
/// once. Panics elsewhere in the library print as before.
fn quiet_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !IN_GUARD.with(|g| g.get()) {
                previous(info);
            }
        }));
    });
}

/// Runs `f`; a panic becomes a heap WireString holding its message, which
/// the facade resumes as a panic with the same message. Null means success.
pub fn guard<F: FnOnce()>(f: F) -> *mut WireString {
    quiet_hook();
    let was = IN_GUARD.with(|g| g.replace(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    IN_GUARD.with(|g| g.set(was));
    match result {
        Ok(()) => std::ptr::null_mut(),
        Err(payload) => {
            let message = if let Some(s) = payload.downcast_ref::<&str>() {
                s.to_string()
            } else if let Some(s) = payload.downcast_ref::<String>() {
                s.clone()
            } else {
                "Box<dyn Any>".to_string()
            };
            Box::into_raw(Box::new(WireString::from_string(message)))
        }
    }
}

/// Frees a panic message made by `guard`.
///
/// # Safety
/// `p` must come from `guard` and be freed once.
pub unsafe fn free_panic(p: *mut WireString) {
    free_string(*Box::from_raw(p));
}

// Rust's format strings take fill and flags only as literals, so each
// combination is one arm. A non-space fill is written as a placeholder
// character and replaced afterwards.
const FILL: char = '\u{10FFFF}';

// `$spec` is the fill-and-align prefix ("" or e.g. "\u{10FFFF}<"), `$ty` is
// "" for Display or "?" for Debug.
macro_rules! format_flags {
    ($v:expr, $f:expr, $spec:tt, $ty:tt) => {{
        let (w, p) = ($f.width, $f.precision);
        let sign = ($f.sign_plus != 0, $f.sign_minus != 0, $f.zero_pad != 0);
        let shape = ($f.alternate != 0, $f.has_width != 0, $f.has_precision != 0);
        match (sign, shape) {
            ((false, false, false), (false, false, false)) => {
                format!(concat!("{:", $spec, $ty, "}"), $v)
            }
            ((false, false, false), (false, true, false)) => {
                format!(concat!("{:", $spec, "w$", $ty, "}"), $v, w = w)
            }
            ((false, false, false), (false, false, true)) => {
                format!(concat!("{:", $spec, ".p$", $ty, "}"), $v, p = p)
            }
            ((false, false, false), (false, true, true)) => {
                format!(concat!("{:", $spec, "w$.p$", $ty, "}"), $v, w = w, p = p)
            }
            ((false, false, false), (true, false, false)) => {
                format!(concat!("{:", $spec, "#", $ty, "}"), $v)
            }
            ((false, false, false), (true, true, false)) => {
                format!(concat!("{:", $spec, "#w$", $ty, "}"), $v, w = w)
            }
            ((false, false, false), (true, false, true)) => {
                format!(concat!("{:", $spec, "#.p$", $ty, "}"), $v, p = p)
            }
            ((false, false, false), (true, true, true)) => {
                format!(concat!("{:", $spec, "#w$.p$", $ty, "}"), $v, w = w, p = p)
            }
            ((true, _, false), _) => format!(concat!("{:", $spec, "+", $ty, "}"), $v),
            ((_, true, false), _) => format!(concat!("{:", $spec, "-", $ty, "}"), $v),
            ((true, _, true), _) => format!(concat!("{:+0w$", $ty, "}"), $v, w = w),
            ((false, _, true), _) => format!(concat!("{:0w$", $ty, "}"), $v, w = w),
        }
    }};
}

fn finish(out: String, flags: &WireFlags) -> String {
    match char::from_u32(flags.fill) {
        Some(fill) if fill != FILL => out.replace(FILL, &fill.to_string()),
        _ => out,
    }
}

/// A Hasher that feeds every byte to the caller's own Hasher.
pub struct CallbackHasher {
    pub state: *mut std::ffi::c_void,
    pub write: unsafe extern "C" fn(*mut std::ffi::c_void, *const u8, usize),
}

impl std::hash::Hasher for CallbackHasher {
    fn write(&mut self, bytes: &[u8]) {
        unsafe { (self.write)(self.state, bytes.as_ptr(), bytes.len()) }
    }

    fn finish(&self) -> u64 {
        unreachable!("the caller's Hasher finishes, not this adapter")
    }
}

/// Formats `v` with Display and the caller's flags, as the caller's own
/// formatter would have.
pub fn display_with<T: fmt::Display + ?Sized>(v: &T, flags: &WireFlags) -> String {
    let out = match flags.align {
        1 => format_flags!(v, flags, "\u{10FFFF}<", ""),
        2 => format_flags!(v, flags, "\u{10FFFF}>", ""),
        3 => format_flags!(v, flags, "\u{10FFFF}^", ""),
        _ => format_flags!(v, flags, "", ""),
    };
    finish(out, flags)
}

/// As `display_with`, for Debug.
pub fn debug_with<T: fmt::Debug + ?Sized>(v: &T, flags: &WireFlags) -> String {
    let out = match flags.align {
        1 => format_flags!(v, flags, "\u{10FFFF}<", "?"),
        2 => format_flags!(v, flags, "\u{10FFFF}>", "?"),
        3 => format_flags!(v, flags, "\u{10FFFF}^", "?"),
        _ => format_flags!(v, flags, "", "?"),
    };
    finish(out, flags)
}

/// Frees a buffer the facade copied elements out of, with this library's
/// allocator.
///
/// # Safety
/// `ptr` must come from this library's allocator with this size and align.
pub unsafe fn free_buffer(ptr: *mut u8, bytes: usize, align: usize) {
    if bytes != 0 {
        std::alloc::dealloc(
            ptr,
            std::alloc::Layout::from_size_align_unchecked(bytes, align),
        );
    }
}

/// `Cow<str>` into its wire form.
pub fn cow_str(c: std::borrow::Cow<'_, str>) -> WireCowStr {
    match c {
        std::borrow::Cow::Borrowed(s) => WireCowStr {
            is_owned: 0,
            borrowed: WireStr::from_str(s),
            owned: std::mem::MaybeUninit::uninit(),
        },
        std::borrow::Cow::Owned(s) => WireCowStr {
            is_owned: 1,
            borrowed: WireStr::from_str(""),
            owned: std::mem::MaybeUninit::new(WireString::from_string(s)),
        },
    }
}

/// An error and its source chain as text.
pub fn error(e: &(dyn std::error::Error + 'static)) -> WireError {
    WireError {
        display: WireString::from_string(e.to_string()),
        debug: WireString::from_string(format!("{e:?}")),
        source: match e.source() {
            Some(s) => Box::into_raw(Box::new(error(s))),
            None => std::ptr::null_mut(),
        },
    }
}

/// Frees a WireError chain made by `error`.
///
/// # Safety
/// `e` must come from `error` and be freed once.
pub unsafe fn free_error(e: WireError) {
    free_string(e.display);
    free_string(e.debug);
    if !e.source.is_null() {
        free_error(*Box::from_raw(e.source));
    }
}

/// A String argument: taken over when the facade hands it over (`owned`,
/// which it sets only when both sides allocate with std's System), else
/// copied from the facade's, which the facade frees.
///
/// # Safety
/// The parts must come from the facade's `StringArg` for this call.
pub unsafe fn string_arg(ptr: *mut u8, len: usize, cap: usize, owned: u8) -> String {
    if owned == 1 {
        String::from_raw_parts(ptr, len, cap)
    } else {
        std::str::from_utf8_unchecked(std::slice::from_raw_parts(ptr, len)).to_string()
    }
}

/// A Vec argument, likewise: the elements move either way.
///
/// # Safety
/// The parts must come from the facade's `VecArg` for this call.
pub unsafe fn vec_arg<T>(ptr: *mut T, len: usize, cap: usize, owned: u8) -> Vec<T> {
    if owned == 1 {
        Vec::from_raw_parts(ptr, len, cap)
    } else {
        WireVec { ptr, len, cap: len }.copy_out()
    }
}

/// A Box argument, likewise: the value moves either way.
///
/// # Safety
/// `p` must come from the facade's `BoxArg` for this call.
pub unsafe fn box_arg<T>(p: *mut T, owned: u8) -> Box<T> {
    if owned == 1 {
        Box::from_raw(p)
    } else {
        Box::new(std::ptr::read(p))
    }
}
