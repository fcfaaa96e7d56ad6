// Test support: fixture JSON made by real toolchains, cached per process.
#include "test_support.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <stdexcept>

#include "extract/extract.h"
#include "read/reader.h"
#include "toolchain/toolchain.h"
#include "util/files.h"

namespace rdylib::testing {
namespace fs = std::filesystem;

fs::path TestWorkDir() {
  if (const char* w = std::getenv("RDYLIB_TEST_WORK"); w && *w) return w;
  return fs::path(RDYLIB_BINARY_DIR) / "test-work";
}

fs::path FixtureDir(const std::string& name) {
  return fs::path(RDYLIB_SOURCE_DIR) / "tests/fixtures" / name;
}

const std::string& FixtureJson(const std::string& name, const std::string& toolchain) {
  static std::map<std::pair<std::string, std::string>, std::string> cache;
  auto key = std::make_pair(name, toolchain);
  if (auto it = cache.find(key); it != cache.end()) return it->second;
  Diagnostics diags;
  std::optional<toolchain::Toolchain> tc = toolchain::Resolve(toolchain, &diags);
  if (!tc) throw std::runtime_error("toolchain: " + diags.ToString());
  extract::ExtractOptions options;
  options.crate_dir = FixtureDir(name);
  options.work_dir = TestWorkDir();
  options.target_dir = TestWorkDir() / "target";
  std::optional<extract::ExtractResult> r = extract::Extract(options, *tc, &diags);
  if (!r) throw std::runtime_error("extract: " + diags.ToString());
  std::optional<std::string> text = ReadFile(r->json_path);
  if (!text) throw std::runtime_error("cannot read " + r->json_path.string());
  return cache.emplace(key, std::move(*text)).first->second;
}

const model::Crate& FixtureCrate(const std::string& name, const std::string& toolchain) {
  static std::map<std::pair<std::string, std::string>, model::Crate> cache;
  auto key = std::make_pair(name, toolchain);
  if (auto it = cache.find(key); it != cache.end()) return it->second;
  Diagnostics diags;
  std::optional<model::Crate> crate =
      read::ReadCrateJson(FixtureJson(name, toolchain), name + ".json", &diags);
  if (!crate) throw std::runtime_error("read: " + diags.ToString());
  return cache.emplace(key, std::move(*crate)).first->second;
}

void CheckGolden(const std::string& name, const std::string& actual) {
  fs::path golden = fs::path(RDYLIB_SOURCE_DIR) / "tests/golden" / name;
  const char* regen = std::getenv("RDYLIB_REGENERATE_GOLDEN");
  if (regen != nullptr && std::string(regen) == "1") {
    ASSERT_TRUE(WriteFile(golden, actual));
    return;
  }
  std::optional<std::string> expected = ReadFile(golden);
  ASSERT_TRUE(expected) << golden << " is missing; run with RDYLIB_REGENERATE_GOLDEN=1";
  EXPECT_EQ(*expected, actual) << "golden " << golden
                               << " differs; if the change is intended, regenerate with "
                                  "RDYLIB_REGENERATE_GOLDEN=1";
}

std::string ToolchainTestName(const std::string& toolchain) {
  if (toolchain == "stable") return "Stable";
  return "UsrBinRustc";
}

}  // namespace rdylib::testing
