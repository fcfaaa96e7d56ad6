// Tests for toolchain discovery and resolution, against the real toolchains
// the bootstrap installs (rustup's stable, Debian's rustc-web 1.85).
#include "toolchain/toolchain.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "test_support.h"

namespace rdylib::toolchain {
namespace {

std::string Home() {
  const char* home = std::getenv("HOME");
  return home != nullptr ? home : "/root";
}

TEST(ToolchainTest, DiscoverFindsStableAndDebian185) {
  Diagnostics diags;
  std::vector<Toolchain> found = Discover(&diags);
  bool has_195 = false;
  bool has_185 = false;
  for (const Toolchain& tc : found) {
    has_195 |= tc.version.starts_with("1.95.") && tc.name == "stable";
    has_185 |= tc.version == "1.85.0" && tc.rustc == "/usr/bin/rustc";
  }
  EXPECT_TRUE(has_195);
  EXPECT_TRUE(has_185);
}

TEST(ToolchainTest, ResolvesByNameAndByPath) {
  Diagnostics diags;
  std::optional<Toolchain> stable = Resolve("stable", &diags);
  ASSERT_TRUE(stable) << diags.ToString();
  EXPECT_TRUE(stable->version.starts_with("1.95."));
  EXPECT_EQ(stable->rustdoc, stable->rustc.parent_path() / "rustdoc");
  EXPECT_FALSE(stable->rustc.string().starts_with(Home() + "/.cargo"));

  std::optional<Toolchain> debian = Resolve("/usr/bin/rustc", &diags);
  ASSERT_TRUE(debian) << diags.ToString();
  EXPECT_EQ(debian->version, "1.85.0");
  EXPECT_EQ(debian->cargo, "/usr/bin/cargo");
  EXPECT_EQ(debian->host, "x86_64-unknown-linux-gnu");

  std::optional<Toolchain> by_dir = Resolve("/usr/bin", &diags);
  ASSERT_TRUE(by_dir);
  EXPECT_EQ(by_dir->rustc, "/usr/bin/rustc");

  std::optional<Toolchain> by_version = Resolve("1.85", &diags);
  ASSERT_TRUE(by_version);
  EXPECT_EQ(by_version->rustc, "/usr/bin/rustc");
  EXPECT_FALSE(diags.HasErrors());
}

TEST(ToolchainTest, UnknownNameIsAClearError) {
  Diagnostics diags;
  EXPECT_FALSE(Resolve("no-such-toolchain", &diags));
  ASSERT_EQ(diags.items().size(), 1u);
  EXPECT_EQ(diags.items()[0].message, "unknown toolchain 'no-such-toolchain'");
  EXPECT_TRUE(diags.items()[0].hint.starts_with("run `rdylib toolchains` to list them"));
}

TEST(ToolchainTest, RustupProxyIsNotTakenForARustc) {
  std::string proxy = Home() + "/.cargo/bin/rustc";
  Diagnostics diags;
  EXPECT_FALSE(Resolve(proxy, &diags));
  EXPECT_EQ(diags.ToString(),
            proxy + ": error: not an executable rustc (or a rustup proxy)\n"
                    "  hint: pass the path of a real rustc binary, e.g. /usr/bin/rustc, "
                    "or a rustup toolchain name such as 'stable'\n");
}

TEST(ToolchainTest, EnvPinsEveryTool) {
  Diagnostics diags;
  std::optional<Toolchain> tc = Resolve("/usr/bin/rustc", &diags);
  ASSERT_TRUE(tc);
  auto env = tc->Env();
  EXPECT_EQ(env["RUSTC"], "/usr/bin/rustc");
  EXPECT_EQ(env["RUSTDOC"], "/usr/bin/rustdoc");
  EXPECT_EQ(env["CARGO"], "/usr/bin/cargo");
  EXPECT_EQ(env["RUSTC_BOOTSTRAP"], "1");
  EXPECT_EQ(env["RUSTUP_TOOLCHAIN"], std::nullopt);
}

TEST(ToolchainTest, ProbesTheJsonFormatEachToolchainWrites) {
  Diagnostics diags;
  std::optional<Toolchain> stable = Resolve("stable", &diags);
  std::optional<Toolchain> debian = Resolve("/usr/bin/rustc", &diags);
  ASSERT_TRUE(stable && debian);
  EXPECT_EQ(ProbeJsonFormatVersion(*stable, testing::TestWorkDir(), &diags), 57);
  EXPECT_EQ(ProbeJsonFormatVersion(*debian, testing::TestWorkDir(), &diags), 37);
  EXPECT_FALSE(diags.HasErrors()) << diags.ToString();
}

}  // namespace
}  // namespace rdylib::toolchain
