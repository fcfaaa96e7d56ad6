// Tests for reading package facts with cargo metadata.
#include "extract/cargo_metadata.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace rdylib::extract {
namespace {

TEST(CargoMetadataTest, ReadsNameLibNameAndFeatures) {
  Diagnostics diags;
  std::optional<toolchain::Toolchain> tc = toolchain::Resolve("/usr/bin/rustc", &diags);
  ASSERT_TRUE(tc);
  std::optional<PackageInfo> info = ReadPackage(testing::FixtureDir("api_fixture"), *tc, &diags);
  ASSERT_TRUE(info) << diags.ToString();
  EXPECT_EQ(info->name, "api-fixture");
  EXPECT_EQ(info->lib_name, "api_fixture");
  EXPECT_EQ(info->version, "0.3.1");
  EXPECT_EQ(info->features, (std::vector<std::string>{"default", "extra"}));
}

TEST(CargoMetadataTest, MissingManifestIsAClearError) {
  Diagnostics diags;
  std::optional<toolchain::Toolchain> tc = toolchain::Resolve("stable", &diags);
  ASSERT_TRUE(tc);
  EXPECT_FALSE(ReadPackage("/tmp", *tc, &diags));
  EXPECT_EQ(diags.ToString(),
            "/tmp: error: no Cargo.toml in this directory\n"
            "  hint: pass the directory of a Rust library crate\n");
}

TEST(CargoMetadataTest, PackageWithoutLibraryIsAClearError) {
  const char* json =
      R"({"packages":[{"name":"tool","version":"1.0.0","manifest_path":"/x/Cargo.toml",)"
      R"("targets":[{"kind":["bin"],"name":"tool"}],"features":{}}]})";
  Diagnostics diags;
  EXPECT_FALSE(ParseCargoMetadata(json, "/x/Cargo.toml", &diags));
  EXPECT_EQ(diags.ToString(),
            "/x/Cargo.toml: error: package 'tool' has no library target\n"
            "  hint: rdylib works on library crates; add a [lib] target\n");
}

}  // namespace
}  // namespace rdylib::extract
