// Tests of the file helpers.
#include "util/files.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "test_support.h"

namespace rdylib {
namespace {

namespace fs = std::filesystem;

TEST(FilesTest, WriteFileIfChangedLeavesAnUnchangedFileAlone) {
  fs::path file = testing::TestWorkDir() / "files_test" / "a.txt";
  ASSERT_TRUE(WriteFile(file, "same"));
  fs::file_time_type before = fs::last_write_time(file);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_TRUE(WriteFileIfChanged(file, "same"));
  EXPECT_EQ(fs::last_write_time(file), before);
  ASSERT_TRUE(WriteFileIfChanged(file, "different"));
  EXPECT_EQ(*ReadFile(file), "different");
  EXPECT_NE(fs::last_write_time(file), before);
}

TEST(FilesTest, WriteFileIfChangedCreatesAMissingFile) {
  fs::path file = testing::TestWorkDir() / "files_test" / "new" / "b.txt";
  fs::remove_all(file.parent_path());
  ASSERT_TRUE(WriteFileIfChanged(file, "x"));
  EXPECT_EQ(*ReadFile(file), "x");
}

}  // namespace
}  // namespace rdylib
