// Plan checks and golden tests of library traits, on tests/fixtures/traits_lib
// (compiled and run both ways by tests/e2e/traits_roundtrip.sh).
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>

#include "emit/facade_writer.h"
#include "emit/runtime_files.h"
#include "emit/rustfmt.h"
#include "emit/shim_writer.h"
#include "plan/fingerprint.h"
#include "plan/plan.h"
#include "probe/probe.h"
#include "read/reader.h"
#include "test_support.h"
#include "util/files.h"

namespace rdylib::emit {
namespace {

namespace fs = std::filesystem;

const plan::Plan& TraitsPlan() {
  static const plan::Plan plan = [] {
    Diagnostics diags;
    std::optional<toolchain::Toolchain> tc = toolchain::Resolve("stable", &diags);
    extract::ExtractOptions options;
    options.crate_dir = testing::FixtureDir("traits_lib");
    options.work_dir = testing::TestWorkDir() / "traits_lib";
    options.target_dir = testing::TestWorkDir() / "target";
    std::optional<extract::ExtractResult> ex = extract::Extract(options, *tc, &diags);
    if (!ex) throw std::runtime_error(diags.ToString());
    static std::optional<model::Crate> crate = read::ReadCrateFile(ex->json_path, &diags);
    static api::PublicApi api = api::BuildPublicApi(*crate);
    std::optional<probe::Layouts> layouts = probe::Probe(options, ex->package, *tc, *crate, api, &diags);
    if (!layouts) throw std::runtime_error(diags.ToString());
    return plan::MakePlan(*crate, api, *layouts);
  }();
  return plan;
}

const plan::ItemStatus* Status(const std::string& path) {
  for (const plan::ItemStatus& s : TraitsPlan().statuses) {
    if (s.path == path) return &s;
  }
  return nullptr;
}

const plan::TraitPlan* Trait(const std::string& path) {
  for (const plan::TraitPlan& t : TraitsPlan().traits) {
    if (t.path == path) return &t;
  }
  return nullptr;
}

TEST(TraitsPlanTest, TraitsAreDeclaredAndPartialOnesSayWhichMethodAndWhy) {
  ASSERT_NE(Status("traits_lib::Shape"), nullptr);
  EXPECT_EQ(Status("traits_lib::Shape")->status, "exported");
  ASSERT_NE(Status("traits_lib::Visit"), nullptr);
  EXPECT_EQ(Status("traits_lib::Visit")->status, "converted");
  EXPECT_EQ(Status("traits_lib::Visit")->reason,
            "partially: not declared: cloned (generic, not erased: T: the bound Clone is not erasable yet); "
            "width_of (generic, not erased: its default body uses size_of, which erasure would answer for the proxy, "
            "not the consumer's type); area_of (generic, not erased: a bound on the crate's own trait "
            "traits_lib::Shape is not erased in trait methods yet)");
  const plan::TraitPlan* raw = Trait("traits_lib::Raw");
  ASSERT_NE(raw, nullptr);
  EXPECT_EQ(raw->header, "pub unsafe trait Raw");
  const plan::TraitPlan* polygon = Trait("traits_lib::Polygon");
  ASSERT_NE(polygon, nullptr);
  EXPECT_EQ(polygon->assoc_items,
            (std::vector<std::string>{"type Corner: core::marker::Copy + core::fmt::Debug;", "const SIDES: u32;",
                                      "const LABEL: &'static str = \"polygon\";"}));
  EXPECT_EQ(Trait("traits_lib::Convert")->header, "pub trait Convert<T>");
  EXPECT_EQ(Trait("traits_lib::Shape")->header, "pub trait Shape: crate::Named");
}

TEST(TraitsPlanTest, TheLibrarysImplsCrossForItsTypesAndStdTypes) {
  for (const char* impl : {"<traits_lib::Circle as traits_lib::Shape>", "<f64 as traits_lib::Shape>",
                           "<str as traits_lib::WidthExt>", "<&'a str as traits_lib::Source<'a>>",
                           "<traits_lib::Circle as traits_lib::Convert<u32>>",
                           "<traits_lib::Square as traits_lib::Polygon>"}) {
    ASSERT_NE(Status(impl), nullptr) << impl;
    EXPECT_NE(Status(impl)->status, "unsupported") << impl << ": " << Status(impl)->reason;
  }
  // Each method of an impl is forwarded, the ones left to the trait's
  // default too: the default runs in the library.
  int square_shape = 0;
  for (const plan::FunctionPlan& f : TraitsPlan().functions) {
    if (f.impl_header == "impl crate::Shape for crate::Square") ++square_shape;
  }
  EXPECT_EQ(square_shape, 4);
}

TEST(TraitsPlanTest, UnsafeMethodsStayUnsafeAndHaveUnsafeVtableEntries) {
  const plan::TraitPlan* peek = Trait("traits_lib::Peek");
  ASSERT_NE(peek, nullptr);
  ASSERT_EQ(peek->methods.size(), 3u);
  EXPECT_EQ(peek->methods[0].declaration, "unsafe fn peek(&self, i: usize) -> u8");
  ASSERT_GE(peek->vtable, 0);
  ASSERT_NE(Status("traits_lib::Peek"), nullptr);
  EXPECT_EQ(Status("traits_lib::Peek")->reason, "");
  EXPECT_EQ(Status("traits_lib::Peek::peek")->status, "exported");
  EXPECT_EQ(Status("traits_lib::Peek::peek_sum")->status, "converted");
  // The entries are unsafe: the proxy's impl is `unsafe fn`, and the layout
  // (so every symbol passing the table, and the load check) says so.
  const plan::VtablePlan& vt = TraitsPlan().vtables[peek->vtable];
  ASSERT_EQ(vt.entries.size(), 3u);
  EXPECT_TRUE(vt.entries[0].is_unsafe);
  EXPECT_FALSE(vt.entries[1].is_unsafe);
  EXPECT_TRUE(vt.entries[2].is_unsafe);
  EXPECT_EQ(vt.entries[0].facade_signature, "unsafe fn peek(&self, i: usize) -> u8");
  EXPECT_EQ(vt.entries[0].shim_signature, "unsafe fn peek(&self, i: usize) -> u8");
  EXPECT_EQ(vt.entries[2].facade_signature, "unsafe fn peek_sum(&self, n: usize) -> u32");
  EXPECT_EQ(vt.layout_text,
            "vtable drop; size; align; unsafe traits_lib::Peek::peek(&self, usize) -> u8; traits_lib::Peek::bits(&self) "
            "-> u64; unsafe traits_lib::Peek::peek_sum(&self, usize) -> u32");
  // Consumer values cross in every form.
  for (const char* f : {"traits_lib::peek_dyn", "traits_lib::peek_boxed", "traits_lib::make_peek"}) {
    ASSERT_NE(Status(f), nullptr) << f;
    EXPECT_EQ(Status(f)->status, "converted") << f << ": " << Status(f)->reason;
  }
  ASSERT_NE(Status("traits_lib::peek_generic"), nullptr);
  EXPECT_EQ(Status("traits_lib::peek_generic")->status, "erased");
  // The library's impl forwards it, unsafe; its symbol's hash covers that.
  bool forwarded = false;
  for (const plan::FunctionPlan& f : TraitsPlan().functions) {
    if (f.impl_header != "impl crate::Peek for crate::Circle" || f.name != "peek") continue;
    forwarded = true;
    EXPECT_EQ(f.facade_signature, "unsafe fn peek(&self, i: usize) -> u8");
  }
  EXPECT_TRUE(forwarded);
}

TEST(TraitsPlanTest, AStdBoundTheTraitsVtableCarriesIsErasedWithIt) {
  ASSERT_NE(Status("traits_lib::render_shown"), nullptr);
  EXPECT_EQ(Status("traits_lib::render_shown")->status, "erased");
  EXPECT_TRUE(Status("traits_lib::render_shown")->reason.starts_with("L (ref crate::Labelled vtable "))
      << Status("traits_lib::render_shown")->reason;
}

TEST(TraitsPlanTest, StdBoundsTheTraitsVtableDoesNotCarryGetAnExtendedTable) {
  ASSERT_NE(Status("traits_lib::walk_shown"), nullptr);
  EXPECT_EQ(Status("traits_lib::walk_shown")->status, "erased");
  EXPECT_TRUE(Status("traits_lib::walk_shown")
                  ->reason.starts_with("W (ref crate::Walk + core::fmt::Display + core::fmt::Debug vtable "))
      << Status("traits_lib::walk_shown")->reason;
  ASSERT_NE(Status("traits_lib::drain_shown"), nullptr);
  EXPECT_EQ(Status("traits_lib::drain_shown")->status, "erased");
  EXPECT_TRUE(Status("traits_lib::drain_shown")
                  ->reason.starts_with("S (owned crate::Feed<Item = u32> + core::fmt::Debug vtable "))
      << Status("traits_lib::drain_shown")->reason;
  const plan::VtablePlan* walk = nullptr;
  const plan::VtablePlan* extended = nullptr;
  for (const plan::VtablePlan& vt : TraitsPlan().vtables) {
    if (vt.trait_path == "traits_lib::Walk" && vt.instance.empty()) walk = &vt;
    if (vt.instance == "traits_lib::Walk + core::fmt::Display + core::fmt::Debug") extended = &vt;
  }
  ASSERT_NE(walk, nullptr);
  ASSERT_NE(extended, nullptr);
  // The trait's table with two more entries, which its layout (and so its
  // hash, in every symbol that passes it) names; no `dyn` form has it.
  EXPECT_EQ(extended->std_supertraits, (std::vector<std::string>{"Display", "Debug"}));
  EXPECT_FALSE(extended->dyn_compatible);
  EXPECT_EQ(extended->facade_args, " + core::fmt::Display + core::fmt::Debug");
  EXPECT_EQ(extended->layout_text,
            "vtable of traits_lib::Walk + core::fmt::Display + core::fmt::Debug: " + walk->layout_text.substr(7) +
                "; core::fmt::Display::fmt(&self, flags) -> String put; core::fmt::Debug::fmt(&self, flags) -> "
                "String put");
  EXPECT_NE(extended->hash, walk->hash);
  EXPECT_NE(extended->name, walk->name);
}

// Generic trait methods: declared with the library's signature where erasure
// applies, forwarded by the library's impls through erasure.
TEST(TraitsPlanTest, GenericMethodsAreDeclaredAndForwardedByErasure) {
  const std::string changes =
      "each library impl's method runs once, over a proxy that calls back (size_of, TypeId and type_name of "
      "these see the proxy)";
  const std::string provided = "provided: the facade's default body runs the library's, on a proxy over the value; ";
  // The other way: what a consumer's implementation sees through the vtable.
  auto back = [](const std::string& what) {
    return "; a consumer's implementation is called through the vtable with the library's " + what +
           " erased: size_of, TypeId and type_name of these see the facade's proxy, not the library's type";
  };
  const std::vector<std::pair<std::string, std::string>> erased = {
      {"visit", "F (owned FnMut(usize) -> ()): " + changes + back("F (returned FnMut(usize) -> ())")},
      {"visit_all",
       provided + "I (owned IntoIterator<Item = u32>): " + changes + back("I (returned IntoIterator<Item = u32>)")},
      {"label", "S (owned AsRef<str>): " + changes + back("S (returned AsRef<str>)")},
      {"less", provided + "T (copied PartialEq + PartialOrd + Copy): " + changes +
                   back("T (returned_copied PartialEq + PartialOrd + Copy)")},
  };
  for (const auto& [name, reason] : erased) {
    const plan::ItemStatus* st = Status("traits_lib::Visit::" + name);
    ASSERT_NE(st, nullptr) << name;
    EXPECT_EQ(st->status, "erased") << name;
    EXPECT_EQ(st->reason, reason) << name;
  }
  ASSERT_NE(Status("traits_lib::Visit::cloned"), nullptr);
  EXPECT_EQ(Status("traits_lib::Visit::cloned")->status, "unsupported");
  EXPECT_EQ(Status("traits_lib::Visit::cloned")->reason,
            "generic, not erased: T: the bound Clone is not erasable yet; not declared in the facade");
  const plan::TraitPlan* visit = Trait("traits_lib::Visit");
  ASSERT_NE(visit, nullptr);
  std::vector<std::string> declared;
  for (const plan::TraitMethodPlan& m : visit->methods) {
    if (m.declared) declared.push_back(m.declaration);
  }
  EXPECT_EQ(declared, (std::vector<std::string>{
                          "fn count(&self) -> usize",
                          "fn visit<F: core::ops::FnMut(usize)>(&self, f: F)",
                          "fn kind(&self) -> alloc::string::String",
                          "fn visit_all<I: core::iter::IntoIterator<Item = u32>>(&mut self, items: I) -> u32",
                          "fn label<S: core::convert::AsRef<str>>(&self, s: S) -> alloc::string::String",
                          "fn less<T: core::cmp::PartialOrd + core::marker::Copy>(&self, a: T, b: T) -> bool "
                          "where Self: core::marker::Sized",
                      }));
  // A vtable: the library's closure, iterator, string and Copy values cross
  // back erased; `less` (`where Self: Sized`) has an entry that only sized
  // implementors' tables fill; the undeclared provided methods are the
  // library's defaults.
  ASSERT_GE(visit->vtable, 0) << visit->vtable_reason;
  const plan::VtablePlan& vt = TraitsPlan().vtables[visit->vtable];
  ASSERT_EQ(vt.entries.size(), 6u);
  EXPECT_EQ(vt.entries[5].name, "less");
  EXPECT_TRUE(vt.entries[5].self_sized);
  EXPECT_NE(vt.layout_text.find("traits_lib::Visit::less(&self, erased returned_copied (returned_copied PartialEq + "
                                "PartialOrd + Copy), erased returned_copied (returned_copied PartialEq + PartialOrd + "
                                "Copy)) -> bool where Self: Sized; "),
            std::string::npos)
      << vt.layout_text;
  EXPECT_EQ(vt.library_defaults, (std::vector<std::string>{"traits_lib::Visit::cloned", "traits_lib::Visit::width_of",
                                                           "traits_lib::Visit::area_of"}));
  // Both impls, the library's type and a std type, forward every declared
  // method; the generic ones take erased arguments.
  for (const char* impl : {"<traits_lib::Square as traits_lib::Visit>", "<u32 as traits_lib::Visit>"}) {
    ASSERT_NE(Status(impl), nullptr) << impl;
    EXPECT_EQ(Status(impl)->status, "erased") << impl;
    EXPECT_EQ(Status(impl)->reason,
              "visit: F (owned FnMut(usize) -> ()); visit_all: I (owned IntoIterator<Item = u32>); label: S (owned "
              "AsRef<str>); less: T (copied PartialEq + PartialOrd + Copy): the library's generic method runs once, "
              "over a proxy that calls back (size_of, TypeId and type_name of these see the proxy); values are "
              "converted at the boundary")
        << impl;
  }
  int erased_methods = 0;
  for (const plan::FunctionPlan& f : TraitsPlan().functions) {
    if (f.impl_header != "impl crate::Visit for u32") continue;
    if (!f.erased.empty()) ++erased_methods;
    if (f.name == "visit") {
      EXPECT_EQ(f.facade_signature, "fn visit<F: core::ops::FnMut(usize)>(&self, f: F)");
      EXPECT_EQ(f.shim_callee, "<u32 as target_crate::Visit>::visit");
    }
  }
  EXPECT_EQ(erased_methods, 4);
}

// Debug and Display supertraits are entries after the methods': the proxy
// formats the consumer's value through them, with the library's flags.
// Other std supertraits keep the trait from having a vtable, with the reason.
TEST(TraitsPlanTest, StdFormattingSupertraitsAreVtableEntries) {
  const plan::TraitPlan* labelled = Trait("traits_lib::Labelled");
  ASSERT_NE(labelled, nullptr);
  ASSERT_GE(labelled->vtable, 0) << labelled->vtable_reason;
  const plan::VtablePlan& vt = TraitsPlan().vtables[labelled->vtable];
  EXPECT_TRUE(vt.dyn_compatible);
  EXPECT_EQ(vt.std_supertraits, (std::vector<std::string>{"Debug", "Display"}));
  ASSERT_EQ(vt.entries.size(), 1u);
  EXPECT_EQ(vt.layout_text,
            "vtable drop; size; align; traits_lib::Labelled::weight(&self) -> u32; "
            "core::fmt::Debug::fmt(&self, flags) -> String put; core::fmt::Display::fmt(&self, flags) -> String put");
  // Clone + PartialOrd: entries for both, PartialEq first (PartialOrd's own supertrait).
  const plan::TraitPlan* step = Trait("traits_lib::Step");
  ASSERT_NE(step, nullptr);
  ASSERT_GE(step->vtable, 0) << step->vtable_reason;
  EXPECT_EQ(TraitsPlan().vtables[step->vtable].std_supertraits,
            (std::vector<std::string>{"Clone", "PartialEq", "PartialOrd"}));
  // Clone: an entry that clones the consumer's value; the trait is not
  // dyn-compatible, so its table serves generic parameters only.
  const plan::TraitPlan* token = Trait("traits_lib::Token");
  ASSERT_NE(token, nullptr);
  ASSERT_GE(token->vtable, 0) << token->vtable_reason;
  const plan::VtablePlan& tv = TraitsPlan().vtables[token->vtable];
  EXPECT_FALSE(tv.dyn_compatible);
  // Clone and a provided method: the default body's proxy owns its clones.
  const plan::TraitPlan* renew = Trait("traits_lib::Renew");
  ASSERT_NE(renew, nullptr);
  ASSERT_GE(renew->vtable, 0) << renew->vtable_reason;
  EXPECT_EQ(Status("traits_lib::Renew")->reason.find("no vtable"), std::string::npos);
  EXPECT_EQ(tv.std_supertraits, (std::vector<std::string>{"Clone"}));
  EXPECT_EQ(tv.layout_text,
            "vtable drop; size; align; traits_lib::Token::id(&self) -> u32; "
            "core::clone::Clone::clone(&self) -> owned data");
}

const plan::VtablePlan* Vtable(const std::string& trait, const std::string& instance) {
  for (const plan::VtablePlan& vt : TraitsPlan().vtables) {
    if (vt.trait_path == trait && vt.instance == instance) return &vt;
  }
  return nullptr;
}

// Comparison and Hash supertraits are entries; a 'static parameter's table
// checks identity; Clone beside a trait extends its table.
TEST(TraitsPlanTest, ComparisonAndHashSupertraitsAreVtableEntries) {
  const plan::VtablePlan* rank = Vtable("traits_lib::cmp::Rank", "");
  ASSERT_NE(rank, nullptr) << Trait("traits_lib::cmp::Rank")->vtable_reason;
  EXPECT_FALSE(rank->dyn_compatible);
  EXPECT_EQ(rank->std_supertraits, (std::vector<std::string>{"PartialEq", "Eq", "PartialOrd", "Ord"}));
  EXPECT_EQ(rank->layout_text,
            "vtable drop; size; align; traits_lib::cmp::Rank::score(&self) -> u32; "
            "core::cmp::PartialEq::eq(&self, other: &Self) -> bool; core::cmp::Eq marker; "
            "core::cmp::PartialOrd::partial_cmp(&self, other: &Self) -> Option<Ordering> i8; "
            "core::cmp::Ord::cmp(&self, other: &Self) -> Ordering i8");
  const plan::VtablePlan* keyed = Vtable("traits_lib::cmp::Keyed", "");
  ASSERT_NE(keyed, nullptr);
  EXPECT_EQ(keyed->std_supertraits, (std::vector<std::string>{"PartialEq", "Eq", "Hash"}));
  // `keep<T: Tagged + Send + 'static>`: the use site's table has the identity entry.
  const plan::VtablePlan* tagged = Vtable("traits_lib::cmp::Tagged", "");
  ASSERT_NE(tagged, nullptr);
  EXPECT_EQ(tagged->std_supertraits, (std::vector<std::string>{"PartialEq"}));
  const plan::VtablePlan* kept = Vtable("traits_lib::cmp::Tagged", "traits_lib::cmp::Tagged + 'static");
  ASSERT_NE(kept, nullptr);
  EXPECT_EQ(kept->std_supertraits, (std::vector<std::string>{"PartialEq", "TypeId"}));
  EXPECT_EQ(kept->layout_text,
            "vtable of traits_lib::cmp::Tagged + 'static: drop; size; align; traits_lib::cmp::Tagged::tag(&self) -> "
            "u32; core::cmp::PartialEq::eq(&self, other: &Self) -> bool; core::any::TypeId::of::<Self>() identity, "
            "checked by comparisons");
  EXPECT_NE(kept->hash, tagged->hash);
  ASSERT_NE(Status("traits_lib::cmp::keep"), nullptr);
  EXPECT_EQ(Status("traits_lib::cmp::keep")->status, "erased");
  // `trait Sticky: PartialEq + 'static`: the trait's own table checks identity.
  const plan::VtablePlan* sticky = Vtable("traits_lib::cmp::Sticky", "");
  ASSERT_NE(sticky, nullptr);
  EXPECT_TRUE(sticky->implies_static);
  EXPECT_EQ(sticky->std_supertraits, (std::vector<std::string>{"PartialEq", "TypeId"}));
  // `twice<T: Count + Clone>`.
  const plan::VtablePlan* twice = Vtable("traits_lib::cmp::Count", "traits_lib::cmp::Count + core::clone::Clone");
  ASSERT_NE(twice, nullptr);
  EXPECT_EQ(twice->std_supertraits, (std::vector<std::string>{"Clone"}));
  // Compared with another type: refused, with the reason on the trait.
  const plan::TraitPlan* threshold = Trait("traits_lib::cmp::Threshold");
  ASSERT_NE(threshold, nullptr);
  EXPECT_LT(threshold->vtable, 0);
  EXPECT_EQ(threshold->vtable_reason,
            "its supertrait core::cmp::PartialOrd<..> compares with another type: only the Self form (`PartialOrd`, "
            "`PartialOrd<Self>`) has a table entry");
  EXPECT_NE(Status("traits_lib::cmp::Threshold")->reason.find("no vtable: " + threshold->vtable_reason),
            std::string::npos);
}

// A generic method whose type parameter is a closure has a vtable entry:
// the library's closure crosses to the consumer's method as a closure the
// library returns would (the shim's table, a handle in the facade).
TEST(TraitsPlanTest, AGenericMethodOverAClosureHasAVtableEntry) {
  const plan::TraitPlan* walk = Trait("traits_lib::Walk");
  ASSERT_NE(walk, nullptr);
  ASSERT_GE(walk->vtable, 0) << walk->vtable_reason;
  EXPECT_EQ(Status("traits_lib::Walk")->status, "exported");
  const plan::VtablePlan& vt = TraitsPlan().vtables[walk->vtable];
  EXPECT_FALSE(vt.dyn_compatible);
  ASSERT_EQ(vt.entries.size(), 3u);
  const plan::VtableEntry& e = vt.entries[1];
  EXPECT_EQ(e.name, "walk");
  ASSERT_EQ(e.erased.size(), 1u);
  EXPECT_EQ(e.erased[0].name, "F");
  EXPECT_EQ(e.erased[0].mode, plan::ErasedMode::kReturned);
  EXPECT_EQ(e.erased[0].Text(), "returned FnMut(u32) -> bool");
  ASSERT_EQ(e.params.size(), 1u);
  EXPECT_EQ(e.params[0].second.kind, plan::AbiValue::Kind::kErased);
  EXPECT_EQ(e.shim_signature, "fn walk<F: core::ops::FnMut(u32) -> bool>(&self, f: F) -> u32");
  EXPECT_EQ(vt.layout_text,
            "vtable drop; size; align; traits_lib::Walk::steps(&self) -> u32; traits_lib::Walk::walk(&self, erased "
            "returned (returned FnMut(u32) -> bool)) -> u32; traits_lib::Walk::count_while(&self, erased returned "
            "(returned FnMut(u32) -> bool)) -> u32; traits_lib::Walk::count_while default(erased owned (owned "
            "FnMut(u32) -> bool))");
  // A generic method over another bound has an entry too (below).
  const plan::TraitPlan* tag = Trait("traits_lib::Tag");
  ASSERT_NE(tag, nullptr);
  EXPECT_GE(tag->vtable, 0) << tag->vtable_reason;
  EXPECT_EQ(Status("traits_lib::Tag")->status, "exported");
  EXPECT_EQ(Status("traits_lib::Tag")->reason, "");
  EXPECT_EQ(Status("<traits_lib::Circle as traits_lib::Tag>")->status, "erased");
  // A provided generic method: an entry, and a default thunk that takes the
  // consumer's closure erased the forward way.
  const plan::VtableEntry& provided = vt.entries[2];
  EXPECT_EQ(provided.name, "count_while");
  ASSERT_EQ(provided.default_erased.size(), 1u);
  EXPECT_EQ(provided.default_erased[0].Text(), "owned FnMut(u32) -> bool");
  EXPECT_EQ(Status("traits_lib::Walk::count_while")->status, "erased");
  EXPECT_EQ(Status("traits_lib::Walk::count_while")->reason,
            "provided: the facade's default body runs the library's, on a proxy over the value; F (owned FnMut(u32) "
            "-> bool): each library impl's method runs once, over a proxy that calls back (size_of, TypeId and "
            "type_name of these see the proxy); a consumer's implementation is called through the vtable with the "
            "library's F (returned FnMut(u32) -> bool) erased: size_of, TypeId and type_name of these see the "
            "facade's proxy, not the library's type");
  // Kept out of `dyn` in a dyn-compatible trait: the library's trait objects'
  // handle would need it too.
  EXPECT_EQ(Trait("traits_lib::Each")->vtable_reason,
            "its method each is generic and kept out of `dyn` (`where Self: Sized`): the facade's handle of the "
            "library's trait objects would still need it, which is not built yet");
  EXPECT_EQ(Status("traits_lib::Each::each")->status, "erased");
  // So a consumer's walker crosses to the library's generic function.
  ASSERT_NE(Status("traits_lib::walk_until"), nullptr);
  EXPECT_EQ(Status("traits_lib::walk_until")->status, "erased");
}

// A generic method over other bounds than closures has a vtable entry: the
// library's value crosses to the consumer's method erased the other way (the
// shim's table over its type, the facade's proxy implementing the bounds).
TEST(TraitsPlanTest, AGenericMethodOverOtherBoundsHasAReversedVtableEntry) {
  const plan::TraitPlan* gather = Trait("traits_lib::Gather");
  ASSERT_NE(gather, nullptr);
  ASSERT_GE(gather->vtable, 0) << gather->vtable_reason;
  const plan::VtablePlan& vt = TraitsPlan().vtables[gather->vtable];
  EXPECT_FALSE(vt.dyn_compatible);
  ASSERT_EQ(vt.entries.size(), 6u);
  const plan::VtableEntry& e = vt.entries[0];
  EXPECT_EQ(e.name, "gather");
  ASSERT_EQ(e.erased.size(), 1u);
  EXPECT_EQ(e.erased[0].id, "vt_Gather__gather__I");
  EXPECT_EQ(e.erased[0].mode, plan::ErasedMode::kReturned);
  EXPECT_FALSE(e.erased[0].IsClosure());
  EXPECT_EQ(e.erased[0].Text(), "returned IntoIterator<Item = u32>");
  ASSERT_EQ(e.default_erased.size(), 1u);
  EXPECT_EQ(e.default_erased[0].Text(), "owned IntoIterator<Item = u32>");
  // The erased shapes are part of the layout text, hence of its hash and of
  // every symbol that passes the table.
  EXPECT_EQ(vt.layout_text,
            "vtable drop; size; align; traits_lib::Gather::gather(&mut self, erased returned (returned "
            "IntoIterator<Item = u32>)) -> u32; traits_lib::Gather::gather default(erased owned (owned "
            "IntoIterator<Item = u32>)); traits_lib::Gather::show(&self, erased returned (returned Display)) -> "
            "String; traits_lib::Gather::words(&self, erased returned (returned IntoIterator<Item = String>)) -> "
            "String; traits_lib::Gather::words default(erased owned (owned IntoIterator<Item = String>)); "
            "traits_lib::Gather::note(&self, erased returned (returned Into<String> + Debug)) -> String; "
            "traits_lib::Gather::note default(erased owned (owned Into<String> + Debug)); "
            "traits_lib::Gather::weigh(&self, erased returned (returned AsRef<[u8]>)) -> usize; "
            "traits_lib::Gather::weigh default(erased owned (owned AsRef<[u8]>)); "
            "traits_lib::Gather::pick(&self, erased returned_copied (returned_copied PartialEq + PartialOrd + Copy), "
            "erased returned_copied (returned_copied PartialEq + PartialOrd + Copy)) -> bool; "
            "traits_lib::Gather::pick default(erased copied (copied PartialEq + PartialOrd + Copy), erased copied "
            "(copied PartialEq + PartialOrd + Copy))");
  // `a: T, b: T`: one table, both values lent for the call.
  const plan::VtableEntry& pick = vt.entries[5];
  EXPECT_EQ(pick.name, "pick");
  ASSERT_EQ(pick.erased.size(), 1u);
  EXPECT_EQ(pick.erased[0].mode, plan::ErasedMode::kReturnedCopied);
  ASSERT_EQ(pick.params.size(), 2u);
  EXPECT_EQ(pick.params[0].second.wire_name, pick.params[1].second.wire_name);
  EXPECT_EQ(Status("traits_lib::Gather::show")->status, "erased");
  EXPECT_EQ(Status("traits_lib::Gather::show")->reason,
            "D (owned Display): each library impl's method runs once, over a proxy that calls back (size_of, TypeId "
            "and type_name of these see the proxy); a consumer's implementation is called through the vtable with "
            "the library's D (returned Display) erased: size_of, TypeId and type_name of these see the facade's "
            "proxy, not the library's type");
  const plan::VtablePlan& tag = TraitsPlan().vtables[Trait("traits_lib::Tag")->vtable];
  EXPECT_EQ(tag.layout_text,
            "vtable drop; size; align; traits_lib::Tag::tag(&self, erased returned (returned AsRef<str>)) -> String");
  // A closure and a value in one method: each in its own form.
  const plan::TraitPlan* mix = Trait("traits_lib::Mix");
  ASSERT_NE(mix, nullptr);
  ASSERT_GE(mix->vtable, 0) << mix->vtable_reason;
  const plan::VtableEntry& both = TraitsPlan().vtables[mix->vtable].entries.back();
  EXPECT_EQ(both.name, "both");
  ASSERT_EQ(both.erased.size(), 2u);
  EXPECT_EQ(both.erased[0].Text(), "returned FnMut(i64) -> ()");
  EXPECT_EQ(both.erased[1].Text(), "returned IntoIterator<Item = i64>");
  // So consumer gatherers and taggers cross to the library's generic functions.
  EXPECT_EQ(Status("traits_lib::gather_all")->status, "erased");
  EXPECT_EQ(Status("traits_lib::tag_twice")->status, "erased");
}

TEST(TraitsPlanTest, VtablesListSupertraitMethodsFirst) {
  const plan::TraitPlan* shape = Trait("traits_lib::Shape");
  ASSERT_NE(shape, nullptr);
  ASSERT_GE(shape->vtable, 0) << shape->vtable_reason;
  const plan::VtablePlan& vt = TraitsPlan().vtables[shape->vtable];
  std::vector<std::string> names;
  for (const plan::VtableEntry& e : vt.entries) names.push_back(e.name);
  EXPECT_EQ(names, (std::vector<std::string>{"name", "area", "scale", "describe", "double_area"}));
  EXPECT_EQ(vt.traits, (std::vector<std::string>{"traits_lib::Named", "traits_lib::Shape"}));
  EXPECT_EQ(Trait("traits_lib::Polygon")->vtable, -1);
  EXPECT_EQ(Trait("traits_lib::Polygon")->vtable_reason,
            "its associated const SIDES is known only to the implementing type: the trait is not dyn-compatible, "
            "and the shim's proxy is compiled before any consumer type exists");
  EXPECT_EQ(Trait("traits_lib::Convert")->vtable_reason, plan::kVtablePerInstance);
  EXPECT_EQ(Trait("traits_lib::Source")->vtable_reason,
            "its lifetime parameter 'a: traits with lifetime or const parameters have no vtable yet");
  // The trait's load check carries the vtable's layout.
  for (const plan::ShapeCheck& c : TraitsPlan().checks) {
    if (c.path == "traits_lib::Shape") {
      EXPECT_NE(c.text.find(vt.layout_text), std::string::npos);
    }
  }
}

const plan::VtablePlan* Instance(const std::string& text) {
  const plan::VtablePlan* found = nullptr;
  for (const plan::VtablePlan& vt : TraitsPlan().vtables) {
    if (vt.instance != text) continue;
    EXPECT_EQ(found, nullptr) << "two tables for " << text;
    found = &vt;
  }
  return found;
}

TEST(TraitsPlanTest, GenericAndAssociatedTypeTraitsHaveAVtablePerInstance) {
  EXPECT_EQ(Trait("traits_lib::Handler")->vtable, -1);
  EXPECT_EQ(Trait("traits_lib::Handler")->vtable_reason, plan::kVtablePerInstance);
  EXPECT_EQ(Trait("traits_lib::Feed")->vtable_reason, plan::kVtablePerInstance);
  // One table for `dyn Handler<Event>`, however many items name it.
  const plan::VtablePlan* handler = Instance("traits_lib::Handler<traits_lib::Event>");
  ASSERT_NE(handler, nullptr);
  EXPECT_EQ(handler->trait_path, "traits_lib::Handler");
  EXPECT_EQ(handler->facade_args, "<crate::Event>");
  EXPECT_EQ(handler->shim_impl_args, "<target_crate::Event>");
  EXPECT_TRUE(handler->shim_assoc.empty());
  EXPECT_EQ(handler->name, "Handler_" + HexHash(handler->instance).substr(0, 8));
  EXPECT_EQ(handler->layout_text,
            "vtable of traits_lib::Handler<traits_lib::Event>: drop; size; align; traits_lib::Handler::handle(&mut "
            "self, &crate::Event) -> u32; traits_lib::Handler::label(&self) -> String; "
            "traits_lib::Handler::priority(&self) -> u32");
  ASSERT_EQ(handler->entries.size(), 3u);
  EXPECT_EQ(handler->entries[0].facade_signature, "fn handle(&mut self, event: &crate::Event) -> u32");
  EXPECT_EQ(handler->entries[0].shim_signature, "fn handle(&mut self, event: &target_crate::Event) -> u32");
  // `Self::Item` is the instance's binding.
  const plan::VtablePlan* feed = Instance("traits_lib::Feed<Item = u32>");
  ASSERT_NE(feed, nullptr);
  EXPECT_EQ(feed->facade_args, "<Item = u32>");
  EXPECT_EQ(feed->facade_impl_args, "");
  EXPECT_EQ(feed->facade_assoc, (std::vector<std::string>{"type Item = u32;"}));
  EXPECT_EQ(feed->layout_text,
            "vtable of traits_lib::Feed<Item = u32>: drop; size; align; traits_lib::Feed::next_item(&mut self) -> "
            "u32; traits_lib::Feed::remaining(&self) -> usize");
  EXPECT_EQ(feed->entries[0].facade_signature, "fn next_item(&mut self) -> u32");
  EXPECT_TRUE(feed->dyn_compatible);
  // Each instance is a load check of its own.
  bool checked = false;
  for (const plan::ShapeCheck& c : TraitsPlan().checks) {
    checked |= c.path == feed->instance && c.text == "vtable instance " + feed->layout_text;
  }
  EXPECT_TRUE(checked);
  // Consumer values cross as the instance, in each form.
  EXPECT_EQ(Status("traits_lib::Bus::subscribe")->status, "converted");
  EXPECT_EQ(Status("traits_lib::handle_once")->status, "converted");
  EXPECT_EQ(Status("traits_lib::sum_feed")->status, "converted");
  EXPECT_EQ(Status("traits_lib::drain")->status, "erased");
  EXPECT_EQ(Status("traits_lib::count_down")->status, "converted");
  // An associated type the use site leaves open: not erased, naming it
  // (the function's body may still be copied).
  EXPECT_TRUE(Status("traits_lib::feed_left")->reason.starts_with(
      "generic, not erased: S: traits_lib::Feed: its associated type Item is not bound here (`Feed<Item = ..>`): "
      "the library's shim cannot know the consumer's type;"))
      << Status("traits_lib::feed_left")->reason;
  // A binding the two sides do not name as one type: refused, naming it.
  EXPECT_EQ(Status("traits_lib::count_words")->reason,
            "parameter f: traits_lib::Feed: its associated type Item = String is not a type both sides name alike "
            "(numbers, bool, char, (), the crate's own types) yet");
  // Associated consts: an erased `P: Polygon` could not know them, but the
  // closed set of the library's impls still instantiates it.
  EXPECT_EQ(Status("traits_lib::sides")->reason,
            "instantiated for traits_lib::Square (the closed set of P: traits_lib::Polygon)");
  EXPECT_EQ(Status("traits_lib::sum_impl")->status, "erased");
  EXPECT_EQ(Status("traits_lib::count_up")->status, "converted");
}

TEST(TraitsPlanTest, MutableSlicesAndVecsOfTraitObjectsAreMovedInAndHandedBack) {
  for (const char* f : {"traits_lib::slots::rotate", "traits_lib::slots::replace_first", "traits_lib::slots::grow_all",
                        "traits_lib::slots::swap_then_panic", "traits_lib::slots::restock",
                        "traits_lib::slots::keep_large"}) {
    ASSERT_NE(Status(f), nullptr) << f;
    EXPECT_EQ(Status(f)->status, "converted") << f << ": " << Status(f)->reason;
  }
  // The library's boxes live for the call only.
  ASSERT_NE(Status("traits_lib::slots::first_mut"), nullptr);
  EXPECT_EQ(Status("traits_lib::slots::first_mut")->reason,
            "parameter shapes: the return value may borrow from the trait objects it lends, which are lent for the "
            "call only");
  const plan::TraitPlan* shape = Trait("traits_lib::Shape");
  ASSERT_NE(shape, nullptr);
  const plan::VtablePlan& vt = TraitsPlan().vtables[shape->vtable];
  const plan::FunctionPlan* grow = nullptr;
  const plan::FunctionPlan* restock = nullptr;
  for (const plan::FunctionPlan& fp : TraitsPlan().functions) {
    if (fp.path == "traits_lib::slots::grow_all") grow = &fp;
    if (fp.path == "traits_lib::slots::restock") restock = &fp;
  }
  ASSERT_NE(grow, nullptr);
  ASSERT_NE(restock, nullptr);
  // The form, with the table's hash and the markers, is in the symbol's hash.
  EXPECT_EQ(plan::FormText(grow->params[0].value),
            "&mut [Box<dyn crate::Shape + Send> vtable " + vt.hash + "] (moved in, each slot handed back)");
  EXPECT_EQ(plan::FormText(restock->params[0].value),
            "&mut Vec<Box<dyn crate::Shape> vtable " + vt.hash + "> (moved in, handed back)");
}

// A generic method of an instance (traits_lib/src/instances.rs): an entry
// as a plain trait's, with the instance's arguments and associated types put
// in its bounds, which its erased form and the layout text name.
TEST(TraitsPlanTest, GenericMethodsOfAnInstanceHaveEntriesWithItsArgumentsPutIn) {
  const plan::VtablePlan* stream = Instance("traits_lib::Stream<Item = u32>");
  ASSERT_NE(stream, nullptr);
  EXPECT_FALSE(stream->dyn_compatible);
  EXPECT_EQ(stream->layout_text,
            "vtable of traits_lib::Stream<Item = u32>: drop; size; align; traits_lib::Stream::each(&mut self, erased "
            "returned (returned FnMut(&u32) -> ())) -> usize; traits_lib::Stream::name(&self) -> String");
  ASSERT_EQ(stream->entries.size(), 2u);
  const plan::VtableEntry& each = stream->entries[0];
  ASSERT_EQ(each.erased.size(), 1u);
  EXPECT_EQ(each.erased[0].Text(), "returned FnMut(&u32) -> ()");
  EXPECT_EQ(each.shim_signature, "fn each<F: core::ops::FnMut(&u32)>(&mut self, f: F) -> usize");
  EXPECT_EQ(each.facade_signature, "fn each<F: core::ops::FnMut(&u32)>(&mut self, f: F) -> usize");
  const plan::VtablePlan* present = Instance("traits_lib::Present<u32>");
  ASSERT_NE(present, nullptr);
  EXPECT_EQ(present->layout_text,
            "vtable of traits_lib::Present<u32>: drop; size; align; traits_lib::Present::present(&self, u32, erased "
            "returned (returned Display)) -> String; traits_lib::Present::map_with(&self, u32, erased returned "
            "(returned Fn(u32) -> u32)) -> u32");
  // The facade declares the method as the library does; the report says
  // how it is erased both ways.
  EXPECT_EQ(Status("traits_lib::Stream::each")->status, "erased");
  EXPECT_EQ(Status("traits_lib::Stream::each")->reason,
            "F (erased per library impl and per vtable instance, whose arguments and associated types its bounds "
            "name): each library impl's method runs once, over a proxy that calls back (size_of, TypeId and "
            "type_name of these see the proxy); a consumer's implementation is called through the vtable with the "
            "library's F (returned FnMut(&u32) -> ()) erased: size_of, TypeId and type_name of these see the "
            "facade's proxy, not the library's type");
  EXPECT_EQ(Status("traits_lib::collect_stream")->status, "erased");
  EXPECT_EQ(Status("traits_lib::sum_stream")->status, "erased");
  EXPECT_EQ(Status("traits_lib::present_pair")->status, "erased");
  // The library's own impls forward them by erasure, with the impl's
  // arguments put in the bounds (`F: Fn(u32) -> u32`, `F: FnMut(&u32)`).
  EXPECT_EQ(Status("<traits_lib::Tally as traits_lib::Present<u32>>")->reason,
            "present: D (owned Display); map_with: F (owned Fn(u32) -> u32): the library's generic method runs "
            "once, over a proxy that calls back (size_of, TypeId and type_name of these see the proxy); values are "
            "converted at the boundary");
  EXPECT_EQ(Status("<traits_lib::Tally as traits_lib::Stream>")->reason,
            "each: F (owned FnMut(&u32) -> ()): the library's generic method runs once, over a proxy that calls "
            "back (size_of, TypeId and type_name of these see the proxy); values are converted at the boundary");
  // An instance whose argument an entry cannot take by value: refused, naming it.
  EXPECT_TRUE(Status("traits_lib::present_event")->reason.starts_with(
      "generic, not erased: R: traits_lib::Present<traits_lib::Event> has no vtable: present: parameter value: a "
      "crate::Event parameter does not cross back from the consumer yet;"))
      << Status("traits_lib::present_event")->reason;
}

TEST(TraitsPlanTest, AWhereClauseOnAMethodsOwnParameterIsItsBound) {
  const plan::TraitPlan* sink = Trait("traits_lib::Sink");
  ASSERT_NE(sink, nullptr);
  ASSERT_GE(sink->vtable, 0) << sink->vtable_reason;
  const plan::VtableEntry& put = TraitsPlan().vtables[sink->vtable].entries[0];
  EXPECT_FALSE(put.self_sized);
  EXPECT_EQ(put.shim_signature, "fn put<F: core::ops::FnMut(u32) -> u32>(&mut self, f: F) -> u32");
  ASSERT_EQ(put.erased.size(), 1u);
  EXPECT_EQ(put.erased[0].Text(), "returned FnMut(u32) -> u32");
  EXPECT_EQ(Status("traits_lib::fill")->status, "erased");
}

// Formats a generated lib.rs as the build stage does, in a scratch crate.
std::string Formatted(const std::string& name, const std::string& lib_rs, std::string_view rt) {
  fs::path dir = testing::TestWorkDir() / "golden" / name / "src";
  WriteFile(dir / "lib.rs", lib_rs);
  WriteFile(dir / "rdylib_rt.rs", rt);
  WriteFile(dir / "rdylib_wire.rs", WireRuntime());
  Diagnostics diags;
  RustFmt(dir / "lib.rs", &diags);
  EXPECT_FALSE(diags.HasErrors());
  return *ReadFile(dir / "lib.rs");
}

TEST(TraitsGoldenTest, Facade) {
  testing::CheckGolden("traits_lib_facade.rs",
                       Formatted("traits_facade", WriteFacadeLib(TraitsPlan(), "libtraits_lib.so"), FacadeRuntime()));
}

TEST(TraitsGoldenTest, Shim) {
  testing::CheckGolden("traits_lib_shim.rs", Formatted("traits_shim", WriteShimLib(TraitsPlan()), ShimRuntime()));
}

}  // namespace
}  // namespace rdylib::emit
