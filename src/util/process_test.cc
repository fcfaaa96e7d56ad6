// Tests for child process execution.
#include "util/process.h"

#include <gtest/gtest.h>

namespace rdylib {
namespace {

TEST(ProcessTest, CapturesOutputAndExitCode) {
  ProcessResult r = RunProcess({"sh", "-c", "echo out; echo err >&2; exit 3"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.out, "out\n");
  EXPECT_EQ(r.err, "err\n");
}

TEST(ProcessTest, SetsAndRemovesEnvironment) {
  setenv("RDYLIB_TEST_REMOVE_ME", "1", 1);
  ProcessOptions options;
  options.env["RDYLIB_TEST_VAR"] = "value";
  options.env["RDYLIB_TEST_REMOVE_ME"] = std::nullopt;
  ProcessResult r = RunProcess(
      {"sh", "-c", "echo \"$RDYLIB_TEST_VAR:${RDYLIB_TEST_REMOVE_ME-unset}\""},
      options);
  EXPECT_EQ(r.out, "value:unset\n");
}

TEST(ProcessTest, RunsInWorkingDirectory) {
  ProcessOptions options;
  options.cwd = "/";
  EXPECT_EQ(RunProcess({"pwd"}, options).out, "/\n");
}

TEST(ProcessTest, ReportsMissingProgram) {
  ProcessResult r = RunProcess({"rdylib-no-such-program"});
  EXPECT_EQ(r.exit_code, -1);
  EXPECT_EQ(r.error, "'rdylib-no-such-program' not found in PATH");
}

TEST(ProcessTest, DrainsLargeOutputOnBothStreams) {
  ProcessResult r = RunProcess(
      {"sh", "-c", "head -c 300000 /dev/zero; head -c 300000 /dev/zero >&2"});
  EXPECT_EQ(r.out.size(), 300000u);
  EXPECT_EQ(r.err.size(), 300000u);
}

TEST(ProcessTest, QuotesForShell) {
  EXPECT_EQ(ShellQuote({"cargo", "a b", "it's"}), "cargo 'a b' 'it'\\''s'");
}

}  // namespace
}  // namespace rdylib
