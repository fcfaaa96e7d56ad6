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

TEST(ExtractTest, SourceConfigReplacesCratesIoThroughALink) {
  EXPECT_EQ(CargoSourceConfig("/usr/share/cargo/registry"),
            "# Written by rdylib: crates come only from /usr/share/cargo/registry, through the link\n"
            "# .cargo/registry. The link gives the source a directory of its own: cargo\n"
            "# refuses one directory under two source names, and a config in a parent\n"
            "# directory or in $CARGO_HOME may already name this one.\n"
            "[source.crates-io]\n"
            "replace-with = \"rdylib-registry\"\n"
            "\n"
            "[source.rdylib-registry]\n"
            "directory = \".cargo/registry\"\n"
            "\n"
            "[net]\n"
            "offline = true\n");
  std::filesystem::path dir = testing::TestWorkDir() / "cargo-config";
  ASSERT_TRUE(WriteCargoConfig(dir, "/usr/share/cargo/registry"));
  EXPECT_EQ(std::filesystem::read_symlink(dir / ".cargo/registry"), "/usr/share/cargo/registry");
  EXPECT_TRUE(std::filesystem::exists(dir / ".cargo/registry/regex-1.7.1/Cargo.toml"));
  // Again with another registry: the link follows.
  ASSERT_TRUE(WriteCargoConfig(dir, "/tmp"));
  EXPECT_EQ(std::filesystem::read_symlink(dir / ".cargo/registry"), "/tmp");
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
  const Diagnostic& d = diags.items()[0];
  EXPECT_EQ(d.location, (broken / "src/lib.rs").string() + ":1:15");
  EXPECT_TRUE(d.message.starts_with("the crate `broken` does not compile with stable (1.95."))
      << d.message;
  EXPECT_NE(d.message.find("cannot find type `NoSuchType`"), std::string::npos);
  EXPECT_NE(d.hint.find("reproduce with: cd "), std::string::npos);
}

}  // namespace
}  // namespace rdylib::extract
