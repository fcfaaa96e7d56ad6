//! The boundary's data shapes, the same in the shim and the facade.

/// A string owned by the library, handed to the facade, which copies it and
/// hands it back to `rdylib_free_string`.
#[repr(C)]
pub struct WireString {
    pub ptr: *mut u8,
    pub len: usize,
    pub cap: usize,
}

/// The caller's format flags, as `std::fmt::Formatter` reports them.
#[repr(C)]
pub struct WireFlags {
    pub fill: u32,
    /// 0 none, 1 left, 2 right, 3 center.
    pub align: u8,
    pub alternate: u8,
    pub sign_plus: u8,
    pub sign_minus: u8,
    pub zero_pad: u8,
    pub has_width: u8,
    pub has_precision: u8,
    pub width: usize,
    pub precision: usize,
}

/// One type's layout as the library measures it, for the check at first use.
#[repr(C)]
pub struct WireLayout {
    pub path: *const u8,
    pub path_len: usize,
    pub size: usize,
    pub align: usize,
    pub needs_drop: u8,
    pub offsets: *const usize,
    pub offsets_len: usize,
}

/// The layouts the library was built with.
#[repr(C)]
pub struct WireLayouts {
    pub entries: *const WireLayout,
    pub len: usize,
}


/// A borrowed string: pointer and length of bytes both sides can read.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct WireStr {
    pub ptr: *const u8,
    pub len: usize,
}

impl WireStr {
    pub fn from_str(s: &str) -> WireStr {
        WireStr {
            ptr: s.as_ptr(),
            len: s.len(),
        }
    }

    /// # Safety
    /// The bytes must be UTF-8 and live for `'a`.
    pub unsafe fn as_str<'a>(self) -> &'a str {
        std::str::from_utf8_unchecked(std::slice::from_raw_parts(self.ptr, self.len))
    }
}

/// `Option<T>` at the boundary: a tag byte, then the value's place.
#[repr(C)]
pub struct WireOption<T> {
    pub is_some: u8,
    pub value: std::mem::MaybeUninit<T>,
}

impl<T> WireOption<T> {
    pub fn some(v: T) -> WireOption<T> {
        WireOption {
            is_some: 1,
            value: std::mem::MaybeUninit::new(v),
        }
    }

    pub fn none() -> WireOption<T> {
        WireOption {
            is_some: 0,
            value: std::mem::MaybeUninit::uninit(),
        }
    }

    /// # Safety
    /// `self` must have been made by `some` or `none`.
    pub unsafe fn into_option(self) -> Option<T> {
        if self.is_some != 0 {
            Some(self.value.assume_init())
        } else {
            None
        }
    }
}

/// `Result<T, E>` at the boundary: a tag byte, then both places.
#[repr(C)]
pub struct WireResult<T, E> {
    pub is_ok: u8,
    pub ok: std::mem::MaybeUninit<T>,
    pub err: std::mem::MaybeUninit<E>,
}

impl<T, E> WireResult<T, E> {
    pub fn ok(v: T) -> WireResult<T, E> {
        WireResult {
            is_ok: 1,
            ok: std::mem::MaybeUninit::new(v),
            err: std::mem::MaybeUninit::uninit(),
        }
    }

    pub fn err(e: E) -> WireResult<T, E> {
        WireResult {
            is_ok: 0,
            ok: std::mem::MaybeUninit::uninit(),
            err: std::mem::MaybeUninit::new(e),
        }
    }

    /// # Safety
    /// `self` must have been made by `ok` or `err`.
    pub unsafe fn into_result(self) -> Result<T, E> {
        if self.is_ok != 0 {
            Ok(self.ok.assume_init())
        } else {
            Err(self.err.assume_init())
        }
    }
}
