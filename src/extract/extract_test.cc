// Tests for the extract stage: real rustdoc runs on the fixture crate.
#include "extract/extract.h"

#include <gtest/gtest.h>

#include "read/reader.h"
#include "test_support.h"
#include "util/files.h"

namespace rdylib::extract {
namespace {

ExtractOptions FixtureOptions() {
  ExtractOptions options;
  options.crate_dir = testing::FixtureDir("api_fixture");
  options.work_dir = testing::TestWorkDir();
  options.target_dir = testing::TestWorkDir() / "target";
  return options;
}

TEST(ExtractTest, SourceConfigReplacesCratesIo) {
  EXPECT_EQ(CargoSourceConfig("/usr/share/cargo/registry"),
            "# Written by rdylib: crates come only from this directory source.\n"
            "[source.crates-io]\n"
            "replace-with = \"rdylib-registry\"\n"
            "\n"
            "[source.rdylib-registry]\n"
            "directory = \"/usr/share/cargo/registry\"\n"
            "\n"
            "[net]\n"
            "offline = true\n");
}

TEST(ExtractTest, FeaturesReachRustdoc) {
  Diagnostics diags;
  std::optional<toolchain::Toolchain> tc = toolchain::Resolve("/usr/bin/rustc", &diags);
  ASSERT_TRUE(tc);
  ExtractOptions options = FixtureOptions();
  options.features = {"extra"};
  std::optional<ExtractResult> r = Extract(options, *tc, &diags);
  ASSERT_TRUE(r) << diags.ToString();
  std::optional<model::Crate> crate = read::ReadCrateFile(r->json_path, &diags);
  ASSERT_TRUE(crate) << diags.ToString();
  bool found = false;
  for (const auto& [id, item] : crate->index) found |= item.name == "only_with_extra";
  EXPECT_TRUE(found);
  // The crate's own directory is never written to.
  EXPECT_FALSE(std::filesystem::exists(testing::FixtureDir("api_fixture") / "Cargo.lock"));
}

TEST(ExtractTest, UnknownFeatureIsAClearError) {
  Diagnostics diags;
  std::optional<toolchain::Toolchain> tc = toolchain::Resolve("stable", &diags);
  ASSERT_TRUE(tc);
  ExtractOptions options = FixtureOptions();
  options.features = {"nope"};
  EXPECT_FALSE(Extract(options, *tc, &diags));
  ASSERT_EQ(diags.items().size(), 1u);
  EXPECT_EQ(diags.items()[0].message, "package 'api-fixture' has no feature 'nope'");
  EXPECT_EQ(diags.items()[0].hint, "declared features: default, extra");
}

TEST(ExtractTest, CompileErrorsCarryCargosMessageAndAReproduction) {
  Diagnostics diags;
  std::optional<toolchain::Toolchain> tc = toolchain::Resolve("stable", &diags);
  ASSERT_TRUE(tc);
  std::filesystem::path broken = testing::TestWorkDir() / "broken-crate";
  WriteFile(broken / "Cargo.toml",
            "[package]\nname = \"broken\"\nversion = \"0.1.0\"\nedition = \"2021\"\n"
            "[workspace]\n");
  WriteFile(broken / "src/lib.rs", "pub fn f() -> NoSuchType { todo!() }\n");
  ExtractOptions options = FixtureOptions();
  options.crate_dir = broken;
  EXPECT_FALSE(Extract(options, *tc, &diags));
  ASSERT_EQ(diags.items().size(), 1u);
  EXPECT_TRUE(diags.items()[0].message.starts_with(
      "rustdoc JSON extraction failed with stable (1.95."));
  EXPECT_NE(diags.items()[0].message.find("cannot find type `NoSuchType`"), std::string::npos);
  EXPECT_TRUE(diags.items()[0].hint.starts_with("reproduce with: cd "));
}

}  // namespace
}  // namespace rdylib::extract
