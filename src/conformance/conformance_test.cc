// Tests for reading and judging the runs of a crate's own integration tests.
#include "conformance/conformance.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include "util/files.h"

namespace rdylib::conformance {
namespace {

// What libtest prints on stdout, and cargo on stderr, as cargo 1.95 and 1.85 do.
const char kAllPass[] =
    "\nrunning 2 tests\ntest parse ... ok\ntest display ... ok\n\n"
    "test result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; "
    "finished in 0.00s\n\n";
const char kRunningErr[] =
    "    Finished `test` profile [unoptimized + debuginfo] target(s) in 0.05s\n"
    "     Running tests/test_version.rs (target/debug/deps/test_version-0a1b)\n";

ProcessResult Finished(int exit_code, std::string out, std::string err) {
  ProcessResult r;
  r.exit_code = exit_code;
  r.out = std::move(out);
  r.err = std::move(err);
  return r;
}

TEST(ParseTestOutputTest, ReadsTheSummaryAndTheAnnouncedCount) {
  LibtestOutput o = ParseTestOutput(kAllPass);
  EXPECT_EQ(o.announced, 2);
  EXPECT_TRUE(o.summarized);
  EXPECT_EQ(o.passed, 2);
  EXPECT_EQ(o.failed, 0);
  EXPECT_TRUE(o.failures.empty());
}

TEST(ParseTestOutputTest, CountsTestLinesWhenThereIsNoSummary) {
  LibtestOutput o = ParseTestOutput(
      "\nrunning 1 test\n\nrunning 4 tests\ntest a ... ok\ntest b ... ignored, slow\n"
      "test c ... FAILED\n");
  EXPECT_EQ(o.announced, 5);
  EXPECT_FALSE(o.summarized);
  EXPECT_EQ(o.passed, 1);
  EXPECT_EQ(o.ignored, 1);
  EXPECT_EQ(o.failed, 1);
  EXPECT_EQ(o.failures, std::vector<std::string>{"c"});
}

TEST(JudgeTargetRunTest, AllPassedAndExitZeroIsOk) {
  TestOutcome o = JudgeTargetRun("test_version", Finished(0, kAllPass, kRunningErr));
  EXPECT_TRUE(o.Ok());
  EXPECT_EQ(o.passed, 2);
  EXPECT_TRUE(o.failures.empty());
}

TEST(JudgeTargetRunTest, FailedTestsAreNamed) {
  TestOutcome o = JudgeTargetRun(
      "test_version",
      Finished(101,
          "\nrunning 2 tests\ntest parse ... ok\ntest display ... FAILED\n\nfailures:\n\n"
          "---- display stdout ----\nassertion failed\n\nfailures:\n    display\n\n"
          "test result: FAILED. 1 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; "
          "finished in 0.00s\n\n",
          std::string(kRunningErr) + "error: test failed, to rerun pass `--test test_version`\n"));
  EXPECT_FALSE(o.Ok());
  EXPECT_EQ(o.passed, 1);
  EXPECT_EQ(o.failed, 1);
  EXPECT_EQ(o.failures, std::vector<std::string>{"display"});
}

TEST(JudgeTargetRunTest, AnErrorExitAfterAllPassedFails) {
  // valgrind's --error-exitcode after a clean libtest summary.
  TestOutcome o = JudgeTargetRun(
      "test_version",
      Finished(101, kAllPass,
          std::string(kRunningErr) +
              "error: test failed, to rerun pass `--test test_version`\n\nCaused by:\n"
              "  process didn't exit successfully: `valgrind --quiet --error-exitcode=99 "
              "/t/debug/deps/test_version-0a1b` (exit status: 99)\n"));
  EXPECT_FALSE(o.Ok());
  EXPECT_EQ(o.passed, 2);
  EXPECT_EQ(o.failed, 1);
  ASSERT_EQ(o.failures.size(), 1u);
  EXPECT_EQ(o.failures[0],
            "test_version (the test binary exited with an error: exit status: 99)");
}

TEST(JudgeTargetRunTest, TestsThatNeverReportCountAsFailed) {
  // A crash while three tests run: one reported, two went missing.
  TestOutcome o = JudgeTargetRun(
      "test_version",
      Finished(101, "\nrunning 3 tests\ntest parse ... ok\n",
          std::string(kRunningErr) +
              "error: test failed, to rerun pass `--test test_version`\n\nCaused by:\n"
              "  process didn't exit successfully: `/t/debug/deps/test_version-0a1b` "
              "(signal: 11, SIGSEGV: invalid memory reference)\n"));
  EXPECT_FALSE(o.Ok());
  EXPECT_EQ(o.passed, 1);
  EXPECT_EQ(o.failed, 2);
  ASSERT_EQ(o.failures.size(), 1u);
  EXPECT_EQ(o.failures[0],
            "test_version (the test binary stopped before its summary: signal: 11, SIGSEGV: "
            "invalid memory reference; 2 of its 3 tests did not report)");
}

TEST(JudgeTargetRunTest, ABinaryThatDiesBeforeAnnouncingFails) {
  TestOutcome o = JudgeTargetRun(
      "test_version",
      Finished(101, "",
          std::string(kRunningErr) +
              "error: test failed, to rerun pass `--test test_version`\n\nCaused by:\n"
              "  process didn't exit successfully: `/t/test_version-0a1b` (exit status: 101)\n"));
  EXPECT_FALSE(o.Ok());
  EXPECT_EQ(o.failed, 1);
  EXPECT_EQ(o.failures,
            std::vector<std::string>{"test_version (the test binary stopped before its summary: "
                                     "exit status: 101; 0 of its 0 tests did not report)"});
}

TEST(JudgeTargetRunTest, AMissingSummaryFailsEvenWithExitZero) {
  TestOutcome o = JudgeTargetRun("t", Finished(0, "\nrunning 1 test\ntest a ... ok\n", ""));
  EXPECT_FALSE(o.Ok());
  EXPECT_EQ(o.failed, 1);
}

TEST(JudgeTargetRunTest, CargoThatCannotStartFails) {
  ProcessResult r;
  r.error = "'cargo' not found in PATH";
  TestOutcome o = JudgeTargetRun("t", r);
  EXPECT_FALSE(o.Ok());
  EXPECT_EQ(o.failures, std::vector<std::string>{"t (the test binary stopped before its summary: "
                                                 "'cargo' not found in PATH; 0 of its 0 tests "
                                                 "did not report)"});
}

TEST(TestOutcomeTest, AddSumsAndNoTestsIsNotOk) {
  TestOutcome total;
  EXPECT_FALSE(total.Ok());  // nothing ran
  total.Add(JudgeTargetRun("a", Finished(0, kAllPass, "")));
  EXPECT_TRUE(total.Ok());
  total.Add(JudgeTargetRun("b", Finished(101, "", "")));
  EXPECT_FALSE(total.Ok());
  EXPECT_EQ(total.passed, 2);
  EXPECT_EQ(total.failed, 1);
  ASSERT_EQ(total.failures.size(), 1u);
  EXPECT_EQ(total.failures[0],
            "b (the test binary stopped before its summary: cargo exited with status 101; 0 of "
            "its 0 tests did not report)");
}

TEST(TestTargetsTest, OnlyIntegrationTestsInManifestOrder) {
  extract::PackageInfo p;
  for (auto [name, kind] : {std::pair{"b", "test"}, std::pair{"build-script-build", "custom-build"},
                            std::pair{"a", "test"}, std::pair{"bench", "bench"}}) {
    extract::Target t;
    t.name = name;
    t.kind = kind;
    p.targets.push_back(t);
  }
  EXPECT_EQ(TestTargets(p), (std::vector<std::string>{"b", "a"}));
}

TEST(WriteTestPackageTest, DeclaresTheFeaturesAndEnablesTheLibrarys) {
  extract::PackageInfo p;
  p.name = "regex";
  p.lib_name = "regex";
  p.features = {"default", "quickcheck", "std", "unicode"};
  extract::Dependency qc;
  qc.name = "quickcheck";
  qc.req = "^1";
  qc.kind = "dev";
  p.dependencies.push_back(qc);
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("rdylib-conformance-test-" + std::to_string(getpid()));
  std::filesystem::path manifest =
      WriteTestPackage(p, {"default", "std", "quickcheck"}, "/dist/facade", dir, "/registry");
  std::optional<std::string> toml = ReadFile(manifest);
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(toml);
  // quickcheck names a dev-dependency too: cargo would refuse it as a feature.
  EXPECT_NE(toml->find("\n[features]\ndefault = [\"std\"]\n\"std\" = []\n\"unicode\" = []\n"),
            std::string::npos)
      << *toml;
}

TEST(WriteTestPackageTest, NamesTheFacadesPackageAndGivesTheTestsTheLibrarysDependencies) {
  extract::PackageInfo p;
  p.name = "num-integer";
  p.lib_name = "num_integer";
  extract::Dependency traits;
  traits.name = "num-traits";
  traits.req = "^0.2.11";
  traits.default_features = false;
  extract::Dependency libc;
  libc.name = "libc";
  libc.req = "^0.2";
  extract::Dependency optional;
  optional.name = "serde";
  optional.req = "^1";
  optional.optional = true;
  extract::Dependency dev_traits = traits;
  dev_traits.kind = "dev";
  extract::Dependency build;
  build.name = "autocfg";
  build.req = "^1";
  build.kind = "build";
  p.dependencies = {traits, libc, optional, dev_traits, build};
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("rdylib-conformance-deps-" + std::to_string(getpid()));
  std::filesystem::path manifest =
      WriteTestPackage(p, {}, "/dist/num_integer/facade", dir, "/registry",
                       {{"num-traits", "num_traits", "/dist/num_traits/facade"}});
  std::optional<std::string> toml = ReadFile(manifest);
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(toml);
  EXPECT_NE(toml->find("\n[dependencies]\n"
                       "num_integer = { package = \"num-integer\", path = \"/dist/num_integer/facade\" }\n"
                       "num-traits = { package = \"num-traits\", path = \"/dist/num_traits/facade\" }\n"
                       "libc = { package = \"libc\", version = \"^0.2\" }\n"
                       "\n[dev-dependencies]\n"
                       "\n[build-dependencies]\nautocfg = { package = \"autocfg\", version = \"^1\" }\n"
                       "\n[features]\n"),
            std::string::npos)
      << *toml;
}

}  // namespace
}  // namespace rdylib::conformance
