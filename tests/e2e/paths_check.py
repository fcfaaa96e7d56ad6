#!/usr/bin/env python3
"""Writes a Rust program that names every item a facade is said to carry.

Reads report.json from `rdylib build` and prints a main.rs that refers to
each path whose status is not `unsupported`: items by `use PATH as _;`,
functions, methods and associated constants as expressions, fields by
access, and trait impls as trait bounds. If the program compiles against the
facade, every such public path resolves there, as the report claims.
"""
import json
import re
import sys

# rustdoc names std items by their defining path, which may run through a
# private module; each such item is re-exported by name at the module given
# (the same table as PublicStdPath in src/api/type_render.cc).
PRIVATE_STD_MODULES = [
    ("core::iter::traits::", "core::iter::"), ("core::iter::adapters::", "core::iter::"),
    ("core::iter::sources::", "core::iter::"), ("core::iter::range::", "core::iter::"),
    ("core::ops::arith::", "core::ops::"), ("core::ops::bit::", "core::ops::"),
    ("core::ops::control_flow::", "core::ops::"), ("core::ops::deref::", "core::ops::"),
    ("core::ops::drop::", "core::ops::"), ("core::ops::function::", "core::ops::"),
    ("core::ops::index::", "core::ops::"), ("core::ops::range::", "core::ops::"),
    ("core::ops::try_trait::", "core::ops::"), ("core::str::traits::", "core::str::"),
    ("core::str::iter::", "core::str::"), ("core::str::error::", "core::str::"),
    ("core::slice::iter::", "core::slice::"), ("core::slice::index::", "core::slice::"),
    ("core::num::error::", "core::num::"), ("core::num::nonzero::", "core::num::"),
    ("alloc::vec::into_iter::", "alloc::vec::"), ("alloc::vec::drain::", "alloc::vec::"),
    ("alloc::collections::btree::map::", "alloc::collections::btree_map::"),
    ("alloc::collections::btree::set::", "alloc::collections::btree_set::"),
    ("std::collections::hash::map::", "std::collections::hash_map::"),
    ("std::collections::hash::set::", "std::collections::hash_set::"),
    ("std::io::error::", "std::io::"), ("std::io::stdio::", "std::io::"),
    ("std::io::cursor::", "std::io::"), ("alloc::ffi::c_str::", "alloc::ffi::"),
    ("core::ffi::c_str::", "core::ffi::"), ("std::ffi::os_str::", "std::ffi::"),
    ("std::sync::poison::", "std::sync::"), ("std::sync::once::", "std::sync::"),
]


def public_path(path):
    for module, reexported_at in PRIVATE_STD_MODULES:
        if path.startswith(module):
            return reexported_at + path.rsplit("::", 1)[1]
    return path


# Self types written as one bare word: std's prelude and the primitives. Any
# other bare word is a blanket impl's type parameter (`impl<F> Replacer for
# F where F: FnMut(..)`), which names no type: the e2e programs use those.
BARE_TYPES = {"String", "str", "bool", "char", "f32", "f64", "i8", "i16", "i32", "i64", "i128", "isize",
              "u8", "u16", "u32", "u64", "u128", "usize"}

# Impls a bound cannot name (compiler-internal or lint-triggering).
SKIP_TRAITS = {"core::marker::StructuralPartialEq", "core::ops::drop::Drop"}


def split_impl(path):
    """`<T as Trait>` -> (T, Trait); `<T as Trait>::f` -> (T, Trait, f)."""
    m = re.fullmatch(r"<(.+?) as (.+)>(?:::(\w+))?", path)
    return (m.group(1), m.group(2), m.group(3)) if m else None


def main():
    report = json.load(open(sys.argv[1]))
    uses, exprs, fields, bounds = [], [], [], []
    for item in report["items"]:
        if item["status"] == "unsupported":
            continue
        kind, path = item["kind"], item["path"]
        if kind in ("struct", "enum", "type_alias", "constant", "static", "variant", "module", "trait"):
            uses.append(f"use {path} as _;")
        elif kind in ("function", "method", "assoc_const"):
            if item["status"] == "erased":
                # A generic function cannot be named without its type
                # arguments, which only a call infers: the erased items are
                # called by tests/e2e/closures_roundtrip.sh and regex_smoke.sh.
                continue
            if kind == "function" and item.get("reason", "").startswith("generic: the library's body, copied"):
                # A copied generic function: its path resolves without a call.
                uses.append(f"use {path} as _;")
                continue
            exprs.append(f"let _ = {path};")
        elif kind == "field":
            owner, name = path.rsplit("::", 1)
            fields.append(f"let _ = |x: &{owner}| {{ let _ = &x.{name}; }};")
        elif kind == "impl":
            parts = split_impl(path)
            if parts is None:
                continue
            ty, trait, method = parts
            if re.fullmatch(r"\w+", ty) and ty not in BARE_TYPES:
                continue
            trait_name = re.sub(r"<.*", "", trait)
            if trait_name in SKIP_TRAITS:
                continue
            trait = public_path(trait_name) + trait[len(trait_name):]
            # A lifetime the impl declares (`impl<'t> From<Match<'t>> for &'t str`)
            # is any lifetime here.
            ty = re.sub(r"'(?!static\b)\w+", "'_", ty)
            if method:
                trait = re.sub(r"'(?!static\b)\w+", "'_", trait)
                exprs.append(f"let _ = <{ty} as {trait}>::{method};")
            else:
                n = len(bounds)
                # Lifetimes named in the trait's arguments: any will do.
                named = sorted(set(re.findall(r"'\w+", trait)) - {"'static", "'_"})
                binder = f"for<{', '.join(named)}> " if named else ""
                # Operator traits need Sized; only unsized types get ?Sized.
                unsized = ty in ("str",) or ty.startswith(("[", "dyn "))
                relax = "?Sized + " if unsized else ""
                bounds.append(f"fn check_{n}<T: {relax}{binder}{trait}>() {{}}\n    check_{n}::<{ty}>();")
    print("//! Generated by tests/e2e/paths_check.py: names every path the facade carries.")
    print("#![allow(unused, clippy::all)]")
    print("extern crate alloc;  // std types named by their defining crate (alloc::borrow::Cow)")
    for u in sorted(set(uses)):
        print(u)
    print("\nfn main() {")
    for line in sorted(set(exprs)) + sorted(set(fields)) + bounds:
        print("    " + line)
    print("}")


if __name__ == "__main__":
    main()
