//! rdylib's runtime inside a generated shim: panic capture, consumer
//! callbacks, wire strings and formatting with the caller's flags. Copied
//! verbatim into every shim.

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

/// Where the library's panic hook saw a panic raised.
struct Site {
    file: String,
    line: u32,
    column: u32,
}

/// This thread's guard: whether library code runs inside a thunk, and where
/// the last panic inside it was raised.
struct GuardState {
    active: std::cell::Cell<bool>,
    site: std::cell::Cell<Option<Site>>,
}

thread_local! {
    static GUARD: GuardState = const {
        GuardState {
            active: std::cell::Cell::new(false),
            site: std::cell::Cell::new(None),
        }
    };
}

/// Wraps the panic hook once so that a panic inside `guard` is not printed
/// here but its location is recorded: the facade resumes it on the caller's
/// side, where it is printed once, with this location. Panics elsewhere in
/// the library print as before.
fn quiet_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let recorded = GUARD
                .try_with(|g| {
                    if !g.active.get() {
                        return false;
                    }
                    g.site.set(info.location().map(|l| Site {
                        file: l.file().to_string(),
                        line: l.line(),
                        column: l.column(),
                    }));
                    true
                })
                .unwrap_or(false);
            if !recorded {
                previous(info);
            }
        }));
    });
}

/// Runs `f`, the library's side of one call; a panic becomes a `WirePanic`
/// that the facade resumes on the caller's side. Null means success.
/// A consumer panic that `rethrow` carried through the library's frames
/// comes back as `PANIC_CONSUMER`, with the consumer's own payload.
pub fn guard<F: FnOnce()>(f: F) -> *mut WirePanic {
    quiet_hook();
    // Nested guards (a callback that calls into the library again) keep
    // their own state; the outer one is restored afterwards.
    let outer = GUARD
        .try_with(|g| (g.active.replace(true), g.site.take()))
        .ok();
    let result = catch_unwind(AssertUnwindSafe(f));
    let site = match outer {
        Some((active, site)) => GUARD
            .try_with(|g| {
                g.active.set(active);
                g.site.replace(site)
            })
            .unwrap_or(None),
        None => None,
    };
    match result {
        Ok(()) => std::ptr::null_mut(),
        Err(payload) => caught(payload, site),
    }
}

/// A `WirePanic` and what its views borrow from, freed together.
#[repr(C)]
struct Caught {
    wire: WirePanic,
    _payload: Option<Box<dyn std::any::Any + Send>>,
    _site: Option<Site>,
}

fn caught(payload: Box<dyn std::any::Any + Send>, site: Option<Site>) -> *mut WirePanic {
    let (kind, message, parked, payload) = match payload.downcast::<ConsumerPanic>() {
        Ok(mut marker) => {
            // The parked payload goes back to the facade; the marker no
            // longer owns it.
            let parked = std::mem::replace(&mut marker.0, std::ptr::null_mut());
            (PANIC_CONSUMER, WireStr::from_str(""), parked, None)
        }
        Err(payload) => {
            let (kind, message) = payload_text(&*payload);
            (kind, message, std::ptr::null_mut(), Some(payload))
        }
    };
    let (file, line, column) = match &site {
        Some(s) => (WireStr::from_str(&s.file), s.line, s.column),
        None => (WireStr::from_str(""), 0, 0),
    };
    // The views point into the payload's and the site's heap blocks (or
    // static text), which moving them into the box does not move.
    let boxed = Box::new(Caught {
        wire: WirePanic {
            kind,
            message,
            file,
            line,
            column,
            parked,
        },
        _payload: payload,
        _site: site,
    });
    Box::into_raw(boxed) as *mut WirePanic
}

/// Frees a panic made by `guard`, with its payload.
///
/// # Safety
/// `p` must come from `guard` and be freed once.
pub unsafe fn free_panic(p: *mut WirePanic) {
    let caught = Box::from_raw(p as *mut Caught);
    // A payload's Drop is library code: a panic there must not unwind
    // into the facade. Its own payload is forgotten, not dropped.
    if let Err(again) = catch_unwind(AssertUnwindSafe(move || drop(caught))) {
        std::mem::forget(again);
    }
}

unsafe extern "C" fn free_panic_c(p: *mut WirePanic) {
    free_panic(p);
}

/// Hands an iterator whose items are already wire values to the other side:
/// boxed here, advanced and dropped by this side's `iter_next`/`iter_drop`.
pub fn wire_iter<'a, W: 'static, I: Iterator<Item = W> + 'a>(iter: I) -> WireIter<W> {
    let boxed: Box<Box<dyn Iterator<Item = W> + 'a>> = Box::new(Box::new(iter));
    WireIter {
        handle: Box::into_raw(boxed) as *mut std::ffi::c_void,
        next: iter_next::<W>,
        drop: iter_drop::<W>,
        free_panic: free_panic_c,
    }
}

unsafe extern "C" fn iter_next<W: 'static>(
    handle: *mut std::ffi::c_void,
    ret: *mut WireOption<W>,
) -> *mut WirePanic {
    guard(|| {
        // The borrow the iterator holds is the other side's to keep alive.
        let iter = &mut *(handle as *mut Box<dyn Iterator<Item = W>>);
        ret.write(match iter.next() {
            Some(x) => WireOption::some(x),
            None => WireOption::none(),
        });
    })
}

unsafe extern "C" fn iter_drop<W: 'static>(handle: *mut std::ffi::c_void) -> *mut WirePanic {
    guard(|| drop(Box::from_raw(handle as *mut Box<dyn Iterator<Item = W>>)))
}

/// A consumer panic on its way through the library's frames: the payload
/// that `rethrow` received, still parked on the consumer's side.
struct ConsumerPanic(*mut WireParked);

// The parked payload is `Send`; the library only moves the pointer.
unsafe impl Send for ConsumerPanic {}

impl Drop for ConsumerPanic {
    fn drop(&mut self) {
        // The library caught the consumer's panic and dropped it: the
        // consumer's side frees the payload, with its own allocator.
        if !self.0.is_null() {
            unsafe { ((*self.0).discard)(self.0) }
        }
    }
}

/// Continues after a consumer callback returned `parked`: null means it
/// returned normally; otherwise it panicked, and the library's frames unwind
/// (their destructors run, as if the consumer's panic unwound through them)
/// up to the thunk's guard, which hands the consumer's payload back. This
/// uses `resume_unwind`, so the library's hook does not print the panic:
/// the consumer's hook already did, where it was raised.
///
/// # Safety
/// `parked` must be null or what a facade callback (`rt::callback`) just
/// returned.
pub unsafe fn rethrow(parked: *mut WireParked) {
    if !parked.is_null() {
        std::panic::resume_unwind(Box::new(ConsumerPanic(parked)));
    }
}

/// `&mut` of a value that crosses as a wire form (an enum with data): rebuilt
/// from the caller's `slot`, lent to `f`, and written back to the slot
/// whether `f` returns or panics, so the slot holds a whole value after the
/// call either way; then `f`'s panic, if any, goes on to the guard.
///
/// # Safety
/// `slot` must hold a value made by the facade's `to_wire`; it is moved
/// out and replaced.
pub unsafe fn lend_mut<V, W, R>(
    slot: *mut W,
    from_wire: unsafe fn(W) -> V,
    to_wire: fn(V) -> W,
    f: impl FnOnce(&mut V) -> R,
) -> R {
    let mut value = from_wire(std::ptr::read(slot));
    let result = catch_unwind(AssertUnwindSafe(|| f(&mut value)));
    slot.write(to_wire(value));
    match result {
        Ok(r) => r,
        Err(payload) => std::panic::resume_unwind(payload),
    }
}

/// A Hasher that feeds every byte to the caller's own Hasher; a panic there
/// unwinds the library's frames and resumes on the caller's side.
pub struct CallbackHasher {
    pub state: *mut std::ffi::c_void,
    pub write: HashWrite,
}

impl std::hash::Hasher for CallbackHasher {
    fn write(&mut self, bytes: &[u8]) {
        unsafe { rethrow((self.write)(self.state, bytes.as_ptr(), bytes.len())) }
    }

    fn finish(&self) -> u64 {
        unreachable!("the caller's Hasher finishes, not this adapter")
    }
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

/// `Cow<[u8]>` into its wire form.
pub fn cow_bytes(c: std::borrow::Cow<'_, [u8]>) -> WireCowBytes {
    match c {
        std::borrow::Cow::Borrowed(s) => WireCowBytes {
            is_owned: 0,
            borrowed: WireSlice::from_slice(s),
            owned: std::mem::MaybeUninit::uninit(),
        },
        std::borrow::Cow::Owned(v) => WireCowBytes {
            is_owned: 1,
            borrowed: WireSlice::from_slice(&[]),
            owned: std::mem::MaybeUninit::new(WireVec::from_vec(v)),
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

/// A `&mut String` argument: the library works on its own copy of the
/// caller's contents, which is written back through the caller's setter when
/// this drops, after the call or while a panic unwinds.
pub struct StringWriteBack {
    pub value: String,
    dst: *mut u8,
    set: unsafe extern "C" fn(*mut u8, *const u8, usize),
}

impl StringWriteBack {
    /// # Safety
    /// `ptr` and `len` are the caller's UTF-8 contents; `set` writes to `dst`.
    pub unsafe fn new(
        ptr: *const u8,
        len: usize,
        dst: *mut u8,
        set: unsafe extern "C" fn(*mut u8, *const u8, usize),
    ) -> StringWriteBack {
        let text = std::str::from_utf8_unchecked(std::slice::from_raw_parts(ptr, len));
        StringWriteBack {
            value: text.to_string(),
            dst,
            set,
        }
    }
}

impl Drop for StringWriteBack {
    fn drop(&mut self) {
        // SAFETY: the caller's setter copies the bytes into its own String.
        unsafe { (self.set)(self.dst, self.value.as_ptr(), self.value.len()) }
    }
}

/// A `&mut [Box<dyn Trait>]` or `&mut Vec<Box<dyn Trait>>` argument
/// (docs/ABI.md, "Containers of trait objects"): the consumer's boxes, each
/// moved in through the facade's `take` as a box of an owning proxy, make the
/// library's own Vec. When this drops, after the call and also while the
/// library's panic unwinds, every box the library left in it goes back through
/// the facade's `put` as a handle, in order: swaps, replacements and (for a
/// Vec) pushes and pops are all seen, and each value stays owned by one side.
pub struct DynSlots<B> {
    pub value: Vec<B>,
    dst: *mut u8,
    put: unsafe extern "C" fn(*mut u8, usize, *mut std::ffi::c_void),
    handle: fn(B) -> *mut std::ffi::c_void,
}

impl<B> DynSlots<B> {
    /// # Safety
    /// `dst` is the facade's slice (or Vec) of `len` boxes; `take` moves box
    /// `i` out of it (a Vec's last box, when `from_back`), `put` writes one
    /// back (into slot `i`, or pushed).
    pub unsafe fn new<P>(
        dst: *mut u8,
        len: usize,
        from_back: bool,
        take: unsafe extern "C" fn(*mut u8, usize) -> P,
        make: fn(P) -> B,
        put: unsafe extern "C" fn(*mut u8, usize, *mut std::ffi::c_void),
        handle: fn(B) -> *mut std::ffi::c_void,
    ) -> DynSlots<B> {
        // The guard exists before the first box is taken, so every box taken
        // is put back whatever happens.
        let mut slots = DynSlots {
            value: Vec::with_capacity(len),
            dst,
            put,
            handle,
        };
        for i in 0..len {
            slots.value.push(make(take(dst, i)));
        }
        if from_back {
            slots.value.reverse();
        }
        slots
    }
}

impl<B> Drop for DynSlots<B> {
    fn drop(&mut self) {
        for (i, b) in self.value.drain(..).enumerate() {
            // SAFETY: slot `i` was taken (or, for a Vec, is the next push).
            unsafe { (self.put)(self.dst, i, (self.handle)(b)) }
        }
    }
}

/// A `&mut Vec<E>` argument of scalars, as `StringWriteBack` does it.
pub struct VecWriteBack<E: Copy> {
    pub value: Vec<E>,
    dst: *mut u8,
    set: unsafe extern "C" fn(*mut u8, *const E, usize),
}

impl<E: Copy> VecWriteBack<E> {
    /// # Safety
    /// `ptr` and `len` are the caller's elements; `set` writes to `dst`.
    pub unsafe fn new(
        ptr: *const E,
        len: usize,
        dst: *mut u8,
        set: unsafe extern "C" fn(*mut u8, *const E, usize),
    ) -> VecWriteBack<E> {
        let value = std::slice::from_raw_parts(ptr, len).to_vec();
        VecWriteBack { value, dst, set }
    }
}

impl<E: Copy> Drop for VecWriteBack<E> {
    fn drop(&mut self) {
        // SAFETY: the caller's setter copies the elements into its own Vec.
        unsafe { (self.set)(self.dst, self.value.as_ptr(), self.value.len()) }
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

/// A String field of an enum with data, going to the facade, which decides
/// by its own allocator verdict whether to take the buffer (mode 0).
pub fn owned_string_out(s: String) -> WireOwnedString {
    WireOwnedString::from_string(s, 0)
}

/// A String field of an enum with data, coming from the facade: taken over
/// when the facade said both sides share the allocator, else copied.
///
/// # Safety
/// `w` must come from the facade's `owned_string_out` or a view.
pub unsafe fn owned_string_in(w: WireOwnedString) -> String {
    let take = w.mode == 1;
    w.into_string(take)
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

/// A proxy that lives for the rest of the program, for a consumer value
/// lent as `&'static dyn Trait` (docs/ABI.md, "Vtables"): the library may
/// keep the reference, so the proxy is never freed. Interned by its type and
/// `key` (the value's cell and table), so lending the same value again
/// reuses it; a proxy holds only those two pointers, so reuse is always right.
pub fn intern_static<P: 'static>(key: [usize; 2], make: impl FnOnce() -> P) -> &'static P {
    use std::any::TypeId;
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static PROXIES: OnceLock<Mutex<HashMap<(TypeId, [usize; 2]), usize>>> = OnceLock::new();
    let mut proxies = PROXIES
        .get_or_init(|| Mutex::new(HashMap::new()))
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    let addr = *proxies
        .entry((TypeId::of::<P>(), key))
        .or_insert_with(|| Box::into_raw(Box::new(make())) as usize);
    // SAFETY: the box is never freed and holds a P (the key names P's type).
    unsafe { &*(addr as *const P) }
}

/// Writes the consumer's copy of a `&mut String` back into the library's
/// String (`dst`), for a vtable entry that took it (docs/ABI.md, "Vtables").
///
/// # Safety
/// `dst` is a `*mut String` of this side; `ptr` and `len` are UTF-8 bytes.
pub unsafe extern "C" fn set_string(dst: *mut u8, ptr: *const u8, len: usize) {
    let dst = &mut *(dst as *mut String);
    dst.clear();
    dst.push_str(std::str::from_utf8_unchecked(std::slice::from_raw_parts(
        ptr, len,
    )));
}

/// Writes the consumer's copy of a `&mut Vec<E>` back, as `set_string` does.
///
/// # Safety
/// `dst` is a `*mut Vec<E>` of this side; `ptr` and `len` are elements.
pub unsafe extern "C" fn set_vec<E: Copy>(dst: *mut u8, ptr: *const E, len: usize) {
    let dst = &mut *(dst as *mut Vec<E>);
    dst.clear();
    dst.extend_from_slice(std::slice::from_raw_parts(ptr, len));
}

/// How a vtable entry hands back a `Cow` (or `Option<Cow>`) the consumer
/// returned: `put(ret, tag, ptr, len)`, tag 0 None, 1 Borrowed, 2 Owned.
pub type PutCow = unsafe extern "C" fn(*mut std::ffi::c_void, u8, *const u8, usize);

/// `put` for `Option<Cow<str>>` (`ret` is a `*mut Option<Cow<str>>`):
/// borrowed text stays the consumer's, which the proxy's borrow keeps
/// alive; owned text is copied into a String of this side.
///
/// # Safety
/// `ptr` and `len` are UTF-8 bytes that live as long as the borrow of the
/// consumer's value (tag 1), or for the call (tag 2).
pub unsafe extern "C" fn put_cow_str(
    ret: *mut std::ffi::c_void,
    tag: u8,
    ptr: *const u8,
    len: usize,
) {
    let text = || std::str::from_utf8_unchecked(std::slice::from_raw_parts(ptr, len));
    *(ret as *mut Option<std::borrow::Cow<'static, str>>) = match tag {
        0 => None,
        1 => Some(std::borrow::Cow::Borrowed(text())),
        _ => Some(std::borrow::Cow::Owned(text().to_string())),
    };
}

/// `put` for `Option<Cow<[u8]>>`, as `put_cow_str` does it.
///
/// # Safety
/// As for `put_cow_str`.
pub unsafe extern "C" fn put_cow_bytes(
    ret: *mut std::ffi::c_void,
    tag: u8,
    ptr: *const u8,
    len: usize,
) {
    let bytes = || std::slice::from_raw_parts(ptr, len);
    *(ret as *mut Option<std::borrow::Cow<'static, [u8]>>) = match tag {
        0 => None,
        1 => Some(std::borrow::Cow::Borrowed(bytes())),
        _ => Some(std::borrow::Cow::Owned(bytes().to_vec())),
    };
}

/// `Cow<str>` into its wire form, a borrowed one copied: it may borrow from a
/// temporary of the call (a self the library rebuilt), which ends with it.
pub fn cow_str_copied(c: std::borrow::Cow<'_, str>) -> WireCowStr {
    cow_str(std::borrow::Cow::Owned(c.into_owned()))
}

/// `Cow<[u8]>` into its wire form, a borrowed one copied (see `cow_str_copied`).
pub fn cow_bytes_copied(c: std::borrow::Cow<'_, [u8]>) -> WireCowBytes {
    cow_bytes(std::borrow::Cow::Owned(c.into_owned()))
}

/// The consumer's text of a self view (docs/ABI.md, "Traits"), in place.
///
/// # Safety
/// `ptr` and `len` are UTF-8 bytes that outlive the call.
pub unsafe fn str_view(_tag: u8, ptr: *const u8, len: usize) -> &'static str {
    std::str::from_utf8_unchecked(std::slice::from_raw_parts(ptr, len))
}

/// The consumer's bytes of a self view, in place.
///
/// # Safety
/// `ptr` and `len` are bytes that outlive the call.
pub unsafe fn bytes_view(_tag: u8, ptr: *const u8, len: usize) -> &'static [u8] {
    std::slice::from_raw_parts(ptr, len)
}

/// A String self rebuilt for the call: a copy of the consumer's text.
///
/// # Safety
/// As for `str_view`.
pub unsafe fn string_view(tag: u8, ptr: *const u8, len: usize) -> String {
    str_view(tag, ptr, len).to_string()
}

/// A `Vec<u8>` self rebuilt for the call: a copy of the consumer's bytes.
///
/// # Safety
/// As for `bytes_view`.
pub unsafe fn vec_view(tag: u8, ptr: *const u8, len: usize) -> Vec<u8> {
    bytes_view(tag, ptr, len).to_vec()
}

/// A `Cow<str>` self rebuilt for the call: Borrowed (tag 0) borrows the
/// consumer's text in place; Owned (tag 1) is a copy.
///
/// # Safety
/// As for `str_view`.
pub unsafe fn cow_str_view(tag: u8, ptr: *const u8, len: usize) -> std::borrow::Cow<'static, str> {
    let s = str_view(tag, ptr, len);
    if tag == 0 {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(s.to_string())
    }
}

/// A `Cow<[u8]>` self rebuilt for the call, as `cow_str_view`.
///
/// # Safety
/// As for `bytes_view`.
pub unsafe fn cow_bytes_view(
    tag: u8,
    ptr: *const u8,
    len: usize,
) -> std::borrow::Cow<'static, [u8]> {
    let s = bytes_view(tag, ptr, len);
    if tag == 0 {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(s.to_vec())
    }
}

/// The facade's setter of a self view: `set(dst, tag, ptr, len)`.
pub type SetView = unsafe extern "C" fn(*mut u8, u8, *const u8, usize);

/// `&mut self` of a `&'a str` self: the library's copy of the reference,
/// written back through the facade's setter when it drops (after the call,
/// or while a panic unwinds) if the library pointed it elsewhere; it can
/// only point at text that lives as long (itself, a part of it, 'static).
pub struct StrRefBack {
    pub value: &'static str,
    dst: *mut u8,
    set: SetView,
}

impl StrRefBack {
    /// # Safety
    /// As for `str_view`; `set` writes to `dst`.
    pub unsafe fn new(
        tag: u8,
        ptr: *const u8,
        len: usize,
        dst: *mut u8,
        set: SetView,
    ) -> StrRefBack {
        StrRefBack {
            value: str_view(tag, ptr, len),
            dst,
            set,
        }
    }
}

impl Drop for StrRefBack {
    fn drop(&mut self) {
        // SAFETY: the facade's setter points its reference at these bytes.
        unsafe { (self.set)(self.dst, 0, self.value.as_ptr(), self.value.len()) }
    }
}

/// `&mut self` of a `&'a [u8]` self, as `StrRefBack`.
pub struct BytesRefBack {
    pub value: &'static [u8],
    dst: *mut u8,
    set: SetView,
}

impl BytesRefBack {
    /// # Safety
    /// As for `bytes_view`; `set` writes to `dst`.
    pub unsafe fn new(
        tag: u8,
        ptr: *const u8,
        len: usize,
        dst: *mut u8,
        set: SetView,
    ) -> BytesRefBack {
        BytesRefBack {
            value: bytes_view(tag, ptr, len),
            dst,
            set,
        }
    }
}

impl Drop for BytesRefBack {
    fn drop(&mut self) {
        // SAFETY: the facade's setter points its reference at these bytes.
        unsafe { (self.set)(self.dst, 0, self.value.as_ptr(), self.value.len()) }
    }
}

/// `&mut self` of a `Cow<'a, str>` self: rebuilt by `cow_str_view`, and
/// written back through the facade's setter when it drops if the library
/// changed it (another variant, another borrow, other owned text).
pub struct CowStrBack {
    pub value: std::borrow::Cow<'static, str>,
    tag: u8,
    ptr: *const u8,
    len: usize,
    dst: *mut u8,
    set: SetView,
}

impl CowStrBack {
    /// # Safety
    /// As for `str_view`; `set` writes to `dst`.
    pub unsafe fn new(
        tag: u8,
        ptr: *const u8,
        len: usize,
        dst: *mut u8,
        set: SetView,
    ) -> CowStrBack {
        CowStrBack {
            value: cow_str_view(tag, ptr, len),
            tag,
            ptr,
            len,
            dst,
            set,
        }
    }
}

impl Drop for CowStrBack {
    fn drop(&mut self) {
        // SAFETY: the consumer's value is borrowed mutably for the call, so
        // its bytes are still there to compare; the setter borrows or copies.
        unsafe {
            let before = std::slice::from_raw_parts(self.ptr, self.len);
            let (tag, same) = match &self.value {
                std::borrow::Cow::Borrowed(s) => (
                    0,
                    self.tag == 0 && s.as_ptr() == self.ptr && s.len() == self.len,
                ),
                std::borrow::Cow::Owned(s) => (1, self.tag == 1 && s.as_bytes() == before),
            };
            if !same {
                (self.set)(self.dst, tag, self.value.as_ptr(), self.value.len());
            }
        }
    }
}

/// `&mut self` of a `Cow<'a, [u8]>` self, as `CowStrBack`.
pub struct CowBytesBack {
    pub value: std::borrow::Cow<'static, [u8]>,
    tag: u8,
    ptr: *const u8,
    len: usize,
    dst: *mut u8,
    set: SetView,
}

impl CowBytesBack {
    /// # Safety
    /// As for `bytes_view`; `set` writes to `dst`.
    pub unsafe fn new(
        tag: u8,
        ptr: *const u8,
        len: usize,
        dst: *mut u8,
        set: SetView,
    ) -> CowBytesBack {
        CowBytesBack {
            value: cow_bytes_view(tag, ptr, len),
            tag,
            ptr,
            len,
            dst,
            set,
        }
    }
}

impl Drop for CowBytesBack {
    fn drop(&mut self) {
        // SAFETY: as for CowStrBack.
        unsafe {
            let before = std::slice::from_raw_parts(self.ptr, self.len);
            let (tag, same) = match &self.value {
                std::borrow::Cow::Borrowed(s) => (
                    0,
                    self.tag == 0 && s.as_ptr() == self.ptr && s.len() == self.len,
                ),
                std::borrow::Cow::Owned(s) => (1, self.tag == 1 && s.as_slice() == before),
            };
            if !same {
                (self.set)(self.dst, tag, self.value.as_ptr(), self.value.len());
            }
        }
    }
}

/// A `Vec<u8>` a consumer's closure returned: taken over or copied, as
/// `owned_string_in` does it.
///
/// # Safety
/// `w` must come from the facade's `owned_bytes_out`.
pub unsafe fn owned_bytes_in(w: WireOwnedString) -> Vec<u8> {
    let take = w.mode == 1;
    w.into_bytes(take)
}
