// Tests of the Rust literals rdylib writes.
#include "emit/rust_literal.h"

#include <gtest/gtest.h>

namespace rdylib::emit {
namespace {

TEST(RustLiteralTest, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(RustStringLiteral("plain"), "\"plain\"");
  EXPECT_EQ(RustStringLiteral("a \"b\" \\c"), "\"a \\\"b\\\" \\\\c\"");
  EXPECT_EQ(RustStringLiteral("line\nnext"), "\"line\\u{a}next\"");
}

}  // namespace
}  // namespace rdylib::emit
