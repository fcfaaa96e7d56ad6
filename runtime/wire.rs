//! The boundary's data shapes, the same in the shim and the facade.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::mem::{align_of, size_of};

/// A string owned by the library, handed to the facade, which copies it and
/// hands it back to `rdylib_free_string`.
#[repr(C)]
pub struct WireString {
    pub ptr: *mut u8,
    pub len: usize,
    pub cap: usize,
}

/// Why a thunk failed. A thunk returns null when the call returned, else a
/// pointer to one of these, made by the library and freed by the library's
/// `__free_panic` once the facade has read it.
#[repr(C)]
pub struct WirePanic {
    /// One of the `PANIC_*` kinds below.
    pub kind: u8,
    /// The payload's text (`PANIC_STATIC_STR`, `PANIC_STRING`; empty
    /// otherwise). For `PANIC_STATIC_STR` the bytes are the library's
    /// `&'static str` itself, valid as long as the library is loaded.
    pub message: WireStr,
    /// Where the library's panic hook saw the panic raised, on this thread
    /// and inside this call; an empty file when it did not see it (the
    /// payload came through `resume_unwind`, or from another thread).
    pub file: WireStr,
    pub line: u32,
    pub column: u32,
    /// `PANIC_CONSUMER`: the consumer's own panic, coming back.
    pub parked: *mut WireParked,
}

/// The library panicked with a `&'static str` payload.
pub const PANIC_STATIC_STR: u8 = 0;
/// The library panicked with a `String` payload.
pub const PANIC_STRING: u8 = 1;
/// The library panicked with a payload of another type, which cannot cross
/// (its type is the library's compiler's).
pub const PANIC_OTHER: u8 = 2;

/// A panic payload's kind and text: a `&'static str` or a `String` keeps
/// both, any other type only its kind. The text borrows from the payload.
pub fn payload_text(payload: &(dyn std::any::Any + Send)) -> (u8, WireStr) {
    if let Some(s) = payload.downcast_ref::<&'static str>() {
        (PANIC_STATIC_STR, WireStr::from_str(s))
    } else if let Some(s) = payload.downcast_ref::<String>() {
        (PANIC_STRING, WireStr::from_str(s))
    } else {
        (PANIC_OTHER, WireStr::from_str(""))
    }
}
/// A consumer callback panicked: the library's frames unwound, and the
/// consumer's payload, parked on its side (`parked`), resumes there.
pub const PANIC_CONSUMER: u8 = 3;

/// A panic caught in consumer code that the library called back (a Hasher,
/// a trait object, a closure). The payload stays on the consumer's side;
/// the library only carries this pointer back to the thunk's guard. If the
/// library drops it instead (it caught the panic itself), it calls
/// `discard`, and the consumer's side frees the payload. `kind` and
/// `message` describe the payload (`PANIC_STATIC_STR`, `PANIC_STRING` or
/// `PANIC_OTHER`) for a facade other than the one that parked it.
#[repr(C)]
pub struct WireParked {
    pub discard: unsafe extern "C" fn(*mut WireParked),
    pub kind: u8,
    pub message: WireStr,
}

/// The consumer's side of `Hash`: feeds bytes to the caller's Hasher. A
/// non-null result is the Hasher's panic, parked.
pub type HashWrite =
    unsafe extern "C" fn(*mut std::ffi::c_void, *const u8, usize) -> *mut WireParked;

/// A String that moves inside a wire form (a field of an enum with data):
/// its maker's buffer, how the receiver may take it, and the maker's free.
#[repr(C)]
pub struct WireOwnedString {
    pub ptr: *mut u8,
    pub len: usize,
    pub cap: usize,
    /// 0: made by the library; the facade decides by its own allocator
    /// verdict. 1: made by a facade that shares the library's allocator:
    /// taken over. 2: made by a facade that does not: copied, then freed
    /// with `free`. 3: a borrowed view: never freed, never grown.
    pub mode: u8,
    pub free: unsafe extern "C" fn(*mut u8, usize, usize),
}

impl WireOwnedString {
    /// `s`'s buffer, to be freed by this side's `free_owned_string`.
    pub fn from_string(s: String, mode: u8) -> WireOwnedString {
        let mut s = std::mem::ManuallyDrop::new(s);
        WireOwnedString {
            ptr: s.as_mut_ptr(),
            len: s.len(),
            cap: s.capacity(),
            mode,
            free: free_owned_string,
        }
    }

    /// A bitwise view of `s` (mode 3), which the receiver never frees.
    pub fn view(s: &String) -> WireOwnedString {
        WireOwnedString {
            ptr: s.as_ptr() as *mut u8,
            len: s.len(),
            cap: s.capacity(),
            mode: 3,
            free: free_owned_string,
        }
    }

    /// The receiver's String: the buffer itself when `take` (or a view),
    /// else a copy, and the maker's buffer is freed by the maker.
    ///
    /// # Safety
    /// `self` must come from the other side's `from_string` or `view`.
    pub unsafe fn into_string(self, take: bool) -> String {
        if take || self.mode == 3 {
            return String::from_raw_parts(self.ptr, self.len, self.cap);
        }
        let copy = std::str::from_utf8_unchecked(std::slice::from_raw_parts(self.ptr, self.len))
            .to_string();
        (self.free)(self.ptr, self.len, self.cap);
        copy
    }
}

impl WireOwnedString {
    /// A `Vec<u8>`'s buffer in the same parts (mode as for `from_string`).
    pub fn from_bytes(v: Vec<u8>, mode: u8) -> WireOwnedString {
        let mut v = std::mem::ManuallyDrop::new(v);
        WireOwnedString {
            ptr: v.as_mut_ptr(),
            len: v.len(),
            cap: v.capacity(),
            mode,
            free: free_owned_bytes,
        }
    }

    /// The receiver's `Vec<u8>`, as `into_string` does it.
    ///
    /// # Safety
    /// `self` must come from the other side's `from_bytes`.
    pub unsafe fn into_bytes(self, take: bool) -> Vec<u8> {
        if take || self.mode == 3 {
            return Vec::from_raw_parts(self.ptr, self.len, self.cap);
        }
        let copy = std::slice::from_raw_parts(self.ptr, self.len).to_vec();
        (self.free)(self.ptr, self.len, self.cap);
        copy
    }
}

/// Frees a `Vec<u8>` buffer made on this side.
///
/// # Safety
/// The parts must come from a `Vec<u8>` this side's allocator made.
pub unsafe extern "C" fn free_owned_bytes(ptr: *mut u8, len: usize, cap: usize) {
    drop(Vec::from_raw_parts(ptr, len, cap));
}

/// Frees a String buffer made on this side (each side compiles its own).
///
/// # Safety
/// The parts must come from a String this side's allocator made.
pub unsafe extern "C" fn free_owned_string(ptr: *mut u8, len: usize, cap: usize) {
    drop(String::from_raw_parts(ptr, len, cap));
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

/// One item's shape: the canonical text of everything a facade relies on
/// (a type's size, fields, tags, variants and traits; a constant's value).
#[repr(C)]
pub struct WireShape {
    pub path: WireStr,
    pub text: WireStr,
}

/// The shapes of every item the library exports, sorted by path.
#[repr(C)]
pub struct WireShapes {
    pub entries: *const WireShape,
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
    /// For the library's static tables.
    pub const fn from_static(s: &'static str) -> WireStr {
        WireStr {
            ptr: s.as_ptr(),
            len: s.len(),
        }
    }

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

/// A borrowed slice: pointer and length of elements both sides lay out alike.
#[repr(C)]
pub struct WireSlice<T> {
    pub ptr: *mut T,
    pub len: usize,
}

impl<T> WireSlice<T> {
    pub fn from_slice(s: &[T]) -> WireSlice<T> {
        WireSlice {
            ptr: s.as_ptr() as *mut T,
            len: s.len(),
        }
    }

    /// # Safety
    /// The elements must live for `'a`.
    pub unsafe fn as_slice<'a>(self) -> &'a [T] {
        std::slice::from_raw_parts(self.ptr, self.len)
    }

    /// # Safety
    /// The elements must live for `'a` and not be aliased.
    pub unsafe fn as_mut_slice<'a>(self) -> &'a mut [T] {
        std::slice::from_raw_parts_mut(self.ptr, self.len)
    }
}

/// An owned buffer of `len` elements (capacity `cap`) made by one side. The
/// other side copies the elements out and hands the buffer back to be freed
/// by its maker's allocator, without dropping the moved elements.
#[repr(C)]
pub struct WireVec<T> {
    pub ptr: *mut T,
    pub len: usize,
    pub cap: usize,
}

impl<T> WireVec<T> {
    pub fn from_vec(v: Vec<T>) -> WireVec<T> {
        let mut v = std::mem::ManuallyDrop::new(v);
        WireVec {
            ptr: v.as_mut_ptr(),
            len: v.len(),
            cap: v.capacity(),
        }
    }

    /// Moves the elements into a Vec of this side's allocator.
    ///
    /// # Safety
    /// `self` must hold `len` initialized elements; they are moved out.
    pub unsafe fn copy_out(&self) -> Vec<T> {
        let mut out = Vec::with_capacity(self.len);
        std::ptr::copy_nonoverlapping(self.ptr, out.as_mut_ptr(), self.len);
        out.set_len(self.len);
        out
    }

    /// The buffer's size and alignment in bytes, for freeing it.
    pub fn bytes(&self) -> (usize, usize) {
        (
            self.cap * std::mem::size_of::<T>(),
            std::mem::align_of::<T>(),
        )
    }
}

/// `Cow<str>` at the boundary: borrowed text, or an owned copy to take.
#[repr(C)]
pub struct WireCowStr {
    pub is_owned: u8,
    pub borrowed: WireStr,
    pub owned: std::mem::MaybeUninit<WireString>,
}

/// `Cow<[u8]>` at the boundary, as `WireCowStr` does it for `Cow<str>`.
#[repr(C)]
pub struct WireCowBytes {
    pub is_owned: u8,
    pub borrowed: WireSlice<u8>,
    pub owned: std::mem::MaybeUninit<WireVec<u8>>,
}

/// An error as text, for `Box<dyn Error + Send + Sync>`: its Display and
/// Debug, and its source chain.
#[repr(C)]
pub struct WireError {
    pub display: WireString,
    pub debug: WireString,
    pub source: *mut WireError,
}

/// A pair at the boundary.
#[repr(C)]
pub struct WireTuple2<A, B>(pub A, pub B);

/// A triple at the boundary.
#[repr(C)]
pub struct WireTuple3<A, B, C>(pub A, pub B, pub C);

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

/// An iterator one side made (`impl Iterator<Item = X>`), each item already
/// in its wire form `W`: the maker's boxed iterator and the maker's functions
/// that advance it, drop it and free a panic either raised.
#[repr(C)]
pub struct WireIter<W> {
    pub handle: *mut std::ffi::c_void,
    pub next: unsafe extern "C" fn(*mut std::ffi::c_void, *mut WireOption<W>) -> *mut WirePanic,
    pub drop: unsafe extern "C" fn(*mut std::ffi::c_void) -> *mut WirePanic,
    pub free_panic: unsafe extern "C" fn(*mut WirePanic),
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

/// The address of a cell that holds `fat`, the bytes of a pointer to a
/// trait object, for the rest of the program: a `&dyn Trait` the library
/// lends (the consumer's borrow may end at any time without telling the
/// library), or one the consumer lends for `'static`. Cells are interned, one
/// for each distinct pointer; a cell's bytes never change, so reusing it is
/// always right.
pub fn intern_fat(fat: [usize; 2]) -> *mut std::ffi::c_void {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static CELLS: OnceLock<Mutex<HashMap<[usize; 2], usize>>> = OnceLock::new();
    let mut cells = CELLS
        .get_or_init(|| Mutex::new(HashMap::new()))
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    *cells
        .entry(fat)
        .or_insert_with(|| Box::into_raw(Box::new(fat)) as usize) as *mut std::ffi::c_void
}

/// `intern_fat` of any pointer (thin, or fat with one word of metadata):
/// the cell starts with the pointer's bytes, so it reads as a `*mut D`.
pub fn intern_ptr<D: ?Sized>(p: *mut D) -> *mut std::ffi::c_void {
    assert!(size_of::<*mut D>() <= size_of::<[usize; 2]>());
    let mut fat = [0usize; 2];
    // SAFETY: copies the pointer's own bytes into a buffer at least as large.
    unsafe {
        std::ptr::copy_nonoverlapping(
            &p as *const *mut D as *const u8,
            fat.as_mut_ptr() as *mut u8,
            size_of::<*mut D>(),
        )
    };
    intern_fat(fat)
}

// The std layout facts: which word of a std value holds what. The probe
// records them per toolchain; the facade compares its own with the
// library's at first use.

/// The value's bytes as little-endian words; only called on values whose
/// bytes are all initialized (fieldless enums, std types the probe built).
pub fn words_of<T>(v: &T) -> Vec<u64> {
    let bytes = unsafe { std::slice::from_raw_parts(v as *const T as *const u8, size_of::<T>()) };
    bytes
        .chunks(8)
        .map(|c| c.iter().rev().fold(0u64, |acc, b| (acc << 8) | *b as u64))
        .collect()
}

/// Names each word: `names` maps known values to letters, others print as hex.
pub fn shape(words: &[u64], names: &[(u64, &str)]) -> String {
    let parts: Vec<String> = words
        .iter()
        .map(|w| match names.iter().find(|(v, _)| v == w) {
            Some((_, n)) => n.to_string(),
            None => format!("{w:#x}"),
        })
        .collect();
    parts.join(" ")
}

pub fn std_entry<T>(out: &mut String, name: &str, shape: String) {
    if !out.ends_with('[') {
        out.push(',');
    }
    let _ = write!(
        out,
        "\n{{\"name\": \"{name}\", \"size\": {}, \"align\": {}, \"shape\": \"{shape}\"}}",
        size_of::<T>(),
        align_of::<T>()
    );
}

/// The std layout facts: which word holds what.
pub fn std_facts(out: &mut String) {
    let mut s = String::with_capacity(17);
    s.push_str("abc");
    let sp = s.as_ptr() as u64;
    std_entry::<String>(
        out,
        "String",
        shape(&words_of(&s), &[(sp, "P"), (17, "C"), (3, "L")]),
    );

    let mut v: Vec<u64> = Vec::with_capacity(17);
    v.extend([7, 8, 9]);
    let vp = v.as_ptr() as u64;
    std_entry::<Vec<u64>>(
        out,
        "Vec<u64>",
        shape(&words_of(&v), &[(vp, "P"), (17, "C"), (3, "L")]),
    );

    // Only the payload's place is read: the bytes around it may be padding.
    let o: Option<u64> = Some(5);
    let payload = match &o {
        Some(x) => x as *const u64 as usize - &o as *const Option<u64> as usize,
        None => unreachable!(),
    };
    // The tag's first byte is initialized in both variants.
    let tag = |o: &Option<u64>| unsafe { *(o as *const Option<u64> as *const u8) };
    let (some, none) = (tag(&o), tag(&None));
    std_entry::<Option<u64>>(
        out,
        "Option<u64>",
        format!("payload@{payload} some={some} none={none}"),
    );

    // Option<String>: Some(s) must be s's own words, and None the same
    // niche value in the capacity's word. Only that word of None is read:
    // the others may be copies of uninitialized bytes.
    let mut some_text = String::with_capacity(13);
    some_text.push_str("ab");
    let sp2 = some_text.as_ptr() as u64;
    let some: Option<String> = Some(some_text);
    let some_words = words_of(&some);
    let cap_word = some_words.iter().position(|w| *w == 13).unwrap_or(0);
    let mut none_words = [0u64; 8];
    unsafe { std::ptr::write(none_words.as_mut_ptr() as *mut Option<String>, None) };
    std_entry::<Option<String>>(
        out,
        "Option<String>",
        format!(
            "some [{}] none C={:#x}",
            shape(&some_words, &[(sp2, "P"), (13, "C"), (2, "L")]),
            none_words[cap_word]
        ),
    );

    let text: &'static str = "borrowed";
    let borrowed: Cow<'static, str> = Cow::Borrowed(text);
    let bp = text.as_ptr() as u64;
    let mut owned_text = String::with_capacity(19);
    owned_text.push_str("abc");
    let owned: Cow<'static, str> = Cow::Owned(owned_text);
    let op = match &owned {
        Cow::Owned(o) => o.as_ptr() as u64,
        Cow::Borrowed(_) => unreachable!(),
    };
    let cap = match &owned {
        Cow::Owned(o) => o.capacity() as u64,
        Cow::Borrowed(_) => unreachable!(),
    };
    std_entry::<Cow<'static, str>>(
        out,
        "Cow<str>",
        format!(
            "borrowed [{}] owned [{}]",
            shape(&words_of(&borrowed), &[(bp, "P"), (8, "L")]),
            shape(&words_of(&owned), &[(op, "P"), (cap, "C"), (3, "L")])
        ),
    );

    // &str and &[T]: a pointer and a length, in an order Rust does not promise.
    let text: &str = "abcde";
    let tp = text.as_ptr() as u64;
    std_entry::<&str>(out, "&str", shape(&words_of(&text), &[(tp, "P"), (5, "L")]));
    let nums: &[u64] = &[7, 8, 9];
    let np = nums.as_ptr() as u64;
    std_entry::<&[u64]>(
        out,
        "&[u64]",
        shape(&words_of(&nums), &[(np, "P"), (3, "L")]),
    );

    // 128-bit integers: aligned to 16 since rustc 1.77, to 8 before. Their
    // slices are read in place, so both sides must agree (u128 with i128).
    std_entry::<i128>(
        out,
        "i128",
        format!(
            "u128 size {} align {}",
            size_of::<u128>(),
            align_of::<u128>()
        ),
    );

    // Rc<u64> and Arc<u64>: the two words before the value (where into_raw
    // points) with strong count 3 and weak count 4 (stored as 5: the strong
    // ones hold one weak between them). Only an Rc/Arc whose value is
    // aligned to 8 at most relies on this (no padding before the value).
    let rc = std::rc::Rc::new(7u64);
    let rcs = (rc.clone(), rc.clone());
    let rc_weak: Vec<std::rc::Weak<u64>> = (0..4).map(|_| std::rc::Rc::downgrade(&rc)).collect();
    let rp = std::rc::Rc::as_ptr(&rc);
    let rc_words = unsafe { [*(rp as *const usize).sub(2), *(rp as *const usize).sub(1)] };
    let rc_words: Vec<u64> = rc_words.iter().map(|w| *w as u64).collect();
    std_entry::<std::rc::Rc<u64>>(
        out,
        "Rc<u64>",
        format!("[{} value]", shape(&rc_words, &[(3, "S"), (5, "W")])),
    );
    drop((rcs, rc_weak));
    let arc = std::sync::Arc::new(7u64);
    let arcs = (arc.clone(), arc.clone());
    let arc_weak: Vec<std::sync::Weak<u64>> =
        (0..4).map(|_| std::sync::Arc::downgrade(&arc)).collect();
    let ap = std::sync::Arc::as_ptr(&arc);
    let arc_words = unsafe { [*(ap as *const usize).sub(2), *(ap as *const usize).sub(1)] };
    let arc_words: Vec<u64> = arc_words.iter().map(|w| *w as u64).collect();
    std_entry::<std::sync::Arc<u64>>(
        out,
        "Arc<u64>",
        format!("[{} value]", shape(&arc_words, &[(3, "S"), (5, "W")])),
    );
    drop((arcs, arc_weak));

    let captured = 11u64;
    let f: Box<dyn Fn() -> u64> = Box::new(move || captured);
    let data = &*f as *const dyn Fn() -> u64 as *const () as u64;
    // The data pointer is known; the other word is the vtable pointer.
    let words: Vec<&str> = words_of(&f)
        .iter()
        .map(|w| if *w == data { "D" } else { "V" })
        .collect();
    std_entry::<Box<dyn Fn() -> u64>>(out, "Box<dyn Fn()>", words.join(" "));
}

// Format flags, read on one side and applied on the other (both ways:
// the library's Display with the consumer's flags, and the consumer's
// Display, through an erased bound, with the library's).

impl WireFlags {
    pub fn of(f: &std::fmt::Formatter<'_>) -> WireFlags {
        WireFlags {
            fill: f.fill() as u32,
            align: match f.align() {
                None => 0,
                Some(std::fmt::Alignment::Left) => 1,
                Some(std::fmt::Alignment::Right) => 2,
                Some(std::fmt::Alignment::Center) => 3,
            },
            alternate: f.alternate() as u8,
            sign_plus: f.sign_plus() as u8,
            sign_minus: f.sign_minus() as u8,
            zero_pad: f.sign_aware_zero_pad() as u8,
            has_width: f.width().is_some() as u8,
            has_precision: f.precision().is_some() as u8,
            width: f.width().unwrap_or(0),
            precision: f.precision().unwrap_or(0),
        }
    }
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

/// Formats `v` with Display and the caller's flags, as the caller's own
/// formatter would have.
pub fn display_with<T: std::fmt::Display + ?Sized>(v: &T, flags: &WireFlags) -> String {
    let out = match flags.align {
        1 => format_flags!(v, flags, "\u{10FFFF}<", ""),
        2 => format_flags!(v, flags, "\u{10FFFF}>", ""),
        3 => format_flags!(v, flags, "\u{10FFFF}^", ""),
        _ => format_flags!(v, flags, "", ""),
    };
    finish(out, flags)
}

/// As `display_with`, for Debug.
pub fn debug_with<T: std::fmt::Debug + ?Sized>(v: &T, flags: &WireFlags) -> String {
    let out = match flags.align {
        1 => format_flags!(v, flags, "\u{10FFFF}<", "?"),
        2 => format_flags!(v, flags, "\u{10FFFF}>", "?"),
        3 => format_flags!(v, flags, "\u{10FFFF}^", "?"),
        _ => format_flags!(v, flags, "", "?"),
    };
    finish(out, flags)
}

// std's small error and category types (docs/ABI.md, "std error and
// category values"): their fields are private or their layout is each std's
// own, so a value crosses as a one-byte code. Each code stands for a
// *witness*, a std operation that yields exactly that kind of value; the
// sender finds the witness its value equals, the receiver runs the same
// operation in its own std. A value that equals no witness (a kind a newer
// std added) is sent as `STD_WIRE_UNKNOWN`, and the receiver refuses it by
// name: never a value of another kind.

/// The code of a value that equals none of its type's witnesses.
pub const STD_WIRE_UNKNOWN: u8 = 255;

fn std_wire_code<T: PartialEq>(value: &T, witnesses: &[fn() -> T]) -> u8 {
    witnesses
        .iter()
        .position(|w| w() == *value)
        .map_or(STD_WIRE_UNKNOWN, |i| i as u8)
}

fn std_wire_value<T>(code: u8, witnesses: &[fn() -> T], name: &str) -> T {
    match witnesses.get(code as usize) {
        Some(w) => w(),
        None => panic!(
            "rdylib: a {} of a kind this side's std cannot make crossed the boundary \
             (code {}); it cannot be rebuilt",
            name, code
        ),
    }
}

macro_rules! std_wire {
    ($to:ident, $from:ident, $t:ty, $name:expr, [$($w:expr),+ $(,)?]) => {
        fn $to() -> Vec<fn() -> $t> {
            vec![$($w),+]
        }
        pub fn $from(code: u8) -> $t {
            std_wire_value(code, &$to(), $name)
        }
    };
}

// The codes are the witnesses' positions: appending is compatible, any other
// change bumps the ABI version.
std_wire!(
    parse_int_error_witnesses,
    from_wire_parse_int_error,
    core::num::ParseIntError,
    "core::num::ParseIntError",
    [
        || "".parse::<u8>().unwrap_err(),                    // Empty
        || "x".parse::<u8>().unwrap_err(),                   // InvalidDigit
        || "256".parse::<u8>().unwrap_err(),                 // PosOverflow
        || "-129".parse::<i8>().unwrap_err(),                // NegOverflow
        || "0".parse::<core::num::NonZeroU8>().unwrap_err(), // Zero
    ]
);
std_wire!(
    parse_float_error_witnesses,
    from_wire_parse_float_error,
    core::num::ParseFloatError,
    "core::num::ParseFloatError",
    [
        || "".parse::<f64>().unwrap_err(),  // empty
        || "x".parse::<f64>().unwrap_err(), // invalid
    ]
);
std_wire!(
    fp_category_witnesses,
    from_wire_fp_category,
    core::num::FpCategory,
    "core::num::FpCategory",
    [
        || core::num::FpCategory::Nan,
        || core::num::FpCategory::Infinite,
        || core::num::FpCategory::Zero,
        || core::num::FpCategory::Subnormal,
        || core::num::FpCategory::Normal,
    ]
);
std_wire!(
    try_from_int_error_witnesses,
    from_wire_try_from_int_error,
    core::num::TryFromIntError,
    "core::num::TryFromIntError",
    [|| <u8 as core::convert::TryFrom<u16>>::try_from(256).unwrap_err(),]
);
std_wire!(
    parse_bool_error_witnesses,
    from_wire_parse_bool_error,
    core::str::ParseBoolError,
    "core::str::ParseBoolError",
    [|| "x".parse::<bool>().unwrap_err(),]
);
std_wire!(
    parse_char_error_witnesses,
    from_wire_parse_char_error,
    core::char::ParseCharError,
    "core::char::ParseCharError",
    [
        || "".parse::<char>().unwrap_err(),   // empty
        || "ab".parse::<char>().unwrap_err(), // too many chars
    ]
);
std_wire!(
    char_try_from_error_witnesses,
    from_wire_char_try_from_error,
    core::char::CharTryFromError,
    "core::char::CharTryFromError",
    [|| <char as core::convert::TryFrom<u32>>::try_from(0xD800).unwrap_err(),]
);

std_wire!(
    ordering_witnesses,
    from_wire_ordering,
    core::cmp::Ordering,
    "core::cmp::Ordering",
    [
        || core::cmp::Ordering::Less,
        || core::cmp::Ordering::Equal,
        || core::cmp::Ordering::Greater,
    ]
);

pub fn to_wire_parse_int_error(v: &core::num::ParseIntError) -> u8 {
    std_wire_code(v, &parse_int_error_witnesses())
}
pub fn to_wire_parse_float_error(v: &core::num::ParseFloatError) -> u8 {
    std_wire_code(v, &parse_float_error_witnesses())
}
pub fn to_wire_fp_category(v: &core::num::FpCategory) -> u8 {
    std_wire_code(v, &fp_category_witnesses())
}
pub fn to_wire_try_from_int_error(v: &core::num::TryFromIntError) -> u8 {
    std_wire_code(v, &try_from_int_error_witnesses())
}
pub fn to_wire_parse_bool_error(v: &core::str::ParseBoolError) -> u8 {
    std_wire_code(v, &parse_bool_error_witnesses())
}
pub fn to_wire_parse_char_error(v: &core::char::ParseCharError) -> u8 {
    std_wire_code(v, &parse_char_error_witnesses())
}
pub fn to_wire_char_try_from_error(v: &core::char::CharTryFromError) -> u8 {
    std_wire_code(v, &char_try_from_error_witnesses())
}
pub fn to_wire_ordering(v: &core::cmp::Ordering) -> u8 {
    std_wire_code(v, &ordering_witnesses())
}

// A Mutex or RwLock moved across the boundary (docs/ABI.md, "std generic
// types"): its value and whether it was poisoned, rebuilt on the other side
// by that side's std, poisoned again if it was.

/// A Mutex's value and its poison flag (1: poisoned).
pub fn mutex_parts<T>(m: std::sync::Mutex<T>) -> (u8, T) {
    match m.into_inner() {
        Ok(v) => (0, v),
        Err(e) => (1, e.into_inner()),
    }
}

/// A Mutex around `v`, poisoned when `poisoned` is 1: a guard dropped while
/// this thread unwinds poisons it, as a panic in the owner's code did.
/// `resume_unwind` runs no panic hook, so nothing is printed.
pub fn mutex_rebuilt<T>(v: T, poisoned: u8) -> std::sync::Mutex<T> {
    let m = std::sync::Mutex::new(v);
    if poisoned == 1 {
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _guard = m.lock();
            std::panic::resume_unwind(Box::new(()));
        }));
    }
    m
}

/// An RwLock's value and its poison flag (1: poisoned).
pub fn rwlock_parts<T>(l: std::sync::RwLock<T>) -> (u8, T) {
    match l.into_inner() {
        Ok(v) => (0, v),
        Err(e) => (1, e.into_inner()),
    }
}

/// An RwLock around `v`, poisoned again by a write guard dropped while
/// unwinding when `poisoned` is 1.
pub fn rwlock_rebuilt<T>(v: T, poisoned: u8) -> std::sync::RwLock<T> {
    let l = std::sync::RwLock::new(v);
    if poisoned == 1 {
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _guard = l.write();
            std::panic::resume_unwind(Box::new(()));
        }));
    }
    l
}
