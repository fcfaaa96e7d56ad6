#!/usr/bin/env python3
"""End-to-end oracle: `rdylib api` and rustdoc's HTML must show the same API.

The HTML documentation that `cargo doc` produces is an independent view of the
crate's public API (it does not go through rustdoc's JSON, which rdylib
reads). So we build the HTML for the crate under test, extract from it

  * every item of all.html (structs, enums, traits, functions, macros, ...),
    every module and every named re-export from the module index pages;
  * the members shown on struct/enum/union/trait pages: fields, variants,
    variant fields (the unnamed fields of a tuple variant from its header),
    inherent methods/consts/types, trait definitions' items;
  * every trait impl shown on those pages (local, auto-trait and blanket),
    with the items each shows;

and check both directions:

  * every one of them must be in the JSON that `rdylib api --json` prints;
  * every entry of that JSON must be shown by the HTML: items and members by
    kind and path (a path under a re-export the HTML shows, `pub use
    geometry::Point;` or `pub use shapes::*;`, stands for the path the HTML
    documents the item under), each trait impl on the page of the type rdylib
    lists it under (counted), each item of a trait impl among the items the
    HTML shows for that impl. What the HTML does not show is allowed only
    under EXCEPTIONS, each with its reason (docs/ARCHITECTURE.md lists them);
    an entry of a kind the oracle has no HTML counterpart for fails.

Things the HTML cannot tell reliably are deliberately not checked from the
HTML side: members of trait impls (rustdoc also shows provided defaults that
the impl does not define; the other direction checks them), impl polarity
(`impl !Send`), and which of several impls of the same trait for the same
type is which (we match them by count).

#[doc(hidden)] public items are API (rdylib runs rustdoc with
--document-hidden-items), but rustdoc's HTML does not show them. `rdylib api
--json` marks each such entry `"hidden": true` (the item, a module or
re-export on its path, its parent, or for an impl its trait or a type it
names is #[doc(hidden)]), and the oracle leaves exactly those entries out of
both directions. So the flag cannot hide a mistake, a hidden entry whose
kind and path the HTML shows fails the test.

Usage (as registered in ctest):
  python3 tests/e2e/doc_oracle.py --rdylib BUILD/rdylib \
      --crate-dir /usr/share/cargo/registry/semver-1.0.14 \
      --toolchain stable --work DIR
Only the python3 standard library is used.
"""

import argparse
import collections
import html.parser
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import tomllib

# --------------------------------------------------------------------------
# Kinds

# all.html file-name prefix (`struct.Foo.html`) -> rdylib kind.
PAGE_KINDS = {
    "struct": "struct", "enum": "enum", "union": "union", "trait": "trait",
    "traitalias": "trait_alias", "fn": "function", "type": "type_alias",
    "constant": "constant", "static": "static", "macro": "macro",
    "derive": "proc_macro", "attr": "proc_macro",
}
# The first word of a link's title attribute ("struct semver::Version") uses
# the same words, plus "mod". Primitives and keywords are not crate items.
TITLE_KINDS = dict(PAGE_KINDS, mod="module")

# Pages whose members we read. Type-alias pages are skipped on purpose: they
# repeat the aliased type's fields and impls, which belong to that type.
TYPE_PAGES = {"struct", "enum", "union"}

# Which impl section a trait impl is listed under tells rdylib's "origin".
IMPL_SECTIONS = {
    "trait-implementations": "local",
    "synthetic-implementations": "synthetic",
    "blanket-implementations": "blanket",
    # Trait pages: impls of a local trait, for foreign or local types.
    "foreign-impls": "local",
    "implementors": "local",
}

# Member anchor prefixes -> kind when found in an inherent impl / a trait body.
INHERENT_MEMBER = {"method": "method", "associatedconstant": "assoc_const",
                   "associatedtype": "assoc_type"}
TRAIT_MEMBER = {"method": "trait_method", "tymethod": "trait_method",
                "associatedconstant": "trait_const",
                "associatedtype": "trait_type"}

# Rustdoc makes repeated anchors unique with -1, -2, ...; identifiers never
# contain '-', so stripping a numeric suffix is safe.
DUP_SUFFIX = re.compile(r"-\d+$")
MEMBER_ID = re.compile(
    r"^(structfield|variant|method|tymethod|associatedconstant|associatedtype)"
    r"\.(.+)$")


# --------------------------------------------------------------------------
# HTML side

class Page(html.parser.HTMLParser):
    """Collects what one rustdoc page says, section by section.

    Rustdoc pages are flat enough that "the last <h2 class=section-header>
    seen" tells which section an anchor belongs to (fields, variants,
    implementations, deref-methods-*, trait-implementations, ...).
    """

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.in_main = False   # ignore the sidebar and <head>
        self.section = None    # id of the current <h2 class="section-header">
        self.members = []      # (section, anchor id without -N suffix)
        self.impls = []        # section, id, header text, [(offset, title)]
        self.links = []        # (section, class, title, href) of every <a>
        self.reexports = []    # (name, title of the re-exported item)
        self.globs = []        # titles of modules re-exported with `::*`
        self.variants = {}     # variant name -> its rendered header text
        self._header = None    # impl whose <h3 class=code-header> we read
        self._in_h3 = False
        self._last_impl = None  # trait impl whose items follow its header
        self._reexport = None  # NAME while inside <dt id="reexport.NAME">
        self._variant = None   # NAME while inside <section id="variant.NAME">
        self._variant_text = None  # its <h3> text while we read it
        self._code = None      # text and link titles of a re-export's <code>

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        ident, cls = a.get("id") or "", (a.get("class") or "").split()
        if ident == "main-content":
            self.in_main = True
        if not self.in_main:
            return
        if tag == "h2" and "section-header" in cls and ident:
            self.section = ident
            self._last_impl = None
        elif tag == "section" and "impl" in cls and ident.startswith("impl-"):
            self._header = {"section": self.section, "id": ident,
                            "text": "", "links": [], "members": []}
        elif tag == "section" and re.fullmatch(r"variant\.[^.]+", ident):
            self._variant = ident[len("variant."):]
        elif tag == "h3" and self._variant and "code-header" in cls:
            self._variant_text = ""
        elif tag == "h3" and self._header is not None and not self._in_h3:
            self._in_h3 = "code-header" in cls
        elif tag == "code" and self.section == "reexports":
            self._code = {"text": "", "titles": []}
        elif ident.startswith("reexport."):  # <dt> in 1.95, <div> in 1.85
            self._reexport = ident[len("reexport."):]
        elif tag == "div" and self._in_h3:
            # `where` clauses sit in a <div>; keep them apart from the type.
            self._header["text"] += " "
        elif tag == "a":
            self.links.append((self.section, " ".join(cls),
                               a.get("title") or "", a.get("href") or ""))
            if self._code is not None:
                self._code["titles"].append(a.get("title") or "")
            if self._in_h3:
                self._header["links"].append(
                    (len(self._header["text"]), a.get("title") or ""))
            if self._reexport and a.get("title"):
                self.reexports.append((self._reexport, a["title"]))
                self._reexport = None
        if MEMBER_ID.match(ident):
            anchor = DUP_SUFFIX.sub("", ident)
            self.members.append((self.section, anchor))
            # The items of a trait impl follow its header, up to the next.
            if self._last_impl is not None:
                self._last_impl["members"].append(anchor)

    def handle_endtag(self, tag):
        if tag == "h3" and self._variant_text is not None:
            self.variants[self._variant] = self._variant_text
            self._variant_text = self._variant = None
        elif tag == "h3" and self._in_h3:
            self._in_h3 = False
            self.impls.append(self._header)
            self._last_impl = self._header
            self._header = None
        elif tag == "section":
            self._variant = None
        elif tag == "code" and self._code is not None:
            # `pub use shapes::*;` links the module and names nothing.
            text = self._code["text"].split()
            mods = [t for t in self._code["titles"] if t.startswith("mod ")]
            if "".join(text).endswith("::*;") and mods:
                self.globs.append(mods[-1])
            self._code = None
        elif tag in ("dt", "div", "li"):
            self._reexport = None

    def handle_data(self, data):
        if self._in_h3:
            self._header["text"] += data
        if self._variant_text is not None:
            self._variant_text += data
        if self._code is not None:
            self._code["text"] += data


def parse_page(text):
    page = Page()
    page.feed(text)
    page.close()
    return page


def all_html_items(text, crate):
    """(kind, path, relative href) for each link of all.html's item lists."""
    out = []
    for _, _, _, href in parse_page(text).links:
        # `a/b/struct.X.html`; not `../src/...` nor links off the crate.
        m = re.fullmatch(r"((?:[^/.:#][^/:#]*/)*)([a-z]+)\.([^/.:#]+)\.html",
                         href)
        if m and m.group(2) in PAGE_KINDS:
            mods = [p for p in m.group(1).split("/") if p]
            out.append((PAGE_KINDS[m.group(2)],
                        "::".join([crate, *mods, m.group(3)]), href))
    return out


def title_item(title):
    """'struct semver::Version' -> ('struct', 'semver::Version') or None."""
    word, _, path = title.partition(" ")
    return (TITLE_KINDS[word], path) if word in TITLE_KINDS and path else None


def skip_brackets(text, i):
    """Index just past the bracket group opening at text[i] ('<', '(', '[')."""
    depth = 0
    while i < len(text):
        c = text[i]
        if c in "<([":
            depth += 1
        elif c in ")]" or (c == ">" and text[i - 1] != "-"):  # not `->`
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return i


def find_top_level(text, word, start):
    """Position of `word` (a whole word) outside any brackets, or -1."""
    i = start
    while i < len(text):
        if text[i] in "<([":
            i = skip_brackets(text, i)
            continue
        if (text.startswith(word, i)
                and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_"))
                and not (text[i + len(word):i + len(word) + 1].isalnum())):
            return i
        i += 1
    return -1


def parse_impl_header(text, links):
    """Read `impl<..> [!]Trait<..> for Type<..> [where ..]` as rendered.

    Returns (trait last segment, trait title path or '', for-type) where the
    for-type is the path from its link title when it is linked (`semver::
    Version`, `alloc::string::String`), else its bare name (`str`, `T`).
    Inherent impls (no ` for `) give None.
    """
    text = text.replace("\xa0", " ")
    m = re.match(r"\s*(?:unsafe\s+)?impl\s*", text)
    if not m:
        return None
    pos = m.end()
    if text.startswith("<", pos):
        pos = skip_brackets(text, pos)
    for_at = find_top_level(text, "for", pos)
    if for_at < 0:
        return None
    trait_text = text[pos:for_at].strip().lstrip("!").strip()
    trait_name = re.split(r"[<(]", trait_text, 1)[0].strip().split("::")[-1]
    trait_path = next((t.partition(" ")[2] for at, t in links
                       if pos <= at < for_at and t.startswith("trait ")), "")
    # The for-type's base: skip `&'a mut`, `*const`, `dyn` and the like.
    tm = re.compile(r"\s*(?:(?:&|\*const\s|\*mut\s|'\w+\s*|mut\s|dyn\s)\s*)*")
    base_at = tm.match(text, for_at + 3).end()
    where_at = find_top_level(text, "where", base_at)
    base = re.split(r"[<\s]", text[base_at:where_at if where_at >= 0 else None]
                    .strip(), 1)[0]
    title = next((t for at, t in links if at == base_at), "")
    item = title_item(title)
    return trait_name, trait_path, item[1] if item else base


def page_members(page_kind, path, page):
    """(kind, path) of the members a struct/enum/union/trait page documents."""
    out = set()
    for section, anchor in page.members:
        prefix, name = anchor.split(".", 1)
        if page_kind == "trait":
            # Only "required-*"/"provided-*" list the trait's own items;
            # other sections hold impls (of the trait, or `impl dyn Tr`).
            if section and section.startswith(("required-", "provided-")) \
                    and prefix in TRAIT_MEMBER:
                out.add((TRAIT_MEMBER[prefix], f"{path}::{name}"))
        elif prefix == "structfield" and section == "fields":
            out.add(("field", f"{path}::{name}"))
        elif prefix == "variant" and section == "variants":
            # `variant.V` or `variant.V.field.F`; `variant.V.fields` only
            # wraps the field list.
            parts = name.split(".")
            if len(parts) == 1:
                out.add(("variant", f"{path}::{name}"))
            elif len(parts) == 3 and parts[1] == "field":
                out.add(("variant_field", f"{path}::{parts[0]}::{parts[2]}"))
        elif prefix in INHERENT_MEMBER and section == "implementations":
            # Not "deref-methods-*": those belong to the Deref target.
            out.add((INHERENT_MEMBER[prefix], f"{path}::{name}"))
    # The unnamed fields of a tuple variant have no anchors (unless they
    # carry docs): the variant's header shows them, `Syntax(String)`.
    if page_kind == "enum":
        for variant, header in page.variants.items():
            for i in range(len(tuple_fields(header))):
                out.add(("variant_field", f"{path}::{variant}::{i}"))
    return out


def tuple_fields(header):
    """'V(A, B<C, D>)' -> ['A', 'B<C, D>']; a unit or struct variant -> []."""
    header = header.replace("\xa0", " ").strip()
    start = header.find("(")
    if start < 0 or header[:start].strip() == "" or not header.endswith(")"):
        return []
    end = skip_brackets(header, start)
    fields, depth, cur = [], 0, ""
    for c in header[start + 1:end - 1]:
        if c in "<([":
            depth += 1
        elif c in ")]" or (c == ">" and not cur.endswith("-")):
            depth -= 1
        if c == "," and depth == 0:
            fields.append(cur.strip())
            cur = ""
        else:
            cur += c
    if cur.strip():
        fields.append(cur.strip())
    return fields


def page_impls(path, page):
    """The trait impls a page shows, as dicts (for, trait, origin, ...)."""
    out = []
    for h in page.impls:
        origin = IMPL_SECTIONS.get(h["section"])
        parsed = origin and parse_impl_header(h["text"], h["links"])
        if not parsed:
            continue  # an inherent impl, or `impl dyn Trait`
        trait, trait_path, for_type = parsed
        if origin == "blanket":
            # `impl<T> From<T> for T` shown on Version's page is, for rdylib
            # as for rustdoc JSON, an impl for semver::Version.
            for_type = path
        out.append({"for": for_type, "trait": trait, "trait_path": trait_path,
                    "origin": origin, "header": " ".join(h["text"].split()),
                    "titles": tuple(t for _, t in h["links"]), "page": path,
                    "section": h["section"],
                    "members": {member_key(m) for m in h["members"]}})
    return out


# Anchor prefixes of a trait impl's items -> rdylib's impl member kinds.
IMPL_MEMBER = {"method": "impl_method", "tymethod": "impl_method",
               "associatedconstant": "impl_const",
               "associatedtype": "impl_type"}


def member_key(anchor):
    """'method.fmt' -> ('impl_method', 'fmt')."""
    prefix, name = anchor.split(".", 1)
    return IMPL_MEMBER.get(prefix, prefix), name


class HtmlApi(collections.namedtuple("HtmlApi", "items impls aliases globs")):
    """What the HTML documents.

    items:   {(kind, path)}
    impls:   [impl dict], each impl once; "pages" and "sections" list every
             page and page section showing it, "members" its items
    aliases: {path: path it re-exports} for each named `pub use` the module
             pages show (`pub use geometry::Point;` at the root, say)
    globs:   [(module path, module path it re-exports with `::*`)]
    """


def html_api(doc_dir, crate):
    """Everything the HTML documents, as an HtmlApi."""
    def read(rel):
        with open(os.path.join(doc_dir, rel), encoding="utf-8") as f:
            return parse_page(f.read())

    items = {("module", crate)}
    impls = []
    aliases = {}
    globs = []

    # Modules and named re-exports, walking the module index pages.
    todo, seen = [("index.html", crate)], set()
    while todo:
        rel, mod_path = todo.pop()
        if rel in seen:
            continue
        seen.add(rel)
        page = read(rel)
        for section, cls, title, href in page.links:
            item = title_item(title)
            if section == "modules" and cls == "mod" and item:
                items.add(item)
                todo.append((posixpath.normpath(posixpath.join(
                    posixpath.dirname(rel), href)), item[1]))
        for name, title in page.reexports:
            item = title_item(title)
            if item and name.isidentifier():  # a glob (`*`) adds no name
                items.add((item[0], f"{mod_path}::{name}"))
                if item[1] != f"{mod_path}::{name}":
                    aliases[f"{mod_path}::{name}"] = item[1]
        for title in page.globs:
            item = title_item(title)
            if item:
                globs.append((mod_path, item[1]))

    with open(os.path.join(doc_dir, "all.html"), encoding="utf-8") as f:
        listed = all_html_items(f.read(), crate)
    for kind, path, href in listed:
        items.add((kind, path))
        page_kind = href.rsplit("/", 1)[-1].split(".", 1)[0]
        if page_kind in TYPE_PAGES or page_kind == "trait":
            page = read(href)
            items |= page_members(page_kind, path, page)
            impls += page_impls(path, page)

    # The same impl shows on several pages (Comparator's page shows
    # `impl FromIterator<Comparator> for VersionReq`; a trait page repeats
    # its implementors). Its rendered header identifies it, together with
    # the full paths of the names in it: `From<Match> for Range<usize>`
    # exists for regex::Match and for regex::bytes::Match.
    unique = {}
    for i in impls:
        first = unique.setdefault(
            (i["for"], i["header"], i["titles"], i["origin"]),
            dict(i, pages=set(), sections=set(), members=set(i["members"])))
        first["pages"].add(i["page"])
        first["sections"].add(i["section"])
        first["members"] |= i["members"]
    return HtmlApi(items, list(unique.values()), aliases, globs)


# --------------------------------------------------------------------------
# Comparison

def type_base(ty):
    """'&'a mut semver::Version<T>' -> 'semver::Version'."""
    ty = re.sub(r"^\s*(?:(?:&|\*const\s|\*mut\s|'\w+\s*|mut\s|dyn\s)\s*)*",
                "", ty)
    return re.split(r"[<\s]", ty.strip(), 1)[0]


def last_segment(path):
    return re.split(r"[<(]", path, 1)[0].strip().split("::")[-1]


def impl_key(crate, for_type, trait, origin):
    """How an impl is matched between the two sides: (the for-type's path
    when it is the crate's, else its last segment, the trait's last segment,
    origin). A foreign type is matched by name: rustdoc says `alloc::string::
    String` where rdylib may say `std::string::String` or `String`."""
    base = type_base(for_type)
    local = base == crate or base.startswith(crate + "::")
    return (base if local else last_segment(base), last_segment(trait), origin)


def compare(crate, html, rdylib_items):
    """Both directions. Returns (report lines, number missing, number extra).

    Missing: what the HTML shows and `rdylib api` does not list. Extra: what
    `rdylib api` lists and the HTML does not show, apart from EXCEPTIONS.
    """
    html_items, html_impls = html.items, html.impls
    hidden = [i for i in rdylib_items if i.get("hidden")]
    rdylib_items = [i for i in rdylib_items if not i.get("hidden")]
    wrongly_hidden = sorted((i.get("kind"), i.get("path")) for i in hidden
                            if (i.get("kind"), i.get("path")) in html_items)
    have = {(i.get("kind"), i.get("path")) for i in rdylib_items}

    # rdylib lists a type's impls under each of the type's public paths, so
    # the path rustdoc documents the type under must be among them. (Source
    # locations cannot tell aliases apart from distinct types: regex makes
    # RegexSet, SetMatches, ... with one macro, all at one location.)
    got = collections.defaultdict(list)  # key -> signatures
    seen = set()
    for i in rdylib_items:
        if i.get("kind") != "impl":
            continue
        key = impl_key(crate, i.get("for", ""), i.get("trait", ""),
                       i.get("origin"))
        # One impl may be listed on several types' pages (`impl
        # FromIterator<Comparator> for VersionReq`): count it once.
        ident = (key, i.get("trait"), i.get("location"), i.get("signature"))
        if ident not in seen:
            seen.add(ident)
            got[key].append(i.get("signature") or "?")

    wanted = collections.defaultdict(list)
    for i in html_impls:
        wanted[impl_key(crate, i["for"], i["trait"], i["origin"])].append(i)

    missing_items = sorted(html_items - have)
    missing_impls = []
    for key, group in sorted(wanted.items(), key=lambda kv: str(kv[0])):
        if len(got[key]) < len(group):
            missing_impls.append((key, len(got[key]), group))
    n_missing = len(missing_items) + sum(len(g) - n for _, n, g in missing_impls)

    total = len(html_items) + len(html_impls)
    lines = [f"doc oracle {crate}: {total} HTML items, {total - n_missing} "
             f"found, {n_missing} missing "
             f"({len(html_items)} items and members, {len(html_impls)} impls)"]
    for kind, path in missing_items:
        lines.append(f"  MISSING {kind:<14} {path}")
    for (_, trait, origin), n, group in missing_impls:
        trait = group[0]["trait_path"] or trait
        lines.append(f"  MISSING impl ({origin}) {trait} for {group[0]['for']}: "
                     f"HTML shows {len(group)}, rdylib lists {n}")
        for i in group:
            lines.append(f"      on {i['page']}: {i['header']}")

    extra, excused = rdylib_extras(crate, html, rdylib_items)
    n_rdylib = len(rdylib_items)
    lines.append(f"doc oracle {crate}, the other way: {n_rdylib} rdylib entries, "
                 f"{n_rdylib - len(extra) - len(excused)} shown by the HTML, "
                 f"{len(excused)} excused, {len(extra)} extra")
    for what in extra:
        lines.append(f"  EXTRA {what}")
    for name, what in excused:
        lines.append(f"  excused ({name}): {what}")
    lines.append(f"doc oracle {crate}: {len(hidden)} #[doc(hidden)] rdylib "
                 f"entries left out, {len(wrongly_hidden)} of them shown by "
                 "the HTML")
    for kind, path in wrongly_hidden:
        lines.append(f"  SHOWN BUT MARKED HIDDEN {kind:<14} {path}")
    return lines, n_missing, len(extra) + len(wrongly_hidden)


# --------------------------------------------------------------------------
# The other direction: everything `rdylib api` lists must be shown by the HTML.

# rdylib kinds that the HTML shows as items or members, by (kind, path).
# Trait impls and their items ("impl", "impl_method", ...) are checked apart.
CHECKED_KINDS = set(TITLE_KINDS.values()) | {
    "field", "variant", "variant_field", *INHERENT_MEMBER.values(),
    *TRAIT_MEMBER.values()}

# What rdylib lists that the HTML does not show, on purpose. Each entry is
# narrow (a predicate on one rdylib entry and the HTML) and says why; an
# entry of rdylib that the HTML does not show and that no exception covers
# fails the test. docs/ARCHITECTURE.md ("Public API") lists them too.


def _items_of_implementors(entry, facts, html):
    # Rustdoc lists the impls of a trait on the trait's page under
    # "Implementors" by their header only, without their items. An impl
    # shown nowhere else (`impl<F: FnMut(&Captures) -> T> Replacer for F`
    # in regex: its for-type is a type parameter, so it has no page of its
    # own) therefore shows none of the methods it defines.
    return (entry.get("kind") in IMPL_MEMBER.values()
            and facts.get("html_sections") == {"implementors"})


EXCEPTIONS = {
    "items of impls the HTML lists only as a trait's implementors":
        (_items_of_implementors,
         "rustdoc shows implementors by header only, without their items"),
}

PATH_TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:::[A-Za-z_][A-Za-z0-9_]*)+")


def canonical_path(path, html, known=None):
    """The path under which the HTML documents `path`.

    rdylib lists an item under every public path it has; the HTML documents
    it once and shows the other paths as re-exports: a named one (`pub use
    geometry::Point;` makes `c::Point` mean `c::geometry::Point`) or a glob
    (`pub use shapes::*;` makes `c::Circle` mean `c::shapes::Circle` when
    the HTML documents `c::shapes::Circle`). Both are read from the HTML.
    """
    if known is None:
        known = {p for _, p in html.items}
    for _ in range(16):  # re-exports of re-exports; cycles are cut
        alias = max((a for a in html.aliases
                     if path == a or path.startswith(a + "::")),
                    key=len, default=None)
        if alias:
            path = html.aliases[alias] + path[len(alias):]
            continue
        for module, target in html.globs:
            if path.startswith(module + "::"):
                first = path[len(module) + 2:].split("::", 1)[0]
                if f"{target}::{first}" in known:
                    path = target + path[len(module):]
                    break
        else:
            return path
    return path


def canonical_text(text, html, known):
    """Every path in `text` (a signature, a type) made canonical."""
    return PATH_TOKEN.sub(lambda m: canonical_path(m.group(0), html, known),
                          text)


def rdylib_extras(crate, html, rdylib_items):
    """What rdylib lists and the HTML does not show.

    Returns ([description], [(exception name, description)]): the first
    fail the test, the second are covered by EXCEPTIONS.
    """
    known = {p for _, p in html.items}
    canon = lambda p: canonical_path(p, html, known)  # noqa: E731
    canon_text = lambda t: canonical_text(t, html, known)  # noqa: E731
    found, excused = [], []

    def extra(entry, what, **facts):
        for name, (applies, _) in EXCEPTIONS.items():
            if applies(entry, facts, html):
                excused.append((name, what))
                return
        found.append(what)

    # Items and members, by kind and path (or the path the HTML uses).
    html_members = collections.defaultdict(set)  # impl key -> {(kind, name)}
    html_sections = collections.defaultdict(set)  # impl key -> sections
    for h in html.impls:
        key = impl_key(crate, h["for"], h["trait"], h["origin"])
        html_members[key] |= h["members"]
        html_sections[key] |= h["sections"]
    for i in rdylib_items:
        kind, path = i.get("kind"), i.get("path", "")
        if kind == "impl":
            continue
        if kind in IMPL_MEMBER.values():
            # `<semver::Version as core::fmt::Display>::fmt`: shown among the
            # items of that impl (which also shows provided defaults).
            key = impl_key(crate, canon_text(i.get("for", "")),
                           i.get("trait", ""), i.get("origin"))
            name = path.rsplit("::", 1)[-1]
            if (kind, name) not in html_members[key]:
                extra(i, f"{kind:<14} {path} (no such item in the HTML's "
                         f"impl {key[1]} for {key[0]})",
                      html_sections=html_sections.get(key, set()))
        elif kind in CHECKED_KINDS:
            if (kind, path) not in html.items and \
                    (kind, canon(path)) not in html.items:
                extra(i, f"{kind:<14} {path}")
        else:
            extra(i, f"{kind:<14} {path} (a kind the oracle has no HTML "
                     "counterpart for: decide, then add an exception)")

    # Trait impls, counted per page: an impl rdylib lists under a type must
    # be shown on that type's page. Impls listed under a type that has no
    # page (`impl From<Local> for u8` under `u8`) are matched by impl key.
    type_pages = {p for k, p in html.items
                  if k in ("struct", "enum", "union", "trait")}
    shown = collections.Counter()
    for h in html.impls:
        for page in h["pages"]:
            shown[("page", page, h["trait"], h["origin"])] += 1
        shown[("key", *impl_key(crate, h["for"], h["trait"], h["origin"]))] += 1
    listed = collections.defaultdict(list)
    seen = set()
    for i in rdylib_items:
        if i.get("kind") != "impl":
            continue
        page = canon(i.get("path", ""))
        # The same impl listed under two paths of one type is one impl.
        ident = (page, canon_text(i.get("signature", "")), i.get("location"))
        if ident in seen:
            continue
        seen.add(ident)
        trait, origin = last_segment(i.get("trait", "")), i.get("origin")
        key = ("page", page, trait, origin) if page in type_pages else \
            ("key", *impl_key(crate, canon_text(i.get("for", "")),
                              i.get("trait", ""), origin))
        listed[key].append(i)
    for key, group in sorted(listed.items(), key=lambda kv: str(kv[0])):
        for i in sorted(group, key=lambda i: i.get("signature", ""))[shown[key]:]:
            where = f"on {key[1]}'s page" if key[0] == "page" else "anywhere"
            extra(i, f"impl ({i.get('origin')}) {i.get('signature')}: the HTML "
                     f"shows {shown[key]} such impls {where}, rdylib lists "
                     f"{len(group)}")
    return found, excused


# --------------------------------------------------------------------------
# Running cargo doc and rdylib

CARGO_CONFIG = """\
[source.crates-io]
replace-with = "debian"
[source.debian]
directory = "/usr/share/cargo/registry"
[net]
offline = true
"""


def crate_names(crate_dir):
    """(package name, library name) from the crate's Cargo.toml."""
    with open(os.path.join(crate_dir, "Cargo.toml"), "rb") as f:
        manifest = tomllib.load(f)
    package = manifest["package"]["name"]
    lib = manifest.get("lib", {}).get("name", package).replace("-", "_")
    return package, lib


def cargo_command(toolchain):
    """(argv prefix, env) running cargo/rustdoc of exactly `toolchain`.

    A bare `cargo` would run whatever is first in PATH, so we never use one:
    a rustup name goes through rustup's proxy with `+name`, a path to rustc
    picks the cargo and rustdoc installed beside it.
    """
    env = dict(os.environ)
    for var in ("RUSTC", "RUSTDOC", "RUSTUP_TOOLCHAIN"):
        env.pop(var, None)
    if "/" in toolchain:
        bindir = os.path.dirname(os.path.abspath(toolchain))
        cargo = os.path.join(bindir, "cargo")
        if not os.path.exists(cargo):
            sys.exit(f"doc oracle: no cargo beside {toolchain}")
        env["RUSTC"] = os.path.abspath(toolchain)
        env["RUSTDOC"] = os.path.join(bindir, "rustdoc")
        return [cargo], env
    proxy = os.path.expanduser("~/.cargo/bin/cargo")
    if not os.path.exists(proxy):
        sys.exit("doc oracle: rustup's cargo proxy ~/.cargo/bin/cargo not found")
    return [proxy, "+" + toolchain], env


def build_html(crate_dir, toolchain, work, package, lib, cargo_args):
    """Runs cargo doc in a throwaway wrapper workspace; returns the doc dir."""
    wrapper = os.path.join(work, "wrapper")
    os.makedirs(os.path.join(wrapper, ".cargo"), exist_ok=True)
    with open(os.path.join(wrapper, "Cargo.toml"), "w") as f:
        f.write('[package]\nname = "rdylib-doc-oracle"\nversion = "0.0.0"\n'
                'edition = "2021"\npublish = false\n\n[lib]\npath = "lib.rs"\n\n'
                f'[dependencies]\n{json.dumps(package)} = {{ path = '
                f'{json.dumps(os.path.abspath(crate_dir))} }}\n\n[workspace]\n')
    open(os.path.join(wrapper, "lib.rs"), "w").close()
    with open(os.path.join(wrapper, ".cargo", "config.toml"), "w") as f:
        f.write(CARGO_CONFIG)
    # A lock file or HTML left by another toolchain must not leak in.
    target = os.path.join(work, "target")
    doc_dir = os.path.join(target, "doc", lib)
    shutil.rmtree(doc_dir, ignore_errors=True)
    if os.path.exists(os.path.join(wrapper, "Cargo.lock")):
        os.remove(os.path.join(wrapper, "Cargo.lock"))

    argv, env = cargo_command(toolchain)
    env["CARGO_TARGET_DIR"] = target
    cmd = argv + ["doc", "--no-deps", "-p", package, *cargo_args]
    proc = subprocess.run(cmd, cwd=wrapper, env=env, capture_output=True,
                          text=True)
    if proc.returncode != 0 or not os.path.exists(
            os.path.join(doc_dir, "all.html")):
        sys.exit(f"doc oracle: `{' '.join(cmd)}` failed "
                 f"({proc.returncode}):\n{proc.stderr}")
    return doc_dir


def run_rdylib(rdylib, crate_dir, toolchain, extra_args):
    cmd = [rdylib, "api", crate_dir, "--toolchain", toolchain, "--json",
           *extra_args]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"doc oracle: `{' '.join(cmd)}` failed ({proc.returncode}):"
                 f"\n{proc.stderr}")
    try:
        return json.loads(proc.stdout)
    except json.JSONDecodeError as e:
        sys.exit(f"doc oracle: rdylib printed invalid JSON ({e}); "
                 f"stdout starts with:\n{proc.stdout[:500]}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rdylib", required=True, help="the rdylib binary")
    ap.add_argument("--crate-dir", required=True)
    ap.add_argument("--toolchain", required=True,
                    help="rustup toolchain name, or the path of a rustc")
    ap.add_argument("--work", required=True, help="scratch directory")
    ap.add_argument("--cargo-arg", action="append", default=[],
                    help="extra argument for cargo doc (e.g. --features=x)")
    ap.add_argument("--rdylib-arg", action="append", default=[],
                    help="extra argument for rdylib api")
    args = ap.parse_args(argv)

    package, lib = crate_names(args.crate_dir)
    os.makedirs(args.work, exist_ok=True)
    doc_dir = build_html(args.crate_dir, args.toolchain, args.work, package,
                         lib, args.cargo_arg)
    html = html_api(doc_dir, lib)
    # Guard against a silently empty oracle (e.g. rustdoc changed its HTML).
    if len(html.items) < 2 or not html.impls:
        sys.exit(f"doc oracle: extracted almost nothing from {doc_dir}; "
                 "has rustdoc's HTML changed?")

    api = run_rdylib(args.rdylib, args.crate_dir, args.toolchain,
                     args.rdylib_arg)
    if api.get("crate") != lib:
        print(f"doc oracle: rdylib says crate {api.get('crate')!r}, "
              f"expected {lib!r}")
        return 1
    with open(os.path.join(args.work, "rdylib-api.json"), "w") as f:
        json.dump(api, f, indent=1)  # kept for whoever debugs a failure

    lines, n_missing, n_extra = compare(lib, html, api.get("items", []))
    print("\n".join(lines))
    return 1 if n_missing or n_extra else 0


if __name__ == "__main__":
    sys.exit(main())
