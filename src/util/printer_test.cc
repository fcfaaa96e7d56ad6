// Tests for the Printer.
#include "util/printer.h"

#include <gtest/gtest.h>

namespace rdylib {
namespace {

TEST(PrinterTest, SubstitutesVariablesAndDollars) {
  Printer p;
  p.Print("fn $name$() -> $ty$ { $$0 }\n", {{"name", "f"}, {"ty", "u8"}});
  EXPECT_EQ(p.str(), "fn f() -> u8 { $0 }\n");
}

TEST(PrinterTest, IndentsNestedBlocksButNotEmptyLines) {
  Printer p;
  p.Block("mod $m$ {\n", {{"m", "a"}}, [&] {
    p.Print("const X: u8 = 1;\n\n");
    p.Block("fn f() {\n", {}, [&] { p.Print("g();\n"); });
  });
  EXPECT_EQ(p.str(),
            "mod a {\n"
            "    const X: u8 = 1;\n"
            "\n"
            "    fn f() {\n"
            "        g();\n"
            "    }\n"
            "}\n");
}

TEST(PrinterTest, ScopeIndentsForItsLifetime) {
  Printer p(2);
  {
    Printer::Scope s(p);
    p.Print("a\nb\n");
  }
  p.Print("c\n");
  EXPECT_EQ(p.str(), "  a\n  b\nc\n");
}

TEST(PrinterTest, RawTextIsIndentedButNeverReadAsATemplate) {
  Printer p;
  p.Block("mod m {\n", {}, [&] { p.PrintRaw("macro_rules! m { ($x:expr) => { $x }; }\n"); });
  EXPECT_EQ(p.str(), "mod m {\n    macro_rules! m { ($x:expr) => { $x }; }\n}\n");
}

TEST(PrinterDeathTest, MissingVariableIsABug) {
  Printer p;
  EXPECT_DEATH(p.Print("$missing$", {}), "template variable '\\$missing\\$' is not set");
}

}  // namespace
}  // namespace rdylib
