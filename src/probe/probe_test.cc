// Tests for the probe stage: the generated program (golden), the layouts it
// measures with both toolchains, and the std-fact comparison.
#include "probe/probe.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "probe/probe_crate.h"
#include "read/reader.h"
#include "test_support.h"
#include "util/files.h"

namespace rdylib::probe {
namespace {

namespace fs = std::filesystem;

// Probes the fixture crate with toolchain `tc_name`.
Layouts MeasureFixture(const std::string& tc_name) {
  Diagnostics diags;
  std::optional<toolchain::Toolchain> tc = toolchain::Resolve(tc_name, &diags);
  if (!tc) throw std::runtime_error(diags.ToString());
  extract::ExtractOptions options;
  options.crate_dir = testing::FixtureDir("api_fixture");
  options.work_dir = testing::TestWorkDir();
  options.target_dir = testing::TestWorkDir() / "target";
  std::optional<extract::PackageInfo> package =
      extract::ReadPackage(options.crate_dir, *tc, &diags);
  if (!package) throw std::runtime_error(diags.ToString());
  const model::Crate& crate = testing::FixtureCrate("api_fixture", tc_name);
  std::optional<Layouts> l =
      Probe(options, *package, *tc, crate, api::BuildPublicApi(crate), &diags);
  if (!l) throw std::runtime_error(diags.ToString());
  return std::move(*l);
}

class ProbeTest : public ::testing::TestWithParam<std::string> {
 protected:
  const model::Crate& crate() { return testing::FixtureCrate("api_fixture", GetParam()); }

  const Layouts& layouts() {
    static std::map<std::string, Layouts> cache;
    if (auto it = cache.find(GetParam()); it != cache.end()) return it->second;
    return cache.emplace(GetParam(), MeasureFixture(GetParam())).first->second;
  }
};

// The program is the same whichever format the model was read from, and is
// compiled and run by the tests below with both toolchains.
TEST_P(ProbeTest, GeneratedProgramMatchesGolden) {
  ProbeProgram program = GenerateProbe(crate(), api::BuildPublicApi(crate()));
  testing::CheckGolden("probe_api_fixture.rs", program.main_rs);
  ASSERT_EQ(program.skipped.size(), 1u);
  EXPECT_EQ(program.skipped[0].path, "api_fixture::Record");
}

TEST_P(ProbeTest, MeasuresStructsUnionsAndEnums) {
  const TypeLayout* point = layouts().Find("api_fixture::Point");
  ASSERT_NE(point, nullptr);
  EXPECT_EQ(point->size, 16u);
  EXPECT_EQ(point->align, 8u);
  EXPECT_FALSE(point->needs_drop);
  ASSERT_EQ(point->fields.size(), 2u);  // repr(C): declaration order
  EXPECT_EQ(point->fields[0].name, "x");
  EXPECT_EQ(point->fields[0].offset, 0u);
  EXPECT_EQ(point->fields[1].offset, 8u);

  const TypeLayout* meters = layouts().Find("api_fixture::Meters");
  ASSERT_NE(meters, nullptr);
  EXPECT_EQ(meters->size, 8u);  // f32 and the private u8, padded
  ASSERT_EQ(meters->fields.size(), 1u);
  EXPECT_EQ(meters->fields[0].name, "0");

  const TypeLayout* bits = layouts().Find("api_fixture::Bits");
  ASSERT_NE(bits, nullptr);
  EXPECT_EQ(bits->size, 4u);
  EXPECT_EQ(bits->fields[1].offset, 0u);

  const TypeLayout* level = layouts().Find("api_fixture::Level");
  ASSERT_NE(level, nullptr);
  EXPECT_EQ(level->size, 1u);
  ASSERT_EQ(level->tags.size(), 2u);
  EXPECT_EQ(level->tags[0].variant, "Low");
  EXPECT_EQ(level->tags[0].tag, "1");
  EXPECT_EQ(level->tags[1].tag, "10");

  EXPECT_EQ(layouts().Find("api_fixture::Unit")->size, 0u);
  EXPECT_EQ(layouts().Find("api_fixture::Record"), nullptr);  // generic: skipped
  ASSERT_EQ(layouts().skipped.size(), 1u);
}

TEST_P(ProbeTest, MeasuresStdFacts) {
  const StdFact* s = layouts().FindStd("String");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->size, 24u);
  EXPECT_EQ(s->shape, "C P L");
  EXPECT_EQ(layouts().FindStd("Box<dyn Fn()>")->shape, "D V");
  EXPECT_EQ(layouts().FindStd("Option<u64>")->shape, "payload@8 some=1 none=0");
  EXPECT_EQ(layouts().FindStd("Option<String>")->shape, "some [C P L] none C=0x8000000000000000");
  // Fat pointers: pointer, then length, on these toolchains.
  EXPECT_EQ(layouts().FindStd("&str")->shape, "P L");
  EXPECT_EQ(layouts().FindStd("&[u64]")->shape, "P L");
  EXPECT_EQ(layouts().FindStd("&str")->size, 16u);
  // Rc and Arc: the strong (3) and weak (4 + 1) counts in the two words
  // before the value into_raw points at.
  EXPECT_EQ(layouts().FindStd("Rc<u64>")->shape, "[S W value]");
  EXPECT_EQ(layouts().FindStd("Arc<u64>")->shape, "[S W value]");
}

INSTANTIATE_TEST_SUITE_P(BothToolchains, ProbeTest, ::testing::ValuesIn(testing::kToolchains),
                         [](const auto& info) { return testing::ToolchainTestName(info.param); });

TEST(ProbeCompareTest, StdFactsAgreeBetween185And195) {
  std::vector<Layouts> all;
  for (const std::string& tc_name : testing::kToolchains) all.push_back(MeasureFixture(tc_name));
  Diagnostics diags;
  EXPECT_TRUE(CompareStdFacts(all[0], "A", all[1], "B", &diags)) << diags.ToString();
  EXPECT_EQ(all[0].std_facts.size(), 11u);
  // 128-bit integers: aligned to 16 by both (rustc 1.77 and later).
  const StdFact* wide = all[0].FindStd("i128");
  ASSERT_NE(wide, nullptr);
  EXPECT_EQ(wide->size, 16u);
  EXPECT_EQ(wide->align, 16u);
  // The fixture's own types measure the same too.
  ASSERT_EQ(all[0].types.size(), all[1].types.size());
  for (size_t i = 0; i < all[0].types.size(); ++i) {
    EXPECT_EQ(all[0].types[i].size, all[1].types[i].size) << all[0].types[i].path;
  }
}

TEST(ProbeCompareTest, DifferenceNamesTheTypeAndBothLayouts) {
  Layouts a;
  a.std_facts = {{"String", 24, 8, "C P L"}};
  Layouts b;
  b.std_facts = {{"String", 24, 8, "P L C"}};
  Diagnostics diags;
  EXPECT_FALSE(CompareStdFacts(a, "rustc 1.95.0", b, "rustc 9.0.0", &diags));
  EXPECT_EQ(diags.ToString(),
            "error: String: layout differs: rustc 1.95.0 has size 24, align 8, shape [C P L]; "
            "rustc 9.0.0 has size 24, align 8, shape [P L C]\n"
            "  hint: values of this type must cross as a wire form between these toolchains\n");
}

TEST(ProbeOutputTest, MalformedOutputIsReportedAsABug) {
  Diagnostics diags;
  EXPECT_FALSE(ParseProbeOutput("{\"types\": 3}", "probe", &diags));
  EXPECT_EQ(diags.ToString(),
            "probe: error: probe output is malformed: no 'types' or 'std' array\n"
            "  hint: this is a bug in rdylib's probe generator; please report it\n");
}

}  // namespace
}  // namespace rdylib::probe
