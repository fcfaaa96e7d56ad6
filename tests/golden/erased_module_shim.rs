/// Erased type parameters and closures: each one's table of entries
/// (docs/ABI.md, "Erasure" and "Closures").
#[allow(dead_code, non_camel_case_types, non_snake_case, clippy::all)]
pub mod rdylib_erased {
    extern crate alloc;

    use crate::rdylib_rt as rt;

    /// `F` of `demo::run`: owned FnMut(&str, u32) -> String + Send + 'static.
    #[repr(C)]
    pub struct Tabledemo__run__F {
        pub drop: unsafe extern "C" fn(*mut std::ffi::c_void) -> *mut rt::WireParked,
        pub call_mut: unsafe extern "C" fn(
            *mut std::ffi::c_void,
            rt::WireStr,
            u32,
            *mut rt::WireOwnedString,
        ) -> *mut rt::WireParked,
        pub size: usize,
        pub align: usize,
    }

    /// The consumer's value, as the library's generic sees it.
    pub struct Proxydemo__run__F {
        data: *mut std::ffi::c_void,
        table: *const Tabledemo__run__F,
    }

    // The facade's signature requires the consumer's value to be Send.
    unsafe impl Send for Proxydemo__run__F {}

    impl Drop for Proxydemo__run__F {
        fn drop(&mut self) {
            unsafe { rt::rethrow(((*self.table).drop)(self.data)) }
        }
    }

    pub unsafe fn from_demo__run__F(
        data: *mut std::ffi::c_void,
        table: *const Tabledemo__run__F,
    ) -> impl FnMut(&str, u32) -> String + Send + 'static {
        let mut p = Proxydemo__run__F { data, table };
        move |a0, a1| {
            let p = &mut p;
            unsafe {
                let mut ret = std::mem::MaybeUninit::<rt::WireOwnedString>::uninit();
                rt::rethrow(((*p.table).call_mut)(
                    p.data,
                    rt::WireStr::from_str(a0),
                    a1,
                    ret.as_mut_ptr(),
                ));
                rt::owned_string_in(ret.assume_init())
            }
        }
    }

    /// `S` of `demo::run`: ref AsRef<str> + Display.
    #[repr(C)]
    pub struct Tabledemo__run__S {
        pub as_ref_str:
            unsafe extern "C" fn(*const std::ffi::c_void, *mut rt::WireStr) -> *mut rt::WireParked,
        pub fmt_display: unsafe extern "C" fn(
            *const std::ffi::c_void,
            *const rt::WireFlags,
            *mut rt::WireOwnedString,
        ) -> *mut rt::WireParked,
        pub size: usize,
        pub align: usize,
    }

    /// The consumer's value, as the library's generic sees it.
    pub struct Proxydemo__run__S {
        data: *mut std::ffi::c_void,
        table: *const Tabledemo__run__S,
    }

    impl AsRef<str> for Proxydemo__run__S {
        fn as_ref(&self) -> &str {
            unsafe {
                let mut ret = std::mem::MaybeUninit::<rt::WireStr>::uninit();
                rt::rethrow(((*self.table).as_ref_str)(self.data, ret.as_mut_ptr()));
                ret.assume_init().as_str()
            }
        }
    }

    impl std::fmt::Display for Proxydemo__run__S {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            let flags = rt::WireFlags::of(f);
            let text = unsafe {
                let mut ret = std::mem::MaybeUninit::<rt::WireOwnedString>::uninit();
                rt::rethrow(((*self.table).fmt_display)(
                    self.data,
                    &flags,
                    ret.as_mut_ptr(),
                ));
                rt::owned_string_in(ret.assume_init())
            };
            f.write_str(&text)
        }
    }

    pub unsafe fn from_demo__run__S(
        data: *mut std::ffi::c_void,
        table: *const Tabledemo__run__S,
    ) -> Proxydemo__run__S {
        Proxydemo__run__S { data, table }
    }

    /// `I` of `demo::run`: owned IntoIterator<Item = param 3>.
    #[repr(C)]
    pub struct Tabledemo__run__I {
        pub drop: unsafe extern "C" fn(*mut std::ffi::c_void) -> *mut rt::WireParked,
        pub into_iter: unsafe extern "C" fn(
            *mut std::ffi::c_void,
            *mut *mut std::ffi::c_void,
        ) -> *mut rt::WireParked,
        pub iter_drop: unsafe extern "C" fn(*mut std::ffi::c_void) -> *mut rt::WireParked,
        pub iter_next: unsafe extern "C" fn(
            *mut std::ffi::c_void,
            *mut rt::WireOption<*mut std::ffi::c_void>,
        ) -> *mut rt::WireParked,
        pub iter_size_hint: unsafe extern "C" fn(
            *const std::ffi::c_void,
            *mut rt::WireTuple3<usize, u8, usize>,
        ) -> *mut rt::WireParked,
        pub size: usize,
        pub align: usize,
        pub item_table: *const Tabledemo__run__T,
    }

    /// The consumer's value, as the library's generic sees it.
    pub struct Proxydemo__run__I {
        data: *mut std::ffi::c_void,
        table: *const Tabledemo__run__I,
    }

    impl Drop for Proxydemo__run__I {
        fn drop(&mut self) {
            unsafe { rt::rethrow(((*self.table).drop)(self.data)) }
        }
    }

    pub struct ProxyIterdemo__run__I {
        data: *mut std::ffi::c_void,
        table: *const Tabledemo__run__I,
    }

    impl Drop for ProxyIterdemo__run__I {
        fn drop(&mut self) {
            unsafe { rt::rethrow(((*self.table).iter_drop)(self.data)) }
        }
    }

    impl Iterator for ProxyIterdemo__run__I {
        type Item = Proxydemo__run__T;
        fn next(&mut self) -> Option<Proxydemo__run__T> {
            unsafe {
                let mut ret =
                    std::mem::MaybeUninit::<rt::WireOption<*mut std::ffi::c_void>>::uninit();
                rt::rethrow(((*self.table).iter_next)(self.data, ret.as_mut_ptr()));
                ret.assume_init().into_option().map(|x| Proxydemo__run__T {
                    data: x,
                    table: (*self.table).item_table,
                })
            }
        }
        fn size_hint(&self) -> (usize, Option<usize>) {
            unsafe {
                let mut ret = std::mem::MaybeUninit::<rt::WireTuple3<usize, u8, usize>>::uninit();
                rt::rethrow(((*self.table).iter_size_hint)(self.data, ret.as_mut_ptr()));
                let rt::WireTuple3(lo, has_hi, hi) = ret.assume_init();
                (lo, (has_hi != 0).then_some(hi))
            }
        }
    }

    impl IntoIterator for Proxydemo__run__I {
        type Item = Proxydemo__run__T;
        type IntoIter = ProxyIterdemo__run__I;
        fn into_iter(self) -> ProxyIterdemo__run__I {
            // The facade's entry takes the value over.
            let this = std::mem::ManuallyDrop::new(self);
            unsafe {
                let mut ret = std::mem::MaybeUninit::<*mut std::ffi::c_void>::uninit();
                rt::rethrow(((*this.table).into_iter)(this.data, ret.as_mut_ptr()));
                ProxyIterdemo__run__I {
                    data: ret.assume_init(),
                    table: this.table,
                }
            }
        }
    }

    pub unsafe fn from_demo__run__I(
        data: *mut std::ffi::c_void,
        table: *const Tabledemo__run__I,
    ) -> Proxydemo__run__I {
        Proxydemo__run__I { data, table }
    }

    /// `T` of `demo::run`: owned PartialEq + PartialOrd + Into<String>.
    #[repr(C)]
    pub struct Tabledemo__run__T {
        pub drop: unsafe extern "C" fn(*mut std::ffi::c_void) -> *mut rt::WireParked,
        pub eq: unsafe extern "C" fn(
            *const std::ffi::c_void,
            *const std::ffi::c_void,
            *mut bool,
        ) -> *mut rt::WireParked,
        pub partial_cmp: unsafe extern "C" fn(
            *const std::ffi::c_void,
            *const std::ffi::c_void,
            *mut i8,
        ) -> *mut rt::WireParked,
        pub lt: unsafe extern "C" fn(
            *const std::ffi::c_void,
            *const std::ffi::c_void,
            *mut bool,
        ) -> *mut rt::WireParked,
        pub le: unsafe extern "C" fn(
            *const std::ffi::c_void,
            *const std::ffi::c_void,
            *mut bool,
        ) -> *mut rt::WireParked,
        pub gt: unsafe extern "C" fn(
            *const std::ffi::c_void,
            *const std::ffi::c_void,
            *mut bool,
        ) -> *mut rt::WireParked,
        pub ge: unsafe extern "C" fn(
            *const std::ffi::c_void,
            *const std::ffi::c_void,
            *mut bool,
        ) -> *mut rt::WireParked,
        pub into_string: unsafe extern "C" fn(
            *mut std::ffi::c_void,
            *mut rt::WireOwnedString,
        ) -> *mut rt::WireParked,
        pub size: usize,
        pub align: usize,
    }

    /// The consumer's value, as the library's generic sees it.
    pub struct Proxydemo__run__T {
        data: *mut std::ffi::c_void,
        table: *const Tabledemo__run__T,
    }

    impl Drop for Proxydemo__run__T {
        fn drop(&mut self) {
            unsafe { rt::rethrow(((*self.table).drop)(self.data)) }
        }
    }

    impl PartialEq for Proxydemo__run__T {
        fn eq(&self, other: &Self) -> bool {
            unsafe {
                let mut ret = std::mem::MaybeUninit::<bool>::uninit();
                rt::rethrow(((*self.table).eq)(self.data, other.data, ret.as_mut_ptr()));
                ret.assume_init()
            }
        }
    }

    impl PartialOrd for Proxydemo__run__T {
        fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
            unsafe {
                let mut ret = std::mem::MaybeUninit::<i8>::uninit();
                rt::rethrow(((*self.table).partial_cmp)(
                    self.data,
                    other.data,
                    ret.as_mut_ptr(),
                ));
                match ret.assume_init() {
                    -1 => Some(std::cmp::Ordering::Less),
                    0 => Some(std::cmp::Ordering::Equal),
                    1 => Some(std::cmp::Ordering::Greater),
                    _ => None,
                }
            }
        }
        fn lt(&self, other: &Self) -> bool {
            unsafe {
                let mut ret = std::mem::MaybeUninit::<bool>::uninit();
                rt::rethrow(((*self.table).lt)(self.data, other.data, ret.as_mut_ptr()));
                ret.assume_init()
            }
        }
        fn le(&self, other: &Self) -> bool {
            unsafe {
                let mut ret = std::mem::MaybeUninit::<bool>::uninit();
                rt::rethrow(((*self.table).le)(self.data, other.data, ret.as_mut_ptr()));
                ret.assume_init()
            }
        }
        fn gt(&self, other: &Self) -> bool {
            unsafe {
                let mut ret = std::mem::MaybeUninit::<bool>::uninit();
                rt::rethrow(((*self.table).gt)(self.data, other.data, ret.as_mut_ptr()));
                ret.assume_init()
            }
        }
        fn ge(&self, other: &Self) -> bool {
            unsafe {
                let mut ret = std::mem::MaybeUninit::<bool>::uninit();
                rt::rethrow(((*self.table).ge)(self.data, other.data, ret.as_mut_ptr()));
                ret.assume_init()
            }
        }
    }

    impl Into<String> for Proxydemo__run__T {
        fn into(self) -> String {
            // The facade's entry takes the value over.
            let this = std::mem::ManuallyDrop::new(self);
            unsafe {
                let mut ret = std::mem::MaybeUninit::<rt::WireOwnedString>::uninit();
                rt::rethrow(((*this.table).into_string)(this.data, ret.as_mut_ptr()));
                rt::owned_string_in(ret.assume_init())
            }
        }
    }

    pub unsafe fn from_demo__run__T(
        data: *mut std::ffi::c_void,
        table: *const Tabledemo__run__T,
    ) -> Proxydemo__run__T {
        Proxydemo__run__T { data, table }
    }

    /// `ret` of `demo::make`: returned_boxed Fn(&str) -> u64 + Send.
    #[repr(C)]
    pub struct Tabledemo__make__ret {
        pub drop: unsafe extern "C" fn(*mut std::ffi::c_void) -> *mut rt::WirePanic,
        pub call: unsafe extern "C" fn(
            *const std::ffi::c_void,
            rt::WireStr,
            *mut u64,
        ) -> *mut rt::WirePanic,
        pub size: usize,
        pub align: usize,
    }

    unsafe extern "C" fn drop_demo__make__ret<C: Fn(&str) -> u64>(
        data: *mut std::ffi::c_void,
    ) -> *mut rt::WirePanic {
        rt::guard(|| unsafe {
            drop(Box::from_raw(data as *mut C));
        })
    }

    unsafe extern "C" fn call_demo__make__ret<C: Fn(&str) -> u64>(
        data: *const std::ffi::c_void,
        a0: rt::WireStr,
        ret: *mut u64,
    ) -> *mut rt::WirePanic {
        rt::guard(|| unsafe {
            let r = (&*(data as *const C))(a0.as_str());
            ret.write(r);
        })
    }

    pub struct TableOfdemo__make__ret<C>(std::marker::PhantomData<*const C>);

    impl<C: Fn(&str) -> u64> TableOfdemo__make__ret<C> {
        pub const TABLE: Tabledemo__make__ret = Tabledemo__make__ret {
            drop: drop_demo__make__ret::<C>,
            call: call_demo__make__ret::<C>,
            size: std::mem::size_of::<C>(),
            align: std::mem::align_of::<C>(),
        };
    }

    pub fn into_demo__make__ret<C: Fn(&str) -> u64>(
        c: C,
    ) -> rt::WireTuple2<*mut std::ffi::c_void, *const crate::rdylib_erased::Tabledemo__make__ret>
    {
        rt::WireTuple2(
            Box::into_raw(Box::new(c)) as *mut std::ffi::c_void,
            &TableOfdemo__make__ret::<C>::TABLE,
        )
    }
}
