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

PackageInfo RegexLikeFeatures() {
  PackageInfo p;
  p.feature_map = {{"default", {"std", "perf", "regex-syntax/default"}},
                   {"std", {}},
                   {"perf", {"perf-literal", "dep:memchr"}},
                   {"perf-literal", {"aho-corasick", "memchr?/std"}},
                   {"aho-corasick", {"dep:aho-corasick"}},
                   {"memchr", {"dep:memchr"}},
                   {"unicode", {"unicode-age"}},
                   {"unicode-age", {}}};
  for (const auto& [name, enables] : p.feature_map) p.features.push_back(name);
  return p;
}

TEST(EnabledFeaturesTest, DefaultAndWhatItEnablesInTurn) {
  EXPECT_EQ(EnabledFeatures(RegexLikeFeatures(), {}, false, false),
            (std::vector<std::string>{"aho-corasick", "default", "perf", "perf-literal", "std"}));
}

TEST(EnabledFeaturesTest, RequestedWithoutDefault) {
  EXPECT_EQ(EnabledFeatures(RegexLikeFeatures(), {"unicode"}, false, true),
            (std::vector<std::string>{"unicode", "unicode-age"}));
  EXPECT_EQ(EnabledFeatures(RegexLikeFeatures(), {}, false, true), std::vector<std::string>{});
}

TEST(EnabledFeaturesTest, AllEnablesEveryDeclaredFeature) {
  EXPECT_EQ(EnabledFeatures(RegexLikeFeatures(), {}, true, true).size(), 8u);
}

TEST(EnabledFeaturesTest, ReadsTheFeatureMapFromMetadata) {
  const char* json =
      R"({"packages":[{"name":"m","version":"1.0.0","manifest_path":"/x/Cargo.toml",)"
      R"("targets":[{"kind":["lib"],"name":"m"}],)"
      R"("features":{"default":["a"],"a":["dep:b","c/d"]}}]})";
  Diagnostics diags;
  std::optional<PackageInfo> info = ParseCargoMetadata(json, "/x/Cargo.toml", &diags);
  ASSERT_TRUE(info) << diags.ToString();
  EXPECT_EQ(info->feature_map.at("a"), (std::vector<std::string>{"dep:b", "c/d"}));
  EXPECT_EQ(EnabledFeatures(*info, {}, false, false),
            (std::vector<std::string>{"a", "default"}));
}

}  // namespace
}  // namespace rdylib::extract
