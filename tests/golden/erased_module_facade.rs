/// Erased type parameters and closures: each one's table of entries
/// (docs/ABI.md, "Erasure" and "Closures").
#[allow(dead_code, non_camel_case_types, non_snake_case, clippy::all)]
pub mod rdylib_erased {
    use crate::rdylib_rt as rt;

    /// `F` of `demo::run`: owned FnMut(&str, u32) -> String + Send + 'static.
    #[repr(C)]
    pub struct Tabledemo__run__F {
        pub drop: unsafe extern "C" fn(*mut core::ffi::c_void) -> *mut rt::WireParked,
        pub call_mut: unsafe extern "C" fn(
            *mut core::ffi::c_void,
            rt::WireStr,
            u32,
            *mut rt::WireOwnedString,
        ) -> *mut rt::WireParked,
        pub size: usize,
        pub align: usize,
    }

    unsafe extern "C" fn drop_demo__run__F<T: FnMut(&str, u32) -> String>(
        data: *mut core::ffi::c_void,
    ) -> *mut rt::WireParked {
        rt::callback(|| unsafe {
            drop(Box::from_raw(data as *mut T));
        })
    }

    unsafe extern "C" fn call_mut_demo__run__F<T: FnMut(&str, u32) -> String>(
        data: *mut core::ffi::c_void,
        a0: rt::WireStr,
        a1: u32,
        ret: *mut rt::WireOwnedString,
    ) -> *mut rt::WireParked {
        rt::callback(|| unsafe {
            let r = (&mut *(data as *mut T))(a0.as_str(), a1);
            ret.write(rt::owned_string_out(r));
        })
    }

    pub struct TableOfdemo__run__F<T: ?Sized>(core::marker::PhantomData<*const T>);

    impl<T: FnMut(&str, u32) -> String> TableOfdemo__run__F<T> {
        pub const TABLE: Tabledemo__run__F = Tabledemo__run__F {
            drop: drop_demo__run__F::<T>,
            call_mut: call_mut_demo__run__F::<T>,
            size: core::mem::size_of::<T>(),
            align: core::mem::align_of::<T>(),
        };
    }

    pub fn into_demo__run__F<T: FnMut(&str, u32) -> String>(
        value: T,
    ) -> (*mut core::ffi::c_void, *const Tabledemo__run__F) {
        (
            Box::into_raw(Box::new(value)) as *mut core::ffi::c_void,
            &TableOfdemo__run__F::<T>::TABLE,
        )
    }

    /// `S` of `demo::run`: ref AsRef<str> + Display.
    #[repr(C)]
    pub struct Tabledemo__run__S {
        pub as_ref_str:
            unsafe extern "C" fn(*const core::ffi::c_void, *mut rt::WireStr) -> *mut rt::WireParked,
        pub fmt_display: unsafe extern "C" fn(
            *const core::ffi::c_void,
            *const rt::WireFlags,
            *mut rt::WireOwnedString,
        ) -> *mut rt::WireParked,
        pub size: usize,
        pub align: usize,
    }

    unsafe extern "C" fn as_ref_str_demo__run__S<T: ?Sized + AsRef<str> + core::fmt::Display>(
        data: *const core::ffi::c_void,
        ret: *mut rt::WireStr,
    ) -> *mut rt::WireParked {
        rt::callback(|| unsafe {
            ret.write(rt::WireStr::from_str(AsRef::<str>::as_ref(
                &**(data as *const &T),
            )));
        })
    }

    unsafe extern "C" fn fmt_display_demo__run__S<T: ?Sized + AsRef<str> + core::fmt::Display>(
        data: *const core::ffi::c_void,
        flags: *const rt::WireFlags,
        ret: *mut rt::WireOwnedString,
    ) -> *mut rt::WireParked {
        rt::callback(|| unsafe {
            ret.write(rt::owned_string_out(rt::display_with(
                &**(data as *const &T),
                &*flags,
            )));
        })
    }

    pub struct TableOfdemo__run__S<T: ?Sized>(core::marker::PhantomData<*const T>);

    impl<T: ?Sized + AsRef<str> + core::fmt::Display> TableOfdemo__run__S<T> {
        pub const TABLE: Tabledemo__run__S = Tabledemo__run__S {
            as_ref_str: as_ref_str_demo__run__S::<T>,
            fmt_display: fmt_display_demo__run__S::<T>,
            size: core::mem::size_of::<*const T>(),
            align: core::mem::align_of::<*const T>(),
        };
    }

    pub fn lend_demo__run__S<T: ?Sized + AsRef<str> + core::fmt::Display>(
        value: &&T,
    ) -> (*mut core::ffi::c_void, *const Tabledemo__run__S) {
        (
            value as *const &T as *mut core::ffi::c_void,
            &TableOfdemo__run__S::<T>::TABLE,
        )
    }

    /// `I` of `demo::run`: owned IntoIterator<Item = param 3>.
    #[repr(C)]
    pub struct Tabledemo__run__I {
        pub drop: unsafe extern "C" fn(*mut core::ffi::c_void) -> *mut rt::WireParked,
        pub into_iter: unsafe extern "C" fn(
            *mut core::ffi::c_void,
            *mut *mut core::ffi::c_void,
        ) -> *mut rt::WireParked,
        pub iter_drop: unsafe extern "C" fn(*mut core::ffi::c_void) -> *mut rt::WireParked,
        pub iter_next: unsafe extern "C" fn(
            *mut core::ffi::c_void,
            *mut rt::WireOption<*mut core::ffi::c_void>,
        ) -> *mut rt::WireParked,
        pub iter_size_hint: unsafe extern "C" fn(
            *const core::ffi::c_void,
            *mut rt::WireTuple3<usize, u8, usize>,
        ) -> *mut rt::WireParked,
        pub size: usize,
        pub align: usize,
        pub item_table: *const Tabledemo__run__T,
    }

    unsafe extern "C" fn drop_demo__run__I<T: IntoIterator>(
        data: *mut core::ffi::c_void,
    ) -> *mut rt::WireParked
    where
        T::Item: PartialEq + PartialOrd + Into<std::string::String>,
    {
        rt::callback(|| unsafe {
            drop(Box::from_raw(data as *mut T));
        })
    }

    unsafe extern "C" fn into_iter_demo__run__I<T: IntoIterator>(
        data: *mut core::ffi::c_void,
        ret: *mut *mut core::ffi::c_void,
    ) -> *mut rt::WireParked
    where
        T::Item: PartialEq + PartialOrd + Into<std::string::String>,
    {
        rt::callback(|| unsafe {
            let value = *Box::from_raw(data as *mut T);
            ret.write(Box::into_raw(Box::new(value.into_iter())) as *mut core::ffi::c_void);
        })
    }

    unsafe extern "C" fn iter_drop_demo__run__I<T: IntoIterator>(
        data: *mut core::ffi::c_void,
    ) -> *mut rt::WireParked
    where
        T::Item: PartialEq + PartialOrd + Into<std::string::String>,
    {
        rt::callback(|| unsafe {
            drop(Box::from_raw(data as *mut T::IntoIter));
        })
    }

    unsafe extern "C" fn iter_next_demo__run__I<T: IntoIterator>(
        data: *mut core::ffi::c_void,
        ret: *mut rt::WireOption<*mut core::ffi::c_void>,
    ) -> *mut rt::WireParked
    where
        T::Item: PartialEq + PartialOrd + Into<std::string::String>,
    {
        rt::callback(|| unsafe {
            ret.write(match (*(data as *mut T::IntoIter)).next() {
                Some(x) => {
                    rt::WireOption::some(Box::into_raw(Box::new(x)) as *mut core::ffi::c_void)
                }
                None => rt::WireOption::none(),
            });
        })
    }

    unsafe extern "C" fn iter_size_hint_demo__run__I<T: IntoIterator>(
        data: *const core::ffi::c_void,
        ret: *mut rt::WireTuple3<usize, u8, usize>,
    ) -> *mut rt::WireParked
    where
        T::Item: PartialEq + PartialOrd + Into<std::string::String>,
    {
        rt::callback(|| unsafe {
            let (lo, hi) = Iterator::size_hint(&*(data as *const T::IntoIter));
            ret.write(rt::WireTuple3(lo, hi.is_some() as u8, hi.unwrap_or(0)));
        })
    }

    pub struct TableOfdemo__run__I<T: ?Sized>(core::marker::PhantomData<*const T>);

    impl<T: IntoIterator> TableOfdemo__run__I<T>
    where
        T::Item: PartialEq + PartialOrd + Into<std::string::String>,
    {
        pub const TABLE: Tabledemo__run__I = Tabledemo__run__I {
            drop: drop_demo__run__I::<T>,
            into_iter: into_iter_demo__run__I::<T>,
            iter_drop: iter_drop_demo__run__I::<T>,
            iter_next: iter_next_demo__run__I::<T>,
            iter_size_hint: iter_size_hint_demo__run__I::<T>,
            size: core::mem::size_of::<T>(),
            align: core::mem::align_of::<T>(),
            item_table: &TableOfdemo__run__T::<T::Item>::TABLE,
        };
    }

    pub fn into_demo__run__I<T: IntoIterator>(
        value: T,
    ) -> (*mut core::ffi::c_void, *const Tabledemo__run__I)
    where
        T::Item: PartialEq + PartialOrd + Into<std::string::String>,
    {
        (
            Box::into_raw(Box::new(value)) as *mut core::ffi::c_void,
            &TableOfdemo__run__I::<T>::TABLE,
        )
    }

    /// `T` of `demo::run`: owned PartialEq + PartialOrd + Into<String>.
    #[repr(C)]
    pub struct Tabledemo__run__T {
        pub drop: unsafe extern "C" fn(*mut core::ffi::c_void) -> *mut rt::WireParked,
        pub eq: unsafe extern "C" fn(
            *const core::ffi::c_void,
            *const core::ffi::c_void,
            *mut bool,
        ) -> *mut rt::WireParked,
        pub partial_cmp: unsafe extern "C" fn(
            *const core::ffi::c_void,
            *const core::ffi::c_void,
            *mut i8,
        ) -> *mut rt::WireParked,
        pub lt: unsafe extern "C" fn(
            *const core::ffi::c_void,
            *const core::ffi::c_void,
            *mut bool,
        ) -> *mut rt::WireParked,
        pub le: unsafe extern "C" fn(
            *const core::ffi::c_void,
            *const core::ffi::c_void,
            *mut bool,
        ) -> *mut rt::WireParked,
        pub gt: unsafe extern "C" fn(
            *const core::ffi::c_void,
            *const core::ffi::c_void,
            *mut bool,
        ) -> *mut rt::WireParked,
        pub ge: unsafe extern "C" fn(
            *const core::ffi::c_void,
            *const core::ffi::c_void,
            *mut bool,
        ) -> *mut rt::WireParked,
        pub into_string: unsafe extern "C" fn(
            *mut core::ffi::c_void,
            *mut rt::WireOwnedString,
        ) -> *mut rt::WireParked,
        pub size: usize,
        pub align: usize,
    }

    unsafe extern "C" fn drop_demo__run__T<
        T: PartialEq + PartialOrd + Into<std::string::String>,
    >(
        data: *mut core::ffi::c_void,
    ) -> *mut rt::WireParked {
        rt::callback(|| unsafe {
            drop(Box::from_raw(data as *mut T));
        })
    }

    unsafe extern "C" fn eq_demo__run__T<T: PartialEq + PartialOrd + Into<std::string::String>>(
        data: *const core::ffi::c_void,
        other: *const core::ffi::c_void,
        ret: *mut bool,
    ) -> *mut rt::WireParked {
        rt::callback(|| unsafe {
            ret.write(PartialEq::eq(&*(data as *const T), &*(other as *const T)));
        })
    }

    unsafe extern "C" fn partial_cmp_demo__run__T<
        T: PartialEq + PartialOrd + Into<std::string::String>,
    >(
        data: *const core::ffi::c_void,
        other: *const core::ffi::c_void,
        ret: *mut i8,
    ) -> *mut rt::WireParked {
        rt::callback(|| unsafe {
            ret.write(
                PartialOrd::partial_cmp(&*(data as *const T), &*(other as *const T))
                    .map_or(2, |o| o as i8),
            );
        })
    }

    unsafe extern "C" fn lt_demo__run__T<T: PartialEq + PartialOrd + Into<std::string::String>>(
        data: *const core::ffi::c_void,
        other: *const core::ffi::c_void,
        ret: *mut bool,
    ) -> *mut rt::WireParked {
        rt::callback(|| unsafe {
            ret.write(PartialOrd::lt(&*(data as *const T), &*(other as *const T)));
        })
    }

    unsafe extern "C" fn le_demo__run__T<T: PartialEq + PartialOrd + Into<std::string::String>>(
        data: *const core::ffi::c_void,
        other: *const core::ffi::c_void,
        ret: *mut bool,
    ) -> *mut rt::WireParked {
        rt::callback(|| unsafe {
            ret.write(PartialOrd::le(&*(data as *const T), &*(other as *const T)));
        })
    }

    unsafe extern "C" fn gt_demo__run__T<T: PartialEq + PartialOrd + Into<std::string::String>>(
        data: *const core::ffi::c_void,
        other: *const core::ffi::c_void,
        ret: *mut bool,
    ) -> *mut rt::WireParked {
        rt::callback(|| unsafe {
            ret.write(PartialOrd::gt(&*(data as *const T), &*(other as *const T)));
        })
    }

    unsafe extern "C" fn ge_demo__run__T<T: PartialEq + PartialOrd + Into<std::string::String>>(
        data: *const core::ffi::c_void,
        other: *const core::ffi::c_void,
        ret: *mut bool,
    ) -> *mut rt::WireParked {
        rt::callback(|| unsafe {
            ret.write(PartialOrd::ge(&*(data as *const T), &*(other as *const T)));
        })
    }

    unsafe extern "C" fn into_string_demo__run__T<
        T: PartialEq + PartialOrd + Into<std::string::String>,
    >(
        data: *mut core::ffi::c_void,
        ret: *mut rt::WireOwnedString,
    ) -> *mut rt::WireParked {
        rt::callback(|| unsafe {
            let value = *Box::from_raw(data as *mut T);
            ret.write(rt::owned_string_out(value.into()));
        })
    }

    pub struct TableOfdemo__run__T<T: ?Sized>(core::marker::PhantomData<*const T>);

    impl<T: PartialEq + PartialOrd + Into<std::string::String>> TableOfdemo__run__T<T> {
        pub const TABLE: Tabledemo__run__T = Tabledemo__run__T {
            drop: drop_demo__run__T::<T>,
            eq: eq_demo__run__T::<T>,
            partial_cmp: partial_cmp_demo__run__T::<T>,
            lt: lt_demo__run__T::<T>,
            le: le_demo__run__T::<T>,
            gt: gt_demo__run__T::<T>,
            ge: ge_demo__run__T::<T>,
            into_string: into_string_demo__run__T::<T>,
            size: core::mem::size_of::<T>(),
            align: core::mem::align_of::<T>(),
        };
    }

    pub fn into_demo__run__T<T: PartialEq + PartialOrd + Into<std::string::String>>(
        value: T,
    ) -> (*mut core::ffi::c_void, *const Tabledemo__run__T) {
        (
            Box::into_raw(Box::new(value)) as *mut core::ffi::c_void,
            &TableOfdemo__run__T::<T>::TABLE,
        )
    }

    /// `ret` of `demo::make`: returned_boxed Fn(&str) -> u64 + Send.
    #[repr(C)]
    pub struct Tabledemo__make__ret {
        pub drop: unsafe extern "C" fn(*mut core::ffi::c_void) -> *mut rt::WirePanic,
        pub call: unsafe extern "C" fn(
            *const core::ffi::c_void,
            rt::WireStr,
            *mut u64,
        ) -> *mut rt::WirePanic,
        pub size: usize,
        pub align: usize,
    }

    /// The library's closure.
    pub struct Proxydemo__make__ret {
        data: *mut core::ffi::c_void,
        table: *const Tabledemo__make__ret,
    }

    impl Drop for Proxydemo__make__ret {
        fn drop(&mut self) {
            unsafe {
                rt::resume(
                    ((*self.table).drop)(self.data),
                    crate::rdylib_api().rdylib_v1_demo__free_panic,
                )
            }
        }
    }

    // The library's signature says the closure is Send.
    unsafe impl Send for Proxydemo__make__ret {}

    pub fn from_demo__make__ret(
        w: rt::WireTuple2<
            *mut core::ffi::c_void,
            *const crate::rdylib_erased::Tabledemo__make__ret,
        >,
    ) -> impl Fn(&str) -> u64 + Send + 'static {
        let p = Proxydemo__make__ret {
            data: w.0,
            table: w.1,
        };
        move |a0| {
            let p = &p;
            unsafe {
                let mut ret = core::mem::MaybeUninit::<u64>::uninit();
                rt::resume(
                    ((*p.table).call)(
                        p.data as *const core::ffi::c_void,
                        rt::WireStr::from_str(a0),
                        ret.as_mut_ptr(),
                    ),
                    crate::rdylib_api().rdylib_v1_demo__free_panic,
                );
                ret.assume_init()
            }
        }
    }
}
