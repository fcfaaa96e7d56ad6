// Tests for the read stage, on JSON that real toolchains write for the
// fixture crate (format 57 from 1.95, format 37 from 1.85), and on broken
// versions of that JSON.
#include "read/reader.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "test_support.h"
#include "util/files.h"

namespace rdylib::read {
namespace {

using model::Item;
using model::ItemKind;
using testing::FixtureCrate;
using testing::FixtureJson;

constexpr const char* kFixture = "api_fixture";

// The fixture item named `name` of `kind`, defined in the fixture crate.
const Item& Find(const model::Crate& crate, const std::string& name, ItemKind kind) {
  for (const auto& [id, item] : crate.index) {
    if (item.crate_id == 0 && item.name == name && item.kind == kind) return item;
  }
  throw std::runtime_error("no " + name);
}

// The 1-based line of the first source line containing `needle`.
uint32_t SourceLine(const std::string& needle) {
  std::ifstream in(testing::FixtureDir(kFixture) / "src/lib.rs");
  std::string line;
  for (uint32_t n = 1; std::getline(in, line); ++n) {
    if (line.find(needle) != std::string::npos) return n;
  }
  return 0;
}

class ReaderTest : public ::testing::TestWithParam<std::string> {
 protected:
  const model::Crate& crate() { return FixtureCrate(kFixture, GetParam()); }
};

TEST_P(ReaderTest, ReadsCrateHeader) {
  EXPECT_EQ(crate().format_version, GetParam() == "stable" ? 57 : 37);
  EXPECT_EQ(crate().name, "api_fixture");
  EXPECT_EQ(crate().crate_version, "0.3.1");
  EXPECT_FALSE(crate().includes_private);
  EXPECT_EQ(crate().Find(crate().root)->kind, ItemKind::kModule);
  // Paths of external items, e.g. core::fmt::Display, are there too.
  bool found_display = false;
  for (const auto& [id, s] : crate().paths) {
    found_display |= s.Joined() == "core::fmt::Display" && s.kind == "trait";
  }
  EXPECT_TRUE(found_display);
}

TEST_P(ReaderTest, ReadsStructsWithGenericsAndStrippedFields) {
  const Item& record = Find(crate(), "Record", ItemKind::kStruct);
  const auto& s = record.As<model::Struct>();
  EXPECT_EQ(s.kind, model::Struct::Kind::kPlain);
  EXPECT_EQ(s.fields.size(), 2u);  // name and items; `secret` is private
  EXPECT_TRUE(s.has_stripped_fields);
  ASSERT_EQ(s.generics.params.size(), 2u);
  EXPECT_EQ(s.generics.params[0].name, "'a");
  EXPECT_EQ(s.generics.params[0].kind, model::GenericParamDef::Kind::kLifetime);
  EXPECT_EQ(s.generics.params[1].name, "T");
  ASSERT_TRUE(s.generics.params[1].default_type);
  EXPECT_EQ(s.generics.params[1].default_type->name, "u8");
  EXPECT_TRUE(record.attrs.non_exhaustive);
  EXPECT_TRUE(record.has_docs);
  // Spans are 1-based in both formats (format 37 counts columns from 0).
  ASSERT_TRUE(record.span);
  EXPECT_EQ(record.span->line, SourceLine("pub struct Record"));
  EXPECT_EQ(record.span->column, 1u);
  EXPECT_TRUE(record.span->file.ends_with("src/lib.rs"));

  const auto& meters = Find(crate(), "Meters", ItemKind::kStruct).As<model::Struct>();
  EXPECT_EQ(meters.kind, model::Struct::Kind::kTuple);
  ASSERT_EQ(meters.fields.size(), 2u);
  EXPECT_NE(meters.fields[0], model::kNoId);
  EXPECT_EQ(meters.fields[1], model::kNoId);  // the private u8
  EXPECT_EQ(Find(crate(), "Unit", ItemKind::kStruct).As<model::Struct>().kind,
            model::Struct::Kind::kUnit);
}

TEST_P(ReaderTest, ReadsEnumsUnionsAndRepr) {
  const Item& level = Find(crate(), "Level", ItemKind::kEnum);
  EXPECT_EQ(level.attrs.repr, "u8");
  EXPECT_EQ(level.As<model::Enum>().variants.size(), 2u);
  const auto& high = Find(crate(), "High", ItemKind::kVariant).As<model::Variant>();
  EXPECT_EQ(high.discriminant_value, "10");
  const auto& rect = Find(crate(), "Rect", ItemKind::kVariant).As<model::Variant>();
  EXPECT_EQ(rect.kind, model::Variant::Kind::kStruct);
  EXPECT_EQ(rect.fields.size(), 2u);
  EXPECT_EQ(Find(crate(), "Circle", ItemKind::kVariant).As<model::Variant>().kind,
            model::Variant::Kind::kTuple);
  const Item& bits = Find(crate(), "Bits", ItemKind::kUnion);
  EXPECT_EQ(bits.attrs.repr, "C");
  EXPECT_EQ(bits.As<model::Union>().fields.size(), 2u);
}

TEST_P(ReaderTest, ReadsTraitsAndImpls) {
  const auto& t = Find(crate(), "Describe", ItemKind::kTrait).As<model::Trait>();
  EXPECT_EQ(t.items.size(), 4u);
  EXPECT_EQ(t.bounds.size(), 2u);
  EXPECT_FALSE(t.is_dyn_compatible);  // it has an associated const
  EXPECT_TRUE(Find(crate(), "Named", ItemKind::kTrait).As<model::Trait>().is_dyn_compatible);
  const auto& kind = Find(crate(), "KIND", ItemKind::kAssocConst).As<model::AssocConst>();
  EXPECT_EQ(kind.value, "\"thing\"");
  // impl Describe for Level, with its associated type.
  bool found = false;
  for (const auto& [id, item] : crate().index) {
    const auto* impl = item.TryAs<model::Impl>();
    if (impl == nullptr || !impl->trait || impl->trait->name != "Describe") continue;
    found = true;
    EXPECT_FALSE(impl->is_synthetic);
    EXPECT_EQ(impl->items.size(), 2u);
    EXPECT_EQ(impl->provided_trait_methods.size(), 1u);
  }
  EXPECT_TRUE(found);
}

TEST_P(ReaderTest, ReadsFunctionsHeadersAndTypes) {
  const Item& old = Find(crate(), "old_parse", ItemKind::kFunction);
  ASSERT_TRUE(old.deprecation);
  EXPECT_EQ(old.deprecation->since, "0.2.0");
  EXPECT_EQ(old.deprecation->note, "use parse_level");
  EXPECT_EQ(Find(crate(), "new", ItemKind::kFunction).attrs.must_use, "");
  EXPECT_TRUE(Find(crate(), "square", ItemKind::kFunction).As<model::Function>().header.is_const);

  const auto& raw = Find(crate(), "read_raw", ItemKind::kFunction).As<model::Function>();
  EXPECT_TRUE(raw.header.is_unsafe);
  ASSERT_EQ(raw.sig.inputs.size(), 2u);
  EXPECT_EQ(raw.sig.inputs[0].second.kind, model::Type::Kind::kRawPointer);
  EXPECT_FALSE(raw.sig.inputs[0].second.is_mutable);
  const model::Type& q = raw.sig.inputs[1].second;
  EXPECT_TRUE(q.is_mutable);
  EXPECT_EQ(q.elems[0].kind, model::Type::Kind::kArray);
  EXPECT_EQ(q.elems[0].array_len, "4");

  const auto& cb = Find(crate(), "c_callback", ItemKind::kFunction).As<model::Function>();
  EXPECT_EQ(cb.header.abi, "C");
  const model::Type& opt = cb.sig.inputs[0].second;
  ASSERT_EQ(opt.kind, model::Type::Kind::kResolvedPath);
  ASSERT_TRUE(opt.path.args);
  const model::Type& fn_ptr = *opt.path.args->args[0].type;
  ASSERT_EQ(fn_ptr.kind, model::Type::Kind::kFunctionPointer);
  EXPECT_EQ(fn_ptr.fn_pointer->header.abi, "C");

  const auto& gw = Find(crate(), "generic_where", ItemKind::kFunction).As<model::Function>();
  ASSERT_EQ(gw.generics.where_predicates.size(), 2u);
  const model::GenericBound& fn_bound = gw.generics.where_predicates[1].bounds[0];
  ASSERT_EQ(fn_bound.generic_params.size(), 1u);
  EXPECT_EQ(fn_bound.generic_params[0].name, "'x");
  ASSERT_TRUE(fn_bound.trait.args);
  EXPECT_EQ(fn_bound.trait.args->kind, model::GenericArgs::Kind::kParenthesized);

  const auto& ti = Find(crate(), "takes_impl", ItemKind::kFunction).As<model::Function>();
  EXPECT_EQ(ti.sig.inputs[0].second.kind, model::Type::Kind::kImplTrait);
  ASSERT_EQ(ti.generics.params.size(), 1u);
  EXPECT_TRUE(ti.generics.params[0].is_synthetic);
}

TEST_P(ReaderTest, ReadsConstsStaticsAliasesMacrosAndUses) {
  const auto& answer = Find(crate(), "ANSWER", ItemKind::kConstant).As<model::Constant>();
  EXPECT_EQ(answer.type.name, "u64");
  EXPECT_EQ(answer.expr, "42");
  EXPECT_TRUE(Find(crate(), "COUNTER", ItemKind::kStatic).As<model::Static>().is_mutable);
  EXPECT_FALSE(Find(crate(), "GREETING", ItemKind::kStatic).As<model::Static>().is_mutable);
  const auto& alias = Find(crate(), "Result", ItemKind::kTypeAlias).As<model::TypeAlias>();
  EXPECT_EQ(alias.generics.params.size(), 1u);
  EXPECT_TRUE(Find(crate(), "make_point", ItemKind::kMacro).attrs.macro_export);
  const model::Use* renamed_ptr = nullptr;
  for (const auto& [id, item] : crate().index) {
    const auto* u = item.TryAs<model::Use>();
    if (u != nullptr && u->name == "Renamed") renamed_ptr = u;
  }
  ASSERT_NE(renamed_ptr, nullptr);
  const model::Use& renamed = *renamed_ptr;
  EXPECT_EQ(renamed.source, "hidden::Reexported");
  EXPECT_EQ(crate().Find(renamed.target)->name, "Reexported");
  bool glob = false;
  for (const auto& [id, item] : crate().index) {
    const auto* u = item.TryAs<model::Use>();
    glob |= u != nullptr && u->is_glob && u->source == "shapes";
  }
  EXPECT_TRUE(glob);
}

INSTANTIATE_TEST_SUITE_P(BothFormats, ReaderTest, ::testing::ValuesIn(testing::kToolchains),
                         [](const auto& info) { return testing::ToolchainTestName(info.param); });

TEST_P(ReaderTest, DocHiddenIsReadAloneAndAmongOtherDocFlags) {
  EXPECT_TRUE(Find(crate(), "internal", ItemKind::kModule).attrs.doc_hidden);
  EXPECT_TRUE(Find(crate(), "hidden_fn", ItemKind::kFunction).attrs.doc_hidden);
  EXPECT_TRUE(Find(crate(), "raw", ItemKind::kStructField).attrs.doc_hidden);
  EXPECT_FALSE(Find(crate(), "level", ItemKind::kStructField).attrs.doc_hidden);
  EXPECT_FALSE(Find(crate(), "Gauge", ItemKind::kStruct).attrs.doc_hidden);
}

// Both formats describe the same crate: the same local items by kind and
// name, apart from the hidden helpers std's derives write, which changed
// between the two (Eq's assert_receiver_is_total_eq, then assert_fields_are_eq).
TEST(ReaderCrossVersionTest, SameItemsFromBothFormats) {
  auto items = [](const model::Crate& c) {
    std::set<model::ItemId> derived;
    for (const auto& [id, item] : c.index) {
      if (const auto* impl = item.TryAs<model::Impl>(); impl && item.attrs.automatically_derived) {
        derived.insert(impl->items.begin(), impl->items.end());
      }
    }
    std::multiset<std::pair<std::string, std::string>> out;
    for (const auto& [id, item] : c.index) {
      if (item.attrs.doc_hidden && derived.count(id)) continue;
      if (item.crate_id == 0 && item.kind != ItemKind::kImpl) {
        out.insert({model::ItemKindName(item.kind), item.name});
      }
    }
    return out;
  };
  EXPECT_EQ(items(FixtureCrate(kFixture, "stable")),
            items(FixtureCrate(kFixture, "/usr/bin/rustc")));
}

// Bad input.

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  size_t pos = s.find(from);
  if (pos == std::string::npos) throw std::runtime_error("fixture lacks " + from);
  return s.replace(pos, from.size(), to);
}

TEST(ReaderErrorTest, UnknownFormatVersionIsAClearError) {
  std::string json = Replace(FixtureJson(kFixture, "stable"), "\"format_version\":57",
                             "\"format_version\":999");
  Diagnostics diags;
  EXPECT_FALSE(ReadCrateJson(json, "fixture.json", &diags));
  EXPECT_EQ(diags.ToString(),
            "fixture.json: error: rustdoc JSON format version 999 is not supported "
            "(supported: 37, 57)\n"
            "  hint: use a toolchain whose rustdoc writes a supported version (see "
            "`rdylib toolchains`), or update rdylib\n");
}

TEST(ReaderErrorTest, TruncatedFileIsAClearError) {
  for (const std::string& tc : testing::kToolchains) {
    const std::string& json = FixtureJson(kFixture, tc);
    Diagnostics diags;
    // Cut inside the last value, as an interrupted write would.
    EXPECT_FALSE(ReadCrateJson(json.substr(0, json.size() - 3), "cut.json", &diags));
    EXPECT_EQ(diags.ToString(),
              "cut.json: error: not valid JSON: The JSON document has an improper "
              "structure: missing or superfluous commas, braces, missing keys, etc.\n"
              "  hint: the file is truncated or garbled; regenerate it with `rdylib "
              "api` (rustdoc may have been interrupted)\n");
  }
}

TEST(ReaderErrorTest, GarbledEntriesAreAllReportedWithTheirItem) {
  const model::Crate& good = FixtureCrate(kFixture, "stable");
  std::string json = FixtureJson(kFixture, "stable");
  // Every module's is_stripped becomes a string: valid JSON, wrong shape.
  int modules = 0;
  for (size_t pos; (pos = json.find("\"is_stripped\":false")) != std::string::npos; ++modules) {
    json.replace(pos, 19, "\"is_stripped\":\"no\"");
  }
  ASSERT_EQ(modules, 4);  // the root, shapes, shapes::nested and internal
  Diagnostics diags;
  EXPECT_FALSE(ReadCrateJson(json, "garbled.json", &diags));
  EXPECT_EQ(diags.ErrorCount(), 4u);
  std::string root_error = fmt::format(
      "garbled.json: error: item {} 'api_fixture', field inner.module.is_stripped: "
      "expected bool, found string\n"
      "  hint: the file does not match rustdoc JSON format version 57; it may be "
      "truncated or garbled: regenerate it with `rdylib api`",
      good.root);
  bool found = false;
  for (const Diagnostic& d : diags.items()) found |= d.ToString() == root_error;
  EXPECT_TRUE(found) << diags.ToString();
}

TEST(ReaderErrorTest, NonObjectAndMissingVersionAreClearErrors) {
  Diagnostics diags;
  EXPECT_FALSE(ReadCrateJson("[1, 2]", "list.json", &diags));
  EXPECT_FALSE(ReadCrateJson("{\"index\": {}}", "noversion.json", &diags));
  EXPECT_EQ(diags.ToString(),
            "list.json: error: not rustdoc JSON: the top level is not an object\n"
            "  hint: pass the .json file rustdoc wrote under target/doc\n"
            "noversion.json: error: not rustdoc JSON: no numeric 'format_version'\n"
            "  hint: pass the .json file rustdoc wrote under target/doc\n");
}

TEST(ReaderErrorTest, MissingFileIsAClearError) {
  Diagnostics diags;
  EXPECT_FALSE(ReadCrateFile("/nonexistent/x.json", &diags));
  EXPECT_EQ(diags.ToString(),
            "/nonexistent/x.json: error: cannot read file\n"
            "  hint: check that the path exists and is readable\n");
}

}  // namespace
}  // namespace rdylib::read
