// Tests for reading the resolved crate graph.
#include "extract/dependency_graph.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace rdylib::extract {
namespace {

// cargo metadata's shape, cut down: a wrapper, the crate (a path package),
// regex from a registry, and a build-only dependency.
constexpr const char* kMetadata = R"json({
  "packages": [
    {"id": "wrap 0.0.0 (path+file:///w)", "name": "wrap", "version": "0.0.0", "source": null,
     "manifest_path": "/w/Cargo.toml", "targets": [{"kind": ["lib"], "name": "wrap"}]},
    {"id": "lib 0.1.0 (path+file:///l)", "name": "my-lib", "version": "0.1.0", "source": null,
     "manifest_path": "/l/Cargo.toml", "targets": [{"kind": ["lib"], "name": "my-lib"}]},
    {"id": "regex 1.7.1 (registry)", "name": "regex", "version": "1.7.1",
     "source": "registry+https://github.com/rust-lang/crates.io-index",
     "manifest_path": "/r/regex-1.7.1/Cargo.toml",
     "targets": [{"kind": ["lib"], "name": "regex"}, {"kind": ["test"], "name": "t"}]},
    {"id": "cc 1.0.0 (registry)", "name": "cc", "version": "1.0.0", "source": "registry+x",
     "manifest_path": "/r/cc/Cargo.toml", "targets": [{"kind": ["lib"], "name": "cc"}]}
  ],
  "resolve": {"nodes": [
    {"id": "lib 0.1.0 (path+file:///l)", "features": [],
     "deps": [{"name": "re", "pkg": "regex 1.7.1 (registry)", "dep_kinds": [{"kind": null}]},
              {"name": "cc", "pkg": "cc 1.0.0 (registry)", "dep_kinds": [{"kind": "build"}]}]},
    {"id": "regex 1.7.1 (registry)", "features": ["unicode", "default", "std"], "deps": []}
  ]}
})json";

TEST(DependencyGraphTest, FindsTheCrateAndItsNormalDependenciesByLibraryName) {
  Diagnostics diags;
  std::optional<DependencyGraph> g =
      ParseDependencyGraph(kMetadata, "my-lib", "0.1.0", "/w", &diags);
  ASSERT_TRUE(g) << diags.ToString();
  EXPECT_EQ(g->root, "lib 0.1.0 (path+file:///l)");
  EXPECT_EQ(g->packages.at(g->root).lib_name, "my_lib");
  // Renamed in the manifest (`re`), found by its library name.
  const ResolvedPackage* regex = g->Dependency(g->root, "regex");
  ASSERT_NE(regex, nullptr);
  EXPECT_EQ(regex->version, "1.7.1");
  EXPECT_TRUE(regex->from_registry);
  EXPECT_EQ(regex->dir, "/r/regex-1.7.1");
  EXPECT_EQ(regex->features, (std::vector<std::string>{"default", "std", "unicode"}));
  // A build dependency's types cannot be in the API.
  EXPECT_EQ(g->Dependency(g->root, "cc"), nullptr);
  EXPECT_FALSE(g->packages.at(g->root).from_registry);
}

TEST(DependencyGraphTest, AMissingCrateIsAClearError) {
  Diagnostics diags;
  EXPECT_FALSE(ParseDependencyGraph(kMetadata, "other", "0.1.0", "/w", &diags));
  EXPECT_EQ(diags.ToString(),
            "/w: error: cargo metadata does not list other 0.1.0\n"
            "  hint: the crate's wrapper workspace should depend on it by path\n");
}

TEST(DependencyGraphTest, ResolvesTheFixturesGraphOffline) {
  Diagnostics diags;
  std::optional<toolchain::Toolchain> tc = toolchain::Resolve("/usr/bin/rustc", &diags);
  ASSERT_TRUE(tc);
  ExtractOptions options;
  options.crate_dir = testing::FixtureDir("deps_lib");
  options.work_dir = testing::TestWorkDir() / "dependency_graph";
  options.target_dir = testing::TestWorkDir() / "target";
  std::optional<PackageInfo> package = ReadPackage(options.crate_dir, *tc, &diags);
  ASSERT_TRUE(package) << diags.ToString();
  std::optional<DependencyGraph> g = ResolveDependencyGraph(options, *package, *tc, &diags);
  ASSERT_TRUE(g) << diags.ToString();
  const ResolvedPackage* regex = g->Dependency(g->root, "regex");
  ASSERT_NE(regex, nullptr);
  // The registry's own directory, not the workspace's link to it.
  EXPECT_EQ(regex->dir, "/usr/share/cargo/registry/regex-1.7.1");
  EXPECT_NE(g->Dependency(regex->id, "regex_syntax"), nullptr);
}

}  // namespace
}  // namespace rdylib::extract
