#!/usr/bin/env python3
"""Unit tests of doc_oracle's HTML reading and comparison.

The snippets are trimmed copies of what rustdoc 1.95 writes (cargo doc on
semver 1.0.14, regex 1.7.1 and a small crate using every item kind).
Run: python3 -m unittest tests/e2e/doc_oracle_test.py
"""

import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import doc_oracle as oracle  # noqa: E402

MAIN = '<nav class="sidebar"><a href="#method.sidebar_only">x</a></nav>' \
       '<section id="main-content" class="content" tabindex="-1">'

ALL_HTML = MAIN + '''<h3 id="structs">Structs</h3><ul class="all-items">
<li><a href="struct.Version.html">Version</a></li>
<li><a href="bytes/struct.Regex.html">Regex</a></li>
<li><a href="a/b/union.U.html">U</a></li></ul>
<h3 id="macros">Macros</h3><ul class="all-items">
<li><a href="macro.mac.html">mac</a></li><li><a href="derive.Der.html">Der</a></li>
</ul><h3 id="types">Type Aliases</h3><ul class="all-items">
<li><a href="type.T.html">T</a></li><li><a href="traitalias.TA.html">TA</a></li>
</ul><a href="../src/c/lib.rs.html">src</a><a href="#main-content">top</a>
<a href="https://doc.rust-lang.org/std/primitive.str.html">str</a></section>'''

# A struct page: fields, an inherent impl, Deref target methods, then the
# three impl sections, with rustdoc's -1 suffixes on repeated anchors.
STRUCT_PAGE = MAIN + '''
<h2 id="fields" class="fields section-header">Fields</h2>
<span id="structfield.major" class="structfield section-header"></span>
<span id="structfield.0" class="structfield section-header"></span>
<h2 id="implementations" class="section-header">Implementations</h2>
<div id="implementations-list"><details><summary>
<section id="impl-Version" class="impl"><h3 class="code-header">impl <a class="struct" href="struct.Version.html" title="struct semver::Version">Version</a></h3></section>
</summary><div class="impl-items">
<section id="method.new" class="method"><h4 class="code-header">pub fn new()</h4></section>
<section id="associatedconstant.EMPTY" class="associatedconstant"></section>
<section id="method.new-1" class="method"></section>
</div></details></div>
<h2 id="deref-methods-str" class="section-header">Methods from Deref</h2>
<div id="deref-methods-str-1" class="impl-items">
<section id="method.len" class="method"></section></div>
<h2 id="trait-implementations" class="section-header">Trait Implementations</h2>
<div id="trait-implementations-list">
<section id="impl-Display-for-Version" class="impl"><h3 class="code-header">impl <a class="trait" href="https://doc.rust-lang.org/1.95.0/core/fmt/trait.Display.html" title="trait core::fmt::Display">Display</a> for <a class="struct" href="struct.Version.html" title="struct semver::Version">Version</a></h3></section>
<section id="method.fmt" class="method trait-impl"></section>
<section id="impl-FromIterator%3CComparator%3E-for-VersionReq" class="impl"><h3 class="code-header">impl <a class="trait" href="x" title="trait core::iter::traits::collect::FromIterator">FromIterator</a>&lt;<a class="struct" href="struct.Comparator.html" title="struct semver::Comparator">Comparator</a>&gt; for <a class="struct" href="struct.VersionReq.html" title="struct semver::VersionReq">VersionReq</a></h3></section>
<section id="impl-IntoIterator-for-%26Version" class="impl"><h3 class="code-header">impl&lt;'a&gt; <a class="trait" href="x" title="trait core::iter::traits::collect::IntoIterator">IntoIterator</a> for &amp;'a <a class="struct" href="struct.Version.html" title="struct semver::Version">Version</a></h3></section>
<section id="impl-From%3CVersion%3E-for-%26str" class="impl"><h3 class="code-header">impl&lt;'t&gt; <a class="trait" href="x" title="trait core::convert::From">From</a>&lt;<a class="struct" href="struct.Version.html" title="struct semver::Version">Version</a>&gt; for &amp;'t <a class="primitive" href="https://doc.rust-lang.org/1.95.0/std/primitive.str.html">str</a></h3></section>
</div>
<h2 id="synthetic-implementations" class="section-header">Auto Trait Implementations</h2>
<div id="synthetic-implementations-list">
<section id="impl-Send-for-Version" class="impl"><h3 class="code-header">impl !<a class="trait" href="x" title="trait core::marker::Send">Send</a> for <a class="struct" href="struct.Version.html" title="struct semver::Version">Version</a></h3></section>
</div>
<h2 id="blanket-implementations" class="section-header">Blanket Implementations</h2>
<div id="blanket-implementations-list">
<section id="impl-From%3CT%3E-for-T" class="impl"><h3 class="code-header">impl&lt;T&gt; <a class="trait" href="x" title="trait core::convert::From">From</a>&lt;T&gt; for T</h3></section>
<section id="method.from" class="method trait-impl"></section>
<section id="impl-Any-for-T" class="impl"><h3 class="code-header">impl&lt;T&gt; <a class="trait" href="x" title="trait core::any::Any">Any</a> for T<div class="where">where
    T: 'static + ?<a class="trait" href="x" title="trait core::marker::Sized">Sized</a>,</div></h3></section>
</div></section>'''

ENUM_PAGE = MAIN + '''
<h2 id="variants" class="variants section-header">Variants</h2>
<section id="variant.Unit" class="variant"><a href="#variant.Unit" class="anchor">§</a><h3 class="code-header">Unit</h3></section>
<section id="variant.Syntax" class="variant"><a href="#variant.Syntax" class="anchor">§</a><h3 class="code-header">Syntax(<a class="struct" href="x" title="struct alloc::string::String">String</a>, <a class="enum" href="y" title="enum core::option::Option">Option</a>&lt;(<a class="primitive" href="z">u8</a>, <a class="primitive" href="z">u8</a>)&gt;)</h3></section>
<section id="variant.Named" class="variant"><h3 class="code-header">Named</h3></section>
<div class="sub-variant" id="variant.Named.fields">
<span id="variant.Named.field.f" class="section-header"></span></div>
</section>'''

# A trait page: its own items, then impls of it (whose members must not be
# taken for the trait's), then an inherent `impl dyn Replacer`.
TRAIT_PAGE = MAIN + '''
<h2 id="required-associated-types" class="section-header">Required</h2>
<section id="associatedtype.A" class="method"></section>
<h2 id="provided-associated-consts" class="section-header">Provided</h2>
<section id="associatedconstant.P" class="method"></section>
<h2 id="required-methods" class="section-header">Required Methods</h2>
<section id="tymethod.replace_append" class="method"></section>
<h2 id="provided-methods" class="section-header">Provided Methods</h2>
<section id="method.no_expansion" class="method"></section>
<h2 id="implementations" class="section-header">Implementations</h2>
<section id="impl-dyn+Replacer" class="impl"><h3 class="code-header">impl dyn <a class="trait" href="trait.Replacer.html" title="trait regex::Replacer">Replacer</a></h3></section>
<section id="method.on_dyn" class="method"></section>
<h2 id="foreign-impls" class="section-header">Implementations on Foreign Types</h2>
<section id="impl-Replacer-for-%26Cow%3C'a,+str%3E" class="impl"><h3 class="code-header">impl&lt;'a&gt; <a class="trait" href="trait.Replacer.html" title="trait regex::Replacer">Replacer</a> for &amp;'a <a class="enum" href="x" title="enum alloc::borrow::Cow">Cow</a>&lt;'a, <a class="primitive" href="x">str</a>&gt;</h3></section>
<section id="method.replace_append" class="method trait-impl"></section>
<section id="method.extra_in_impl" class="method trait-impl"></section>
<h2 id="implementors" class="section-header">Implementors</h2>
<div id="implementors-list">
<section id="impl-Replacer-for-F" class="impl"><h3 class="code-header">impl&lt;F, T&gt; <a class="trait" href="trait.Replacer.html" title="trait regex::Replacer">Replacer</a> for F<div class="where">where
    F: <a class="trait" href="x" title="trait core::ops::function::FnMut">FnMut</a>(&amp;<a class="struct" href="struct.Captures.html" title="struct regex::Captures">Captures</a>&lt;'_&gt;) -&gt; T,</div></h3></section>
</div></section>'''

INDEX_PAGE = MAIN + '''
<h2 id="reexports" class="section-header">Re-exports</h2><dl class="item-table reexports">
<dt id="reexport.DeepAlias"><code>pub use a::b::<a class="struct" href="a/b/struct.Deep.html" title="struct kitchen::a::b::Deep">Deep</a> as DeepAlias;</code></dt>
<dt id="reexport.b"><code>pub use a::<a class="mod" href="a/b/index.html" title="mod kitchen::a::b">b</a>;</code></dt></dl>
<h2 id="modules" class="section-header">Modules</h2><dl class="item-table">
<dt><a class="mod" href="a/index.html" title="mod kitchen::a">a</a></dt></dl>
<h2 id="structs" class="section-header">Structs</h2><dl class="item-table">
<dt><a class="struct" href="struct.W.html" title="struct kitchen::W">W</a></dt></dl>
</section>'''


def impl_tuples(impls):
    return sorted((i["for"], i["trait"], i["origin"]) for i in impls)


class HtmlTest(unittest.TestCase):
    def test_all_html_maps_file_names_to_kinds_and_paths(self):
        self.assertEqual(oracle.all_html_items(ALL_HTML, "c"), [
            ("struct", "c::Version", "struct.Version.html"),
            ("struct", "c::bytes::Regex", "bytes/struct.Regex.html"),
            ("union", "c::a::b::U", "a/b/union.U.html"),
            ("macro", "c::mac", "macro.mac.html"),
            ("proc_macro", "c::Der", "derive.Der.html"),
            ("type_alias", "c::T", "type.T.html"),
            ("trait_alias", "c::TA", "traitalias.TA.html"),
        ])

    def test_struct_members_are_fields_and_inherent_items_only(self):
        page = oracle.parse_page(STRUCT_PAGE)
        self.assertEqual(oracle.page_members("struct", "s::Version", page), {
            ("field", "s::Version::major"), ("field", "s::Version::0"),
            ("method", "s::Version::new"),
            ("assoc_const", "s::Version::EMPTY"),
        })

    def test_struct_impls_by_section(self):
        page = oracle.parse_page(STRUCT_PAGE)
        self.assertEqual(impl_tuples(oracle.page_impls("semver::Version", page)), [
            ("semver::Version", "Any", "blanket"),
            ("semver::Version", "Display", "local"),
            ("semver::Version", "From", "blanket"),
            ("semver::Version", "IntoIterator", "local"),
            ("semver::Version", "Send", "synthetic"),
            ("semver::VersionReq", "FromIterator", "local"),
            ("str", "From", "local"),
        ])
        display = [i for i in oracle.page_impls("semver::Version", page)
                   if i["trait"] == "Display"][0]
        self.assertEqual(display["trait_path"], "core::fmt::Display")
        self.assertEqual(display["header"], "impl Display for Version")

    def test_enum_variants_and_variant_fields(self):
        page = oracle.parse_page(ENUM_PAGE)
        self.assertEqual(oracle.page_members("enum", "k::E", page), {
            ("variant", "k::E::Unit"), ("variant", "k::E::Named"),
            ("variant", "k::E::Syntax"),
            ("variant_field", "k::E::Syntax::0"), ("variant_field", "k::E::Syntax::1"),
            ("variant_field", "k::E::Named::f")})

    def test_tuple_fields_of_a_variant_header(self):
        self.assertEqual(oracle.tuple_fields("Syntax(String)"), ["String"])
        self.assertEqual(oracle.tuple_fields("V(HashMap<K, V>, (u8, i8), [u8; 2], fn(u8) -> u8)"),
                         ["HashMap<K, V>", "(u8, i8)", "[u8; 2]", "fn(u8) -> u8"])
        self.assertEqual(oracle.tuple_fields("Unit"), [])
        self.assertEqual(oracle.tuple_fields("High = 10"), [])
        self.assertEqual(oracle.tuple_fields("Named"), [])

    def test_trait_impls_carry_the_items_shown_after_them(self):
        page = oracle.parse_page(STRUCT_PAGE)
        by_trait = {i["trait"]: i for i in oracle.page_impls("semver::Version", page)}
        self.assertEqual(by_trait["Display"]["members"], {("impl_method", "fmt")})
        self.assertEqual(by_trait["From"]["members"], {("impl_method", "from")})
        self.assertEqual(by_trait["FromIterator"]["members"], set())
        self.assertEqual(by_trait["Send"]["section"], "synthetic-implementations")
        # Implementors show no items; a foreign impl on a trait page does.
        trait_page = oracle.parse_page(TRAIT_PAGE)
        by_for = {i["for"]: i for i in oracle.page_impls("r::Replacer", trait_page)}
        self.assertEqual(by_for["F"]["members"], set())
        self.assertEqual(by_for["alloc::borrow::Cow"]["members"],
                         {("impl_method", "replace_append"), ("impl_method", "extra_in_impl")})

    def test_glob_reexports(self):
        new = oracle.parse_page(MAIN + '''<h2 id="reexports" class="section-header">Re-exports</h2>
<dl class="item-table reexports"><dt><code>pub use <a class="mod" href="shapes/index.html" title="mod api_fixture::shapes">shapes</a>::*;</code></dt>
<dt id="reexport.X"><code>pub use a::<a class="struct" href="a/struct.X.html" title="struct api_fixture::a::X">X</a>;</code></dt></dl>
<h2 id="modules" class="section-header">Modules</h2></section>''')
        self.assertEqual(new.globs, ["mod api_fixture::shapes"])
        self.assertEqual(new.reexports, [("X", "struct api_fixture::a::X")])
        # rustdoc 1.85: <li><div class="item-name">.
        old = oracle.parse_page(MAIN + '''<h2 id="reexports" class="section-header">Re-exports</h2>
<ul class="item-table"><li><div class="item-name"><code>pub use <a class="mod" href="shapes/index.html" title="mod api_fixture::shapes">shapes</a>::*;</code></div></li></ul></section>''')
        self.assertEqual(old.globs, ["mod api_fixture::shapes"])

    def test_trait_members_exclude_impl_members(self):
        page = oracle.parse_page(TRAIT_PAGE)
        self.assertEqual(oracle.page_members("trait", "r::Replacer", page), {
            ("trait_type", "r::Replacer::A"), ("trait_const", "r::Replacer::P"),
            ("trait_method", "r::Replacer::replace_append"),
            ("trait_method", "r::Replacer::no_expansion")})

    def test_trait_page_impls(self):
        page = oracle.parse_page(TRAIT_PAGE)
        self.assertEqual(impl_tuples(oracle.page_impls("r::Replacer", page)), [
            ("F", "Replacer", "local"),
            ("alloc::borrow::Cow", "Replacer", "local"),
        ])

    def test_index_modules_and_reexports(self):
        page = oracle.parse_page(INDEX_PAGE)
        self.assertEqual(page.reexports, [
            ("DeepAlias", "struct kitchen::a::b::Deep"),
            ("b", "mod kitchen::a::b")])
        # rustdoc 1.85 puts the anchor on a <div> inside a <li>.
        old = oracle.parse_page(MAIN + '''<h2 id="reexports" class="section-header">
<ul class="item-table"><li><div class="item-name" id="reexport.DeepAlias"><code>pub
use a::b::<a class="struct" href="x" title="struct kitchen::a::b::Deep">Deep</a> as
DeepAlias;</code></div></li><li><div class="item-name"><a class="mod" href="y"
title="mod kitchen::z">z</a></div></li></ul></section>''')
        self.assertEqual(old.reexports, [("DeepAlias", "struct kitchen::a::b::Deep")])
        mods = [(s, c, t) for s, c, t, _ in page.links if s == "modules"]
        self.assertIn(("modules", "mod", "mod kitchen::a"), mods)


class ImplHeaderTest(unittest.TestCase):
    def parse(self, text, links=()):
        return oracle.parse_impl_header(text, list(links))

    def test_plain(self):
        text = "impl Display for Version"
        self.assertEqual(self.parse(text, [(5, "trait core::fmt::Display"),
                                           (17, "struct semver::Version")]),
                         ("Display", "core::fmt::Display", "semver::Version"))

    def test_unlinked_for_type_keeps_its_name(self):
        self.assertEqual(self.parse("impl<'a> Tr for &'a mut [u8]"),
                         ("Tr", "", "[u8]"))
        self.assertEqual(self.parse("impl<T> From<!> for T"), ("From", "", "T"))

    def test_where_clause_with_arrow_and_hrtb(self):
        text = ("impl<F, T> Replacer for F where F: for<'a> FnMut(&Captures<'a>)"
                " -> T, T: AsRef<str>,")
        self.assertEqual(self.parse(text), ("Replacer", "", "F"))

    def test_generic_trait_arguments(self):
        self.assertEqual(self.parse("impl<'t, 'i> Index<&'i str> for Captures<'t>"),
                         ("Index", "", "Captures"))

    def test_negative_and_unsafe(self):
        self.assertEqual(self.parse("unsafe impl !Sync for X")[0], "Sync")

    def test_inherent_impl_is_not_a_trait_impl(self):
        self.assertIsNone(self.parse("impl<'t> Captures<'t>"))
        self.assertIsNone(self.parse("impl dyn Replacer"))


class HtmlApiTest(unittest.TestCase):
    def test_walks_a_doc_dir_and_deduplicates_impls(self):
        with tempfile.TemporaryDirectory() as d:
            files = {
                "index.html": INDEX_PAGE,
                "a/index.html": MAIN + "</section>",
                "all.html": MAIN + '<a href="struct.Version.html">V</a>'
                                   '<a href="struct.Other.html">O</a>'
                                   '<a href="type.T.html">T</a></section>',
                "struct.Version.html": STRUCT_PAGE,
                # Another Version (think regex::bytes::Regex): repeats the
                # FromIterator impl, as rustdoc does, and has its own
                # `From<Version> for &str`, with the very same header text.
                "struct.Other.html": STRUCT_PAGE.replace(
                    "structfield.major", "structfield.minor").replace(
                    '"struct semver::Version"', '"struct semver::bytes::Version"'),
                "type.T.html": ENUM_PAGE,  # alias pages are not read
            }
            for name, text in files.items():
                os.makedirs(os.path.dirname(os.path.join(d, name)), exist_ok=True)
                with open(os.path.join(d, name), "w") as f:
                    f.write(text)
            items, impls, aliases, globs = oracle.html_api(d, "semver")
        self.assertLessEqual({
            ("module", "semver"), ("module", "kitchen::a"),
            ("struct", "semver::DeepAlias"), ("module", "semver::b"),
            ("struct", "semver::Version"), ("type_alias", "semver::T"),
            ("field", "semver::Other::minor")}, items)
        self.assertNotIn(("variant", "semver::T::Unit"), items)
        from_iter = [i for i in impls if i["trait"] == "FromIterator"]
        self.assertEqual(len(from_iter), 1)
        from_str = [i for i in impls if i["trait"] == "From" and i["for"] == "str"]
        self.assertEqual(len(from_str), 2)
        self.assertEqual(len([i for i in impls if i["trait"] == "Any"]), 2)
        # FromIterator shows on both pages: one impl, both pages recorded.
        self.assertEqual(from_iter[0]["pages"], {"semver::Version", "semver::Other"})
        self.assertEqual(from_iter[0]["sections"], {"trait-implementations"})
        self.assertEqual(aliases, {"semver::DeepAlias": "kitchen::a::b::Deep",
                                   "semver::b": "kitchen::a::b"})
        self.assertEqual(globs, [])


def rd(kind, path, **kw):
    return dict(kind=kind, path=path, **kw)


def html_of(items=(), impls=(), aliases=None, globs=()):
    """An HtmlApi as html_api makes it: each impl with its pages, sections
    and members."""
    full = []
    for i in impls:
        i = dict(i)
        i.setdefault("pages", {i["page"]})
        i.setdefault("sections", {i.get("section", "trait-implementations")})
        i.setdefault("members", set())
        full.append(i)
    return oracle.HtmlApi(set(items), full, dict(aliases or {}), list(globs))


class CompareTest(unittest.TestCase):
    HTML_IMPLS = [
        {"for": "c::Captures", "trait": "Index", "origin": "local",
         "trait_path": "core::ops::index::Index",
         "header": "impl Index<usize> for Captures", "page": "c::Captures",
         "members": {("impl_method", "index"), ("impl_type", "Output")}},
        {"for": "c::Captures", "trait": "Index", "origin": "local",
         "trait_path": "core::ops::index::Index",
         "header": "impl Index<&str> for Captures", "page": "c::Captures",
         "members": {("impl_method", "index"), ("impl_type", "Output")}},
        {"for": "c::Captures", "trait": "Send", "origin": "synthetic",
         "trait_path": "", "header": "impl Send for Captures",
         "page": "c::Captures"},
        {"for": "str", "trait": "From", "origin": "local", "trait_path": "",
         "header": "impl From<Match> for &str", "page": "c::Match"},
    ]
    HTML_ITEMS = {("struct", "c::Captures"), ("method", "c::Captures::get"),
                  ("struct", "c::Match"), ("struct", "c::Caps")}
    INDEX = {"trait": "core::ops::index::Index", "origin": "local"}

    def rdylib(self):
        """What rdylib lists for HTML_ITEMS/HTML_IMPLS, with `pub use
        Captures as Caps` (shown by the HTML as a re-export)."""
        index = self.INDEX
        return [
            rd("struct", "c::Captures", location="/x.rs:1"),
            rd("struct", "c::Caps", location="/x.rs:1"),  # pub use .. as Caps
            rd("struct", "c::Match", location="/x.rs:19"),
            rd("method", "c::Captures::get"),
            rd("method", "c::Caps::get"),
            # Each impl is listed under both paths of the type.
            rd("impl", "c::Captures", signature="impl Index<usize> for c::Captures",
               location="/x.rs:5", **{"for": "c::Captures"}, **index),
            rd("impl", "c::Caps", signature="impl Index<usize> for c::Caps",
               location="/x.rs:5", **{"for": "c::Caps"}, **index),
            rd("impl", "c::Captures", signature="impl Index<&str> for c::Captures",
               location="/x.rs:9", **{"for": "c::Captures"}, **index),
            rd("impl", "c::Caps", signature="impl Index<&str> for c::Caps",
               location="/x.rs:9", **{"for": "c::Caps"}, **index),
            rd("impl_method", "<c::Captures as core::ops::index::Index>::index",
               **{"for": "c::Captures"}, **index),
            rd("impl_type", "<c::Caps as core::ops::index::Index>::Output",
               **{"for": "c::Caps"}, **index),
            rd("impl", "c::Captures", signature="impl Send for c::Captures",
               **{"for": "c::Captures", "trait": "core::marker::Send",
                  "origin": "synthetic"}),
            # Listed under Match and under &str: one impl, foreign type.
            *[rd("impl", owner, signature="impl From<c::Match> for &str",
                 location="/x.rs:20", **{"for": "&'t str",
                                         "trait": "core::convert::From<c::Match>",
                                         "origin": "local"})
              for owner in ("c::Match", "&str")],
        ]

    def html(self, impls=None, items=None):
        return html_of(self.HTML_ITEMS if items is None else items,
                       self.HTML_IMPLS if impls is None else impls,
                       aliases={"c::Caps": "c::Captures"})

    def test_all_found_both_ways_with_aliases_and_repeats(self):
        lines, missing, extra = oracle.compare("c", self.html(), self.rdylib())
        self.assertEqual((missing, extra), (0, 0), "\n".join(lines))
        self.assertTrue(lines[0].startswith(
            "doc oracle c: 8 HTML items, 8 found, 0 missing"), lines[0])
        self.assertIn("doc oracle c, the other way: 14 rdylib entries, 14 shown "
                      "by the HTML, 0 excused, 0 extra", lines)

    def test_an_impl_under_another_path_only_is_missing(self):
        rdylib = [rd("impl", "c::Caps", **{"for": "c::Caps", "origin": "synthetic",
                                           "trait": "core::marker::Send"})]
        html = html_of(impls=[i for i in self.HTML_IMPLS if i["trait"] == "Send"])
        _, missing, _ = oracle.compare("c", html, rdylib)
        self.assertEqual(missing, 1)

    def test_missing_items_and_impls_are_listed(self):
        items = {("struct", "c::Captures"), ("field", "c::Captures::x")}
        rdylib = [
            rd("struct", "c::Captures", location="/x.rs:1"),
            # Only one of the two Index impls, and Send with the wrong origin.
            rd("impl", "c::Captures", **{"for": "c::Captures", "trait": "core::ops::Index",
                                         "origin": "local", "location": "/x.rs:5"}),
            rd("impl", "c::Captures", **{"for": "c::Captures", "trait": "core::marker::Send",
                                         "origin": "local", "location": "/x.rs:6"}),
        ]
        lines, missing, extra = oracle.compare("c", self.html(items=items), rdylib)
        text = "\n".join(lines)
        self.assertEqual(missing, 4, text)  # field, 1 Index, Send, From
        self.assertIn("MISSING field          c::Captures::x", text)
        self.assertIn("MISSING impl (local) core::ops::index::Index for "
                      "c::Captures: HTML shows 2, rdylib lists 1", text)
        self.assertIn("MISSING impl (synthetic) Send for c::Captures", text)
        self.assertIn("MISSING impl (local) From for str", text)
        # The other way: a local Send impl is not what the page shows.
        self.assertEqual(extra, 1, text)
        self.assertIn("EXTRA impl (local) None: the HTML shows 0 such impls on "
                      "c::Captures's page, rdylib lists 1", text)


    def test_hidden_entries_are_left_out_both_ways(self):
        hidden = [
            rd("module", "c::internal", hidden=True),
            rd("struct", "c::internal::Exec", hidden=True),
            rd("method", "c::Captures::__raw", hidden=True),
            rd("impl", "c::Captures", hidden=True,
               **{"for": "c::Captures", "trait": "c::internal::Hook",
                  "origin": "local", "location": "/x.rs:40"}),
        ]
        lines, missing, extra = oracle.compare("c", self.html(),
                                               self.rdylib() + hidden)
        self.assertEqual((missing, extra), (0, 0), "\n".join(lines))
        self.assertIn("doc oracle c, the other way: 14 rdylib entries, 14 shown "
                      "by the HTML, 0 excused, 0 extra", lines)
        self.assertIn("doc oracle c: 4 #[doc(hidden)] rdylib entries left out, "
                      "0 of them shown by the HTML", lines)
        # Without the flag the same entries are extra.
        for h in hidden:
            del h["hidden"]
        _, _, extra = oracle.compare("c", self.html(), self.rdylib() + hidden)
        self.assertEqual(extra, 4)

    def test_an_entry_marked_hidden_that_the_html_shows_fails(self):
        rdylib = [dict(i, hidden=True) if i.get("kind") == "struct" else i
                  for i in self.rdylib()]
        lines, missing, extra = oracle.compare("c", self.html(), rdylib)
        text = "\n".join(lines)
        self.assertGreater(extra, 0, text)
        self.assertIn("SHOWN BUT MARKED HIDDEN struct", text)


class OtherWayTest(unittest.TestCase):
    """rdylib_extras: what rdylib lists and the HTML does not show."""

    def extras(self, rdylib, html):
        found, excused = oracle.rdylib_extras("c", html, rdylib)
        return found, [name for name, _ in excused]

    def test_an_item_or_member_the_html_lacks_is_extra(self):
        html = html_of({("struct", "c::P"), ("field", "c::P::x")})
        found, _ = self.extras([rd("struct", "c::P"), rd("field", "c::P::x"),
                                rd("field", "c::P::y"), rd("function", "c::f"),
                                rd("struct", "c::x::P")], html)
        self.assertEqual([f.split()[:2] for f in found],
                         [["field", "c::P::y"], ["function", "c::f"],
                          ["struct", "c::x::P"]])

    def test_the_kind_must_match_too(self):
        html = html_of({("struct", "c::P")})
        found, _ = self.extras([rd("enum", "c::P")], html)
        self.assertEqual(len(found), 1)

    def test_paths_under_a_shown_reexport_are_the_documented_paths(self):
        html = html_of({("struct", "c::geometry::P"), ("field", "c::geometry::P::x"),
                        ("struct", "c::P"), ("module", "c::shapes"),
                        ("struct", "c::shapes::Circle"),
                        ("field", "c::shapes::Circle::r")},
                       aliases={"c::P": "c::geometry::P"},
                       globs=[("c", "c::shapes")])
        found, _ = self.extras([
            rd("field", "c::P::x"),            # named re-export
            rd("struct", "c::Circle"),         # glob re-export
            rd("field", "c::Circle::r"),
            rd("field", "c::P::y"),            # not shown under either path
            rd("struct", "c::Square"),         # the glob has no Square
        ], html)
        self.assertEqual([f.split()[:2] for f in found],
                         [["field", "c::P::y"], ["struct", "c::Square"]])

    def test_canonical_path(self):
        html = html_of({("struct", "c::a::b::D"), ("struct", "c::s::C")},
                       aliases={"c::b": "c::a::b", "c::b::E": "c::a::b::D"},
                       globs=[("c", "c::s")])
        self.assertEqual(oracle.canonical_path("c::b::D", html), "c::a::b::D")
        self.assertEqual(oracle.canonical_path("c::b::E::f", html), "c::a::b::D::f")
        self.assertEqual(oracle.canonical_path("c::C::x", html), "c::s::C::x")
        self.assertEqual(oracle.canonical_path("c::Z", html), "c::Z")
        # A cycle of re-exports ends.
        loop = html_of(aliases={"c::x": "c::y", "c::y": "c::x"})
        self.assertIn(oracle.canonical_path("c::x", loop), ("c::x", "c::y"))

    def test_an_impl_the_page_does_not_show_is_extra(self):
        html = html_of({("struct", "c::P")}, [
            {"for": "c::P", "trait": "Send", "origin": "synthetic", "page": "c::P"}])
        send = {"for": "c::P", "trait": "core::marker::Send", "origin": "synthetic"}
        sync = dict(send, trait="core::marker::Sync")
        found, _ = self.extras([rd("impl", "c::P", signature="impl Send for c::P", **send),
                                rd("impl", "c::P", signature="impl Sync for c::P", **sync)],
                               html)
        self.assertEqual(found, ["impl (synthetic) impl Sync for c::P: the HTML shows 0 "
                                 "such impls on c::P's page, rdylib lists 1"])

    def test_impls_are_counted_per_page(self):
        clone = {"for": "c::P", "trait": "Clone", "origin": "local", "page": "c::P"}
        html = html_of({("struct", "c::P"), ("struct", "c::Q")}, [clone])
        listed = {"trait": "core::clone::Clone", "origin": "local"}
        found, _ = self.extras([
            rd("impl", "c::P", signature="impl Clone for c::P", location="/l:1",
               **{"for": "c::P"}, **listed),
            rd("impl", "c::P", signature="impl Clone for c::P", location="/l:2",
               **{"for": "c::P"}, **listed),
            # Q's page shows no Clone impl at all.
            rd("impl", "c::Q", signature="impl Clone for c::Q", location="/l:3",
               **{"for": "c::Q"}, **listed)], html)
        self.assertEqual(len(found), 2, found)
        self.assertIn("the HTML shows 1 such impls on c::P's page, rdylib lists 2", found[0])
        self.assertIn("c::Q's page", found[1])

    def test_an_impl_under_a_type_without_a_page_is_matched_by_key(self):
        html = html_of({("struct", "c::M")}, [
            {"for": "u8", "trait": "From", "origin": "local", "page": "c::M"}])
        from_m = {"trait": "core::convert::From<c::M>", "origin": "local", "for": "u8"}
        found, _ = self.extras([rd("impl", "u8", signature="impl From<c::M> for u8",
                                   location="/l:1", **from_m)], html)
        self.assertEqual(found, [])
        found, _ = self.extras([rd("impl", "u16", signature="impl From<c::M> for u16",
                                   location="/l:1", **dict(from_m, **{"for": "u16"}))], html)
        self.assertEqual(len(found), 1)

    def test_impl_items_must_be_among_the_items_the_html_shows(self):
        html = html_of({("struct", "c::P")}, [
            {"for": "c::P", "trait": "Display", "origin": "local", "page": "c::P",
             "members": {("impl_method", "fmt")}}])
        display = {"for": "c::P", "trait": "core::fmt::Display", "origin": "local"}
        found, excused = self.extras([
            rd("impl_method", "<c::P as core::fmt::Display>::fmt", **display),
            rd("impl_method", "<c::P as core::fmt::Display>::extra", **display),
            rd("impl_type", "<c::P as core::fmt::Display>::fmt", **display)], html)
        self.assertEqual(found, [
            "impl_method    <c::P as core::fmt::Display>::extra (no such item in "
            "the HTML's impl Display for c::P)",
            "impl_type      <c::P as core::fmt::Display>::fmt (no such item in "
            "the HTML's impl Display for c::P)"])
        self.assertEqual(excused, [])

    def test_items_of_an_impl_shown_only_as_an_implementor_are_excused(self):
        implementor = {"for": "F", "trait": "Replacer", "origin": "local",
                       "page": "c::Replacer", "section": "implementors"}
        rdylib = [rd("impl_method", "<F as c::Replacer>::replace_append",
                     **{"for": "F", "trait": "c::Replacer", "origin": "local"})]
        found, excused = self.extras(rdylib, html_of({("trait", "c::Replacer")}, [implementor]))
        self.assertEqual((found, excused), (
            [], ["items of impls the HTML lists only as a trait's implementors"]))
        # Not when the impl is also shown with its items elsewhere, nor when
        # the HTML shows no such impl at all.
        elsewhere = dict(implementor, sections={"implementors", "trait-implementations"})
        found, excused = self.extras(rdylib, html_of({("trait", "c::Replacer")}, [elsewhere]))
        self.assertEqual((len(found), excused), (1, []))
        found, excused = self.extras(rdylib, html_of({("trait", "c::Replacer")}, []))
        self.assertEqual((len(found), excused), (1, []))

    def test_a_kind_without_an_html_counterpart_is_extra(self):
        found, _ = self.extras([rd("extern_crate", "c::other")], html_of())
        self.assertEqual(len(found), 1)
        self.assertIn("a kind the oracle has no HTML counterpart for", found[0])

    def test_every_exception_has_a_reason(self):
        for name, (applies, reason) in oracle.EXCEPTIONS.items():
            self.assertTrue(callable(applies), name)
            self.assertTrue(reason.strip(), name)


if __name__ == "__main__":
    unittest.main()
