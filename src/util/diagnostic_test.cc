// Tests for diagnostic rendering.
#include "util/diagnostic.h"

#include <gtest/gtest.h>

namespace rdylib {
namespace {

TEST(DiagnosticTest, RendersAllParts) {
  Diagnostic d{Severity::kError, "src/lib.rs:12", "semver::Version",
               "layout changed", "rebuild the consumer"};
  EXPECT_EQ(d.ToString(),
            "src/lib.rs:12: error: semver::Version: layout changed\n"
            "  hint: rebuild the consumer");
}

TEST(DiagnosticTest, LeavesOutEmptyParts) {
  Diagnostic d{Severity::kWarning, "", "", "no toolchain found", ""};
  EXPECT_EQ(d.ToString(), "warning: no toolchain found");
}

TEST(DiagnosticsTest, CountsOnlyErrors) {
  Diagnostics diags;
  diags.Warning("a", "w");
  EXPECT_FALSE(diags.HasErrors());
  diags.Error("b", "e", "h");
  diags.Error("c", "e2");
  EXPECT_EQ(diags.ErrorCount(), 2u);
  EXPECT_EQ(diags.ToString(),
            "a: warning: w\nb: error: e\n  hint: h\nc: error: e2\n");
}

}  // namespace
}  // namespace rdylib
