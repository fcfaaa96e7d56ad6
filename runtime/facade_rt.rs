//! rdylib's runtime inside a generated facade: loads the library once,
//! checks that it is the one this facade was generated for, carries strings
//! and panics back from it, and guards the consumer code it calls back.
//! Copied verbatim into every facade.

use std::ffi::{c_char, c_int, c_void, CStr, CString};
use std::fmt;

pub use crate::rdylib_wire::*;

/// A type's layout as this facade was generated for.
pub struct Expected {
    pub path: &'static str,
    pub size: usize,
    pub align: usize,
    pub needs_drop: bool,
    pub offsets: &'static [usize],
}

extern "C" {
    fn dlopen(filename: *const c_char, flags: c_int) -> *mut c_void;
    fn dlsym(handle: *mut c_void, symbol: *const c_char) -> *mut c_void;
    fn dlerror() -> *const c_char;
}

const RTLD_NOW: c_int = 2;

/// The loaded shared library. Loading the same file twice yields the same
/// instance, so every consumer in a process shares the library's state.
pub struct Library {
    handle: *mut c_void,
    path: String,
    missing: Vec<String>,
    changed: Vec<String>,
}

impl Library {
    /// Opens `path`; `RDYLIB_<CRATE>_LIB` overrides it. Panics with a clear
    /// message when the file cannot be loaded.
    pub fn open(crate_name: &str, default_path: &str) -> Library {
        let var = format!("RDYLIB_{}_LIB", crate_name.to_uppercase());
        let path = std::env::var(&var).unwrap_or_else(|_| default_path.to_string());
        let c_path = CString::new(path.clone()).expect("library path has a NUL byte");
        let handle = unsafe { dlopen(c_path.as_ptr(), RTLD_NOW) };
        if handle.is_null() {
            let why = unsafe { CStr::from_ptr(dlerror()) }
                .to_string_lossy()
                .into_owned();
            panic!("rdylib: cannot load the {crate_name} library {path}: {why} (set {var} to its path)");
        }
        Library {
            handle,
            path,
            missing: Vec::new(),
            changed: Vec::new(),
        }
    }

    /// Looks a symbol up; a missing one is remembered with the item it serves.
    pub fn symbol(&mut self, name: &str, item: &str) -> *mut c_void {
        let c_name = CString::new(name).expect("symbol name has a NUL byte");
        let p = unsafe { dlsym(self.handle, c_name.as_ptr()) };
        if p.is_null() {
            self.missing.push(format!("{item} (symbol {name})"));
        }
        p
    }

    /// Compares the library's shapes and measured layouts with the ones this
    /// facade was generated for, remembering every item that changed or is
    /// gone. `prefix` is `rdylib_v<ABI>_<crate>`: a library of another ABI
    /// version has no such tables, which is remembered too.
    pub fn check_shapes(&mut self, prefix: &str, shapes: &[(&str, &str)], layouts: &[Expected]) {
        let shapes_fn = self.raw_symbol(&format!("{prefix}__shapes"));
        let layouts_fn = self.raw_symbol(&format!("{prefix}__layouts"));
        if shapes_fn.is_null() || layouts_fn.is_null() {
            self.changed.push(format!(
                "it exports no {prefix}__shapes table: not an rdylib library of this ABI version"
            ));
            return;
        }
        // The symbols' names carry the ABI version, which fixes their types.
        let (got_shapes, got_layouts) = unsafe {
            let shapes_fn: extern "C" fn() -> WireShapes = std::mem::transmute(shapes_fn);
            let layouts_fn: extern "C" fn() -> WireLayouts = std::mem::transmute(layouts_fn);
            (shapes_fn(), layouts_fn())
        };
        let got: Vec<(&str, &str)> = unsafe {
            slice_of(got_shapes.entries, got_shapes.len)
                .iter()
                .map(|e| (e.path.as_str(), e.text.as_str()))
                .collect()
        };
        for (path, want) in shapes {
            match got.iter().find(|(p, _)| p == path) {
                None => self.changed.push(format!("{path} is not in the library")),
                Some((_, text)) if text != want => self
                    .changed
                    .push(format!("{path} ({})", shape_difference(want, text))),
                Some(_) => {}
            }
        }
        unsafe { self.check_layouts(&got_layouts, layouts) };
    }

    /// Remembers every type whose measured layout differs.
    unsafe fn check_layouts(&mut self, layouts: &WireLayouts, expected: &[Expected]) {
        let entries = slice_of(layouts.entries, layouts.len);
        for want in expected {
            let found = entries
                .iter()
                .find(|e| slice_of(e.path, e.path_len) == want.path.as_bytes());
            let reported = format!("{} (", want.path);
            let Some(got) = found else {
                continue; // reported by the shape check
            };
            if self.changed.iter().any(|c| c.starts_with(&reported)) {
                continue;
            }
            let offsets = slice_of(got.offsets, got.offsets_len);
            if got.size != want.size
                || got.align != want.align
                || (got.needs_drop != 0) != want.needs_drop
                || offsets != want.offsets
            {
                self.changed.push(format!(
                    "{} (facade: size {}, align {}, offsets {:?}; library: size {}, align {}, offsets {:?})",
                    want.path, want.size, want.align, want.offsets, got.size, got.align, offsets
                ));
            }
        }
    }

    /// Panics with one message naming every changed item and every missing
    /// symbol, unless there is none: the library is stale or foreign.
    pub fn finish(&self) {
        let mut parts = Vec::new();
        if !self.changed.is_empty() {
            let mut changed = self.changed.clone();
            changed.dedup();
            parts.push(format!("layout changed: {}", changed.join("; ")));
        }
        if !self.missing.is_empty() {
            const SHOWN: usize = 12;
            let mut missing = self.missing[..self.missing.len().min(SHOWN)].join(", ");
            if self.missing.len() > SHOWN {
                missing += &format!(" and {} more", self.missing.len() - SHOWN);
            }
            parts.push(format!("missing or changed: {missing}"));
        }
        if !parts.is_empty() {
            panic!(
                "rdylib: {} does not match this facade; {}. Rebuild the facade and the library together with `rdylib build`.",
                self.path,
                parts.join("; ")
            );
        }
    }

    fn raw_symbol(&self, name: &str) -> *mut c_void {
        let c_name = CString::new(name).expect("symbol name has a NUL byte");
        unsafe { dlsym(self.handle, c_name.as_ptr()) }
    }
}

/// A slice from a pointer and length the library handed over; empty for a
/// null pointer.
unsafe fn slice_of<'a, T>(ptr: *const T, len: usize) -> &'a [T] {
    if ptr.is_null() {
        &[]
    } else {
        std::slice::from_raw_parts(ptr, len)
    }
}

/// The parts of two shape texts that differ (` | `-separated clauses), as
/// `facade: ...; library: ...`.
fn shape_difference(facade: &str, library: &str) -> String {
    let ours: Vec<&str> = facade.split(" | ").collect();
    let theirs: Vec<&str> = library.split(" | ").collect();
    let only_ours: Vec<&str> = ours
        .iter()
        .filter(|c| !theirs.contains(c))
        .copied()
        .collect();
    let only_theirs: Vec<&str> = theirs
        .iter()
        .filter(|c| !ours.contains(c))
        .copied()
        .collect();
    let show = |v: &[&str]| {
        if v.is_empty() {
            "-".to_string()
        } else {
            v.join(" | ")
        }
    };
    format!(
        "facade: {}; library: {}",
        show(&only_ours),
        show(&only_theirs)
    )
}

impl Library {
    /// Panics, naming each std type and the items that rely on it, unless
    /// the library's std lays out every std type in `needed` (fact name,
    /// item) exactly as this program's std does. Facts no item relies on
    /// may differ: values of those types cross as wire forms.
    pub fn check_std_facts(&self, library: &str, needed: &[(&str, &str)]) {
        let mut ours = String::new();
        crate::rdylib_wire::std_facts(&mut ours);
        let fact = |all: &str, name: &str| -> Option<String> {
            let key = format!("{{\"name\": \"{name}\",");
            all.lines()
                .find(|l| l.starts_with(&key))
                .map(str::to_string)
        };
        let mut differ = Vec::new();
        for (name, item) in needed {
            let (mine, theirs) = (fact(&ours, name), fact(library, name));
            if mine.is_none() || mine != theirs {
                differ.push(format!(
                    "{name} (needed by {item}; library: {}; this program: {})",
                    theirs.as_deref().unwrap_or("not measured"),
                    mine.as_deref().unwrap_or("not measured")
                ));
            }
        }
        if !differ.is_empty() {
            panic!(
                "rdylib: {} was built with a std whose layouts differ from this program's: {}. These values are shared in place, so they cannot cross between these toolchains; build both with toolchains whose std layouts agree (`rdylib probe --compare-with`).",
                self.path,
                differ.join("; ")
            );
        }
    }
}

// The handle is only read after loading, and dlsym is thread-safe.
unsafe impl Send for Library {}
unsafe impl Sync for Library {}

/// Copies a library string into a caller-owned String and frees the
/// library's copy with the library's allocator.
///
/// # Safety
/// `s` must be a WireString the library just returned.
pub unsafe fn take_string(s: WireString, free: unsafe extern "C" fn(WireString)) -> String {
    if shared_allocator() {
        // One allocator on both sides: the library's buffer is ours to keep.
        return String::from_raw_parts(s.ptr, s.len, s.cap);
    }
    let copy = String::from_utf8_lossy(std::slice::from_raw_parts(s.ptr, s.len)).into_owned();
    free(s);
    copy
}

static SHARED_ALLOCATOR: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Both sides provably allocate with std's `System` allocator (each declares
/// it as its `#[global_allocator]`): owned buffers change hands uncopied.
pub fn shared_allocator() -> bool {
    SHARED_ALLOCATOR.load(std::sync::atomic::Ordering::Relaxed)
}

/// A String field of an enum with data, going to the library: handed over
/// when both sides share one allocator (mode 1), else lent to be copied and
/// freed by this side's `free` (mode 2).
pub fn owned_string_out(s: String) -> WireOwnedString {
    WireOwnedString::from_string(s, if shared_allocator() { 1 } else { 2 })
}

/// A String field of an enum with data, coming from the library: taken over
/// when both sides share one allocator, else copied and freed by the
/// library's allocator.
///
/// # Safety
/// `w` must come from the library's `owned_string_out`.
pub unsafe fn owned_string_in(w: WireOwnedString) -> String {
    w.into_string(shared_allocator())
}

/// Decides, once at load, whether buffers change hands uncopied. A crate
/// whose types share String or Vec fields (`shared_fields`) needs that, and
/// without it the facade refuses to load rather than free with the wrong
/// allocator.
pub fn set_shared_allocator(crate_name: &str, library_system: bool, shared_fields: &[&str]) {
    let facade_system = cfg!(feature = "system-allocator");
    if !(library_system && facade_system) && !shared_fields.is_empty() {
        let why = if library_system {
            "this program does not enable the facade's `system-allocator` feature"
        } else {
            "the library declares its own #[global_allocator]"
        };
        panic!(
            "rdylib: {crate_name}: these public fields own buffers that either side may free: {}. \
             That needs one allocator on both sides, but {why}.",
            shared_fields.join(", ")
        );
    }
    SHARED_ALLOCATOR.store(
        library_system && facade_system,
        std::sync::atomic::Ordering::Relaxed,
    );
}

/// The payload a library panic arrives with when its payload was neither a
/// `&str` nor a `String`: its type is the library's compiler's, so it cannot
/// cross (a `&'static str`, documented in ABI.md).
pub const FOREIGN_PAYLOAD: &str =
    "rdylib: the library panicked with a payload that is not a &str or String; its type cannot cross";

/// Resumes, on the caller's side, the panic a thunk returned (null: none).
///
/// A library panic resumes with its payload's own type (`&'static str` or
/// `String`, else `FOREIGN_PAYLOAD`), through this program's panic hook,
/// which prints it once, here, followed by the library's `file:line:col`.
/// A consumer panic that crossed back from a callback resumes with its
/// original payload, without the hook, which already ran where it was raised.
///
/// # Safety
/// `p` must be null or a panic the library just returned, and `free` the
/// library's `__free_panic`.
#[inline]
#[track_caller]
pub unsafe fn resume(p: *mut WirePanic, free: unsafe extern "C" fn(*mut WirePanic)) {
    if !p.is_null() {
        resume_panic(p, free)
    }
}

#[cold]
#[inline(never)]
#[track_caller]
unsafe fn resume_panic(p: *mut WirePanic, free: unsafe extern "C" fn(*mut WirePanic)) -> ! {
    let w = &*p;
    // Seen by the library's hook on this thread: raised inside this call, so
    // not printed yet. Otherwise it came through `resume_unwind`.
    let site = (w.file.len != 0).then(|| format!("{}:{}:{}", w.file.as_str(), w.line, w.column));
    match w.kind {
        PANIC_CONSUMER => {
            let parked = w.parked;
            free(p);
            std::panic::resume_unwind(unpark(parked))
        }
        PANIC_STATIC_STR => {
            // The library's own static text: it stays mapped, since the
            // library is never unloaded.
            let text: &'static str = w.message.as_str();
            free(p);
            raise(text, site)
        }
        PANIC_STRING => {
            let text = w.message.as_str().to_string();
            free(p);
            raise(text, site)
        }
        _ => {
            free(p);
            raise(FOREIGN_PAYLOAD, site)
        }
    }
}

thread_local! {
    /// The library's location of the panic being raised by `raise`, for the
    /// note the hook prints.
    static LIBRARY_SITE: std::cell::Cell<Option<String>> = const { std::cell::Cell::new(None) };
}

/// Clears `LIBRARY_SITE` as the panic unwinds, whoever's hook ran.
struct SiteNoted;

impl Drop for SiteNoted {
    fn drop(&mut self) {
        let _ = LIBRARY_SITE.try_with(|s| s.take());
    }
}

#[track_caller]
fn raise<M: std::any::Any + Send>(payload: M, site: Option<String>) -> ! {
    let Some(site) = site else {
        std::panic::resume_unwind(Box::new(payload))
    };
    note_hook();
    let _noted = SiteNoted;
    let _ = LIBRARY_SITE.try_with(|s| s.set(Some(site)));
    std::panic::panic_any(payload)
}

/// Wraps this program's panic hook, once, at the first library panic: after
/// the hook that was in place (the default one, libtest's, or the
/// program's own) has run, a panic raised in the library adds a line with
/// the library's location. A hook set later replaces this one, as it would
/// replace the default hook.
fn note_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    if std::thread::panicking() {
        // The hook cannot change now; this panic aborts anyway.
        return;
    }
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            previous(info);
            if let Some(site) = LIBRARY_SITE.try_with(|s| s.take()).ok().flatten() {
                // eprintln!, not io::stderr(): libtest captures only the former.
                eprintln!("note: rdylib: the library raised this panic at {site}");
            }
        }));
    });
}

/// The facade's half of `&mut` of a value that crosses as a wire form (an
/// enum with data): `*place` moves into its wire form for `call`, and is
/// rebuilt from what the library wrote back, whether the library's method
/// returned or panicked (the library writes the slot back either way).
/// Until the library reads the slot, `*place` still owns the value (the
/// slot is a bitwise copy that owns nothing), so a panic before the call
/// (loading the library) leaves it as it was.
///
/// # Safety
/// `call` must pass the slot to a thunk that writes it back (`rt::lend_mut`
/// in the library) and return the thunk's result.
pub unsafe fn lend_mut<V, W>(
    place: &mut V,
    to_wire: fn(V) -> W,
    from_wire: unsafe fn(W) -> V,
    call: impl FnOnce(*mut W) -> *mut WirePanic,
) -> *mut WirePanic {
    let mut slot = to_wire(std::ptr::read(place));
    let panic = call(&mut slot);
    std::ptr::write(place, from_wire(slot));
    panic
}

/// A consumer panic caught in a callback, parked on this side.
#[repr(C)]
struct Parked {
    head: WireParked,
    payload: Box<dyn std::any::Any + Send>,
}

unsafe extern "C" fn discard_parked(p: *mut WireParked) {
    let parked = Box::from_raw(p as *mut Parked);
    // The payload's Drop is consumer code: a panic there must not unwind
    // into the library. Its own payload is forgotten, not dropped.
    let dropped = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || drop(parked)));
    if let Err(again) = dropped {
        std::mem::forget(again);
    }
}

/// Runs consumer code that the library called back (every `extern "C"`
/// callback the facade hands to the library runs its body in here). A panic
/// is caught and parked on this side; the returned pointer (null: `f`
/// returned) goes back to the library, whose `rt::rethrow` unwinds the
/// library's frames, and the thunk's result brings it back to `resume`,
/// which resumes the original payload.
pub fn callback<F: FnOnce()>(f: F) -> *mut WireParked {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(()) => std::ptr::null_mut(),
        Err(payload) => {
            let (kind, message) = payload_text(&*payload);
            let parked = Box::new(Parked {
                head: WireParked {
                    discard: discard_parked,
                    kind,
                    message,
                },
                payload,
            });
            Box::into_raw(parked) as *mut WireParked
        }
    }
}

/// The payload of a parked consumer panic. One parked by this facade is the
/// original; one parked by another part of the program (another facade's
/// copy of this runtime, maybe built by another compiler, with another
/// allocator) is rebuilt from its text, like a library panic, and freed by
/// its maker.
///
/// # Safety
/// `p` must be a parked panic a thunk just returned.
unsafe fn unpark(p: *mut WireParked) -> Box<dyn std::any::Any + Send> {
    let ours: unsafe extern "C" fn(*mut WireParked) = discard_parked;
    if (*p).discard as *const () == ours as *const () {
        return Box::from_raw(p as *mut Parked).payload;
    }
    let head = &*p;
    let payload: Box<dyn std::any::Any + Send> = match head.kind {
        PANIC_STATIC_STR | PANIC_STRING => Box::new(head.message.as_str().to_string()),
        _ => Box::new(FOREIGN_PAYLOAD),
    };
    (head.discard)(p);
    payload
}

/// An error that came from the library as text: its Display, its Debug and
/// its source chain. (Downcasting to the library's type is not possible.)
#[derive(PartialEq)]
pub struct ForeignError {
    display: String,
    debug: String,
    source: Option<Box<ForeignError>>,
}

impl fmt::Display for ForeignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display)
    }
}

impl fmt::Debug for ForeignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.debug)
    }
}

impl std::error::Error for ForeignError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// Copies an error chain, then hands it back to the library to free.
///
/// # Safety
/// `e` must be a WireError the library just returned.
pub unsafe fn take_error(
    e: WireError,
    free: unsafe extern "C" fn(WireError),
) -> Box<dyn std::error::Error + Send + Sync> {
    let copied = copy_error(&e);
    free(e);
    Box::new(copied)
}

/// A copy of a library error chain's text.
///
/// # Safety
/// `e` must be a WireError the library made and has not freed.
unsafe fn copy_error(e: &WireError) -> ForeignError {
    let text = |s: &WireString| {
        String::from_utf8_lossy(std::slice::from_raw_parts(s.ptr, s.len)).into_owned()
    };
    ForeignError {
        display: text(&e.display),
        debug: text(&e.debug),
        source: if e.source.is_null() {
            None
        } else {
            Some(Box::new(copy_error(&*e.source)))
        },
    }
}

/// Moves the elements out of a library buffer, then has the library free it.
///
/// # Safety
/// `v` must be a WireVec the library just returned.
pub unsafe fn take_vec<T>(
    v: WireVec<T>,
    free: unsafe extern "C" fn(*mut u8, usize, usize),
) -> Vec<T> {
    if shared_allocator() {
        return Vec::from_raw_parts(v.ptr, v.len, v.cap);
    }
    let out = v.copy_out();
    let (bytes, align) = v.bytes();
    free(v.ptr as *mut u8, bytes, align);
    out
}

/// Moves a value out of a library Box, then has the library free the Box.
///
/// # Safety
/// `p` must be a Box the library just returned, as a raw pointer.
pub unsafe fn take_box<T>(p: *mut T, free: unsafe extern "C" fn(*mut u8, usize, usize)) -> Box<T> {
    if shared_allocator() {
        return Box::from_raw(p);
    }
    let value = Box::new(std::ptr::read(p));
    free(
        p as *mut u8,
        std::mem::size_of::<T>(),
        std::mem::align_of::<T>(),
    );
    value
}

/// `Cow<str>` from its wire form: borrowed stays borrowed, owned is copied.
///
/// # Safety
/// `c` must be a WireCowStr the library just returned, borrowing for `'a`.
pub unsafe fn take_cow_str<'a>(
    c: WireCowStr,
    free: unsafe extern "C" fn(WireString),
) -> std::borrow::Cow<'a, str> {
    if c.is_owned != 0 {
        std::borrow::Cow::Owned(take_string(c.owned.assume_init(), free))
    } else {
        std::borrow::Cow::Borrowed(c.borrowed.as_str())
    }
}

/// `Cow<[u8]>` from its wire form, as `take_cow_str` does it.
///
/// # Safety
/// `c` must be a WireCowBytes the library just returned, borrowing for `'a`.
pub unsafe fn take_cow_bytes<'a>(
    c: WireCowBytes,
    free: unsafe extern "C" fn(*mut u8, usize, usize),
) -> std::borrow::Cow<'a, [u8]> {
    if c.is_owned != 0 {
        std::borrow::Cow::Owned(take_vec(c.owned.assume_init(), free))
    } else {
        std::borrow::Cow::Borrowed(c.borrowed.as_slice())
    }
}

/// The library's error chain as a `&'static` error, for `Error::source()`:
/// a copy of its text, kept once per distinct chain, so memory grows only
/// with the number of different source errors a program sees.
///
/// # Safety
/// `e` must be a WireError the library just returned.
pub unsafe fn intern_error(
    e: WireError,
    free: unsafe extern "C" fn(WireError),
) -> &'static ForeignError {
    static INTERNED: std::sync::Mutex<Vec<&'static ForeignError>> =
        std::sync::Mutex::new(Vec::new());
    let copied = copy_error(&e);
    free(e);
    let mut interned = INTERNED.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(found) = interned.iter().find(|i| ***i == copied) {
        return found;
    }
    let leaked: &'static ForeignError = Box::leak(Box::new(copied));
    interned.push(leaked);
    leaked
}

/// A library `static` that is not a plain copy (atomics, types with private
/// fields): derefs to the library's own object, so both sides see one value.
pub struct LibStatic<T: 'static> {
    get: fn() -> &'static T,
}

impl<T> LibStatic<T> {
    pub const fn new(get: fn() -> &'static T) -> Self {
        LibStatic { get }
    }
}

impl<T> std::ops::Deref for LibStatic<T> {
    type Target = T;
    fn deref(&self) -> &T {
        (self.get)()
    }
}

impl<T: fmt::Debug> fmt::Debug for LibStatic<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

/// An iterator the library made, seen as an iterator here: each `next` asks
/// the library for the next wire item and converts it; drop drops the
/// library's iterator in the library. `'a` is the borrow the library's
/// iterator holds (of `self`, say), which the facade's signature names.
pub struct ForeignIter<'a, W, X> {
    wire: WireIter<W>,
    convert: fn(W) -> X,
    _borrow: std::marker::PhantomData<&'a ()>,
}

impl<'a, W, X> ForeignIter<'a, W, X> {
    /// # Safety
    /// `wire` comes from the library, for a borrow that lasts `'a`.
    pub unsafe fn new(wire: WireIter<W>, convert: fn(W) -> X) -> ForeignIter<'a, W, X> {
        ForeignIter {
            wire,
            convert,
            _borrow: std::marker::PhantomData,
        }
    }
}

impl<W, X> Iterator for ForeignIter<'_, W, X> {
    type Item = X;

    fn next(&mut self) -> Option<X> {
        let mut out = std::mem::MaybeUninit::<WireOption<W>>::uninit();
        unsafe {
            resume(
                (self.wire.next)(self.wire.handle, out.as_mut_ptr()),
                self.wire.free_panic,
            );
            out.assume_init().into_option().map(self.convert)
        }
    }
}

impl<W, X> Drop for ForeignIter<'_, W, X> {
    fn drop(&mut self) {
        unsafe { resume((self.wire.drop)(self.wire.handle), self.wire.free_panic) }
    }
}

/// Writes the library's copy of a `&mut String` argument back into the
/// caller's String (`dst`), which the call borrows mutably.
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

/// Writes the library's copy of a `&mut Vec<E>` argument back, as
/// `set_string` does.
///
/// # Safety
/// `dst` is a `*mut Vec<E>` of this side; `ptr` and `len` are elements.
pub unsafe extern "C" fn set_vec<E: Copy>(dst: *mut u8, ptr: *const E, len: usize) {
    let dst = &mut *(dst as *mut Vec<E>);
    dst.clear();
    dst.extend_from_slice(std::slice::from_raw_parts(ptr, len));
}

/// A String argument's parts: handed over to the library when the allocator
/// is shared; otherwise lent (the library copies) and freed here.
pub struct StringArg {
    pub ptr: *mut u8,
    pub len: usize,
    pub cap: usize,
    /// 1: handed over (the library frees it); 0: lent (this side does).
    pub owned: u8,
    _lent: Option<String>,
}

impl StringArg {
    pub fn new(s: String) -> StringArg {
        let mut s = std::mem::ManuallyDrop::new(s);
        let (ptr, len, cap) = (s.as_mut_ptr(), s.len(), s.capacity());
        let lent = if shared_allocator() {
            None
        } else {
            Some(std::mem::ManuallyDrop::into_inner(s))
        };
        StringArg {
            ptr,
            len,
            cap,
            owned: lent.is_none() as u8,
            _lent: lent,
        }
    }
}

/// A Vec argument's parts, likewise. The elements move to the library either
/// way, so a lent buffer is freed here without dropping them.
pub struct VecArg<T> {
    pub ptr: *mut T,
    pub len: usize,
    pub cap: usize,
    pub owned: u8,
    lent: Option<Vec<T>>,
}

impl<T> VecArg<T> {
    pub fn new(v: Vec<T>) -> VecArg<T> {
        let mut v = std::mem::ManuallyDrop::new(v);
        let (ptr, len, cap) = (v.as_mut_ptr(), v.len(), v.capacity());
        let lent = if shared_allocator() {
            None
        } else {
            Some(std::mem::ManuallyDrop::into_inner(v))
        };
        VecArg {
            ptr,
            len,
            cap,
            owned: lent.is_none() as u8,
            lent,
        }
    }
}

impl<T> Drop for VecArg<T> {
    fn drop(&mut self) {
        if let Some(mut v) = self.lent.take() {
            // The library moved the elements out (or a panic leaked them).
            unsafe { v.set_len(0) };
        }
    }
}

/// A Box argument's pointer, likewise: the value moves to the library either
/// way, so a lent box is freed here without dropping it.
pub struct BoxArg<T> {
    pub ptr: *mut T,
    pub owned: u8,
    _lent: Option<Box<std::mem::MaybeUninit<T>>>,
}

impl<T> BoxArg<T> {
    pub fn new(b: Box<T>) -> BoxArg<T> {
        let ptr = Box::into_raw(b);
        let lent = if shared_allocator() {
            None
        } else {
            Some(unsafe { Box::from_raw(ptr as *mut std::mem::MaybeUninit<T>) })
        };
        BoxArg {
            ptr,
            owned: lent.is_none() as u8,
            _lent: lent,
        }
    }
}

/// A `&mut String` the library lends to a vtable entry: the consumer's code
/// works on its own copy, written back into the library's String through
/// the library's setter when this drops, after the call or while a panic
/// unwinds (docs/ABI.md, "Vtables").
pub struct StringWriteBack {
    pub value: String,
    dst: *mut u8,
    set: unsafe extern "C" fn(*mut u8, *const u8, usize),
}

impl StringWriteBack {
    /// # Safety
    /// `ptr` and `len` are the library's UTF-8 contents; `set` writes to `dst`.
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
        // SAFETY: the library's setter copies the bytes into its own String.
        unsafe { (self.set)(self.dst, self.value.as_ptr(), self.value.len()) }
    }
}

/// A `&mut Vec<E>` of scalars the library lends, as `StringWriteBack`.
pub struct VecWriteBack<E: Copy> {
    pub value: Vec<E>,
    dst: *mut u8,
    set: unsafe extern "C" fn(*mut u8, *const E, usize),
}

impl<E: Copy> VecWriteBack<E> {
    /// # Safety
    /// `ptr` and `len` are the library's elements; `set` writes to `dst`.
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
        // SAFETY: the library's setter copies the elements into its own Vec.
        unsafe { (self.set)(self.dst, self.value.as_ptr(), self.value.len()) }
    }
}

/// How a vtable entry hands back a `Cow`: `put(ret, tag, ptr, len)`, tag 0
/// None, 1 Borrowed (the consumer's bytes, borrowed from its value), 2
/// Owned (copied by the library before `put` returns).
pub type PutCow = unsafe extern "C" fn(*mut c_void, u8, *const u8, usize);

/// Hands an `Option<Cow<str>>` to the library through `put`.
///
/// # Safety
/// `ret` and `put` come from the library's proxy for this call.
pub unsafe fn give_cow_str(c: Option<std::borrow::Cow<'_, str>>, ret: *mut c_void, put: PutCow) {
    match c {
        None => put(ret, 0, std::ptr::null(), 0),
        Some(std::borrow::Cow::Borrowed(s)) => put(ret, 1, s.as_ptr(), s.len()),
        Some(std::borrow::Cow::Owned(s)) => put(ret, 2, s.as_ptr(), s.len()),
    }
}

/// Hands an `Option<Cow<[u8]>>` to the library through `put`.
///
/// # Safety
/// `ret` and `put` come from the library's proxy for this call.
pub unsafe fn give_cow_bytes(c: Option<std::borrow::Cow<'_, [u8]>>, ret: *mut c_void, put: PutCow) {
    match c {
        None => put(ret, 0, std::ptr::null(), 0),
        Some(std::borrow::Cow::Borrowed(s)) => put(ret, 1, s.as_ptr(), s.len()),
        Some(std::borrow::Cow::Owned(s)) => put(ret, 2, s.as_ptr(), s.len()),
    }
}

/// A view of a std self value's bytes for the library (docs/ABI.md,
/// "Traits"): `(tag, ptr, len)`, tag 1 for an owned Cow, else 0.
pub trait SelfView {
    fn self_view(&self) -> (u8, *const u8, usize);
}

impl SelfView for str {
    fn self_view(&self) -> (u8, *const u8, usize) {
        (0, self.as_ptr(), self.len())
    }
}

impl SelfView for [u8] {
    fn self_view(&self) -> (u8, *const u8, usize) {
        (0, self.as_ptr(), self.len())
    }
}

impl SelfView for String {
    fn self_view(&self) -> (u8, *const u8, usize) {
        (0, self.as_ptr(), self.len())
    }
}

impl SelfView for Vec<u8> {
    fn self_view(&self) -> (u8, *const u8, usize) {
        (0, self.as_ptr(), self.len())
    }
}

impl SelfView for std::borrow::Cow<'_, str> {
    fn self_view(&self) -> (u8, *const u8, usize) {
        let owned = matches!(self, std::borrow::Cow::Owned(_));
        (owned as u8, self.as_ptr(), self.len())
    }
}

impl SelfView for std::borrow::Cow<'_, [u8]> {
    fn self_view(&self) -> (u8, *const u8, usize) {
        let owned = matches!(self, std::borrow::Cow::Owned(_));
        (owned as u8, self.as_ptr(), self.len())
    }
}

impl<T: SelfView + ?Sized> SelfView for &T {
    fn self_view(&self) -> (u8, *const u8, usize) {
        (**self).self_view()
    }
}

/// Points the caller's `&str` self at the library's (after `&mut self`).
///
/// # Safety
/// `dst` is a `*mut &str` of this side; the bytes live as long as it may.
pub unsafe extern "C" fn set_str_ref(dst: *mut u8, _tag: u8, ptr: *const u8, len: usize) {
    *(dst as *mut &str) = std::str::from_utf8_unchecked(std::slice::from_raw_parts(ptr, len));
}

/// Points the caller's `&[u8]` self at the library's (after `&mut self`).
///
/// # Safety
/// `dst` is a `*mut &[u8]` of this side; the bytes live as long as it may.
pub unsafe extern "C" fn set_bytes_ref(dst: *mut u8, _tag: u8, ptr: *const u8, len: usize) {
    *(dst as *mut &[u8]) = std::slice::from_raw_parts(ptr, len);
}

/// Writes the library's changed `Cow<str>` self back: borrowed (tag 0) as
/// the same borrow, owned (tag 1) copied into a String of this side.
///
/// # Safety
/// `dst` is a `*mut Cow<str>` of this side; borrowed bytes live as long as it may.
pub unsafe extern "C" fn set_cow_str(dst: *mut u8, tag: u8, ptr: *const u8, len: usize) {
    let text = std::str::from_utf8_unchecked(std::slice::from_raw_parts(ptr, len));
    *(dst as *mut std::borrow::Cow<'_, str>) = if tag == 0 {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(text.to_string())
    };
}

/// Writes the library's changed `Cow<[u8]>` self back, as `set_cow_str`.
///
/// # Safety
/// `dst` is a `*mut Cow<[u8]>` of this side; borrowed bytes live as long as it may.
pub unsafe extern "C" fn set_cow_bytes(dst: *mut u8, tag: u8, ptr: *const u8, len: usize) {
    let bytes = std::slice::from_raw_parts(ptr, len);
    *(dst as *mut std::borrow::Cow<'_, [u8]>) = if tag == 0 {
        std::borrow::Cow::Borrowed(bytes)
    } else {
        std::borrow::Cow::Owned(bytes.to_vec())
    };
}

/// A `Vec<u8>` going to the library (a closure's return), as
/// `owned_string_out` does it for a String.
pub fn owned_bytes_out(v: Vec<u8>) -> WireOwnedString {
    WireOwnedString::from_bytes(v, if shared_allocator() { 1 } else { 2 })
}

// Boxes the facade wrote into `&mut [Box<dyn Trait>]` slots (docs/ABI.md,
// "Containers of trait objects"), by their address and the slot's type: a
// live box's address is that box's alone, and its drop forgets it.
static SLOT_HANDLE_COUNT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

type SlotHandles = std::collections::HashMap<usize, &'static str>;

fn slot_handles() -> std::sync::MutexGuard<'static, SlotHandles> {
    use std::sync::{Mutex, OnceLock};
    static HANDLES: OnceLock<Mutex<SlotHandles>> = OnceLock::new();
    HANDLES
        .get_or_init(|| Mutex::new(SlotHandles::new()))
        .lock()
        .unwrap_or_else(|e| e.into_inner())
}

/// Notes the handle box at `addr`, written into a slot of type `slot`.
pub fn note_slot_handle(addr: usize, slot: &'static str) {
    if slot_handles().insert(addr, slot).is_none() {
        SLOT_HANDLE_COUNT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }
}

/// True, and forgotten, if the box at `addr` is a handle noted for `slot`.
pub fn take_slot_handle(addr: usize, slot: &'static str) -> bool {
    if SLOT_HANDLE_COUNT.load(std::sync::atomic::Ordering::SeqCst) == 0 {
        return false;
    }
    let mut handles = slot_handles();
    if handles.get(&addr) != Some(&slot) {
        return false;
    }
    handles.remove(&addr);
    SLOT_HANDLE_COUNT.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    true
}

/// Forgets the handle box at `addr` (it is being dropped), if it was noted.
pub fn forget_slot_handle(addr: usize) {
    if SLOT_HANDLE_COUNT.load(std::sync::atomic::Ordering::SeqCst) == 0 {
        return;
    }
    if slot_handles().remove(&addr).is_some() {
        SLOT_HANDLE_COUNT.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}
