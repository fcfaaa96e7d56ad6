// Tests for how constants' literals are carried into the facade.
#include <gtest/gtest.h>

#include "plan/planner.h"

namespace rdylib::plan::internal {
namespace {

TEST(WrappedLiteralTest, KeepsLiteralsInRange) {
  EXPECT_EQ(WrappedLiteral("0x7fffffff", "i32"), "0x7fffffff");
  EXPECT_EQ(WrappedLiteral("42", "i8"), "42");
  EXPECT_EQ(WrappedLiteral("0x80000000", "u32"), "0x80000000");
}

TEST(WrappedLiteralTest, WritesOverflowingLiteralsAsTheSameBits) {
  EXPECT_EQ(WrappedLiteral("0x80000000", "i32"), "0x80000000u32 as i32");
  EXPECT_EQ(WrappedLiteral("0x89AB_CDEF", "i32"), "0x89AB_CDEFu32 as i32");
  EXPECT_EQ(WrappedLiteral("0b1000_0000", "i8"), "0b1000_0000u8 as i8");
  EXPECT_EQ(WrappedLiteral("0xffffffffffffffff", "i64"), "0xffffffffffffffffu64 as i64");
}

TEST(WrappedLiteralTest, LeavesWhatItCannotReadAsWritten) {
  EXPECT_EQ(WrappedLiteral("-1", "i32"), "-1");
  EXPECT_EQ(WrappedLiteral("0x80000000i64", "i32"), "0x80000000i64");
  EXPECT_EQ(WrappedLiteral("0x1_0000_0000", "i32"), "0x1_0000_0000");
  EXPECT_EQ(WrappedLiteral("1 << 31", "i32"), "1 << 31");
  EXPECT_EQ(WrappedLiteral("0x80000000", "isize"), "0x80000000");
}

}  // namespace
}  // namespace rdylib::plan::internal
