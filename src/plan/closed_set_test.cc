// Tests of the closed-set decision: which parameter is instantiated for
// which types, and the exact reasons for the items that are not.
#include "plan/closed_set.h"

#include <gtest/gtest.h>

namespace rdylib::plan {
namespace {

ClosedBound Library(const std::string& trait, std::vector<std::string> impls, const std::string& open = "") {
  ClosedBound b;
  b.kind = ClosedBound::Kind::kLibrary;
  b.trait = trait;
  b.impls = std::move(impls);
  b.open = open;
  return b;
}

ClosedBound Std(const std::string& trait, std::vector<std::string> holds, std::vector<std::string> unknown = {}) {
  ClosedBound b;
  b.kind = ClosedBound::Kind::kStd;
  b.trait = trait;
  b.holds = std::move(holds);
  b.unknown = std::move(unknown);
  return b;
}

ClosedParam Param(const std::string& name, std::vector<ClosedBound> bounds) {
  ClosedParam p;
  p.name = name;
  p.bounds = std::move(bounds);
  return p;
}

TEST(ClosedSetTest, OneLibraryBoundGivesItsImpls) {
  ClosedSetDecision d = DecideClosedSet({Param("T", {Library("lib::Number", {"i8", "u64", "lib::Meters"})})});
  ASSERT_TRUE(d.ok()) << d.reason;
  EXPECT_EQ(d.param, "T");
  EXPECT_EQ(d.trait, "lib::Number");
  EXPECT_EQ(d.types, (std::vector<std::string>{"i8", "u64", "lib::Meters"}));
  EXPECT_EQ(d.Text(), "instantiated for i8, u64, lib::Meters (the closed set of T: lib::Number)");
}

TEST(ClosedSetTest, GenericImplsOverOtherTypesAreLeftOutAndNamed) {
  ClosedBound one = Library("lib::One", {"i8", "f64"});
  one.left_out = {"core::num::wrapping::Wrapping<T>"};
  ClosedSetDecision d = DecideClosedSet({Param("T", {one})});
  ASSERT_TRUE(d.ok()) << d.reason;
  EXPECT_EQ(d.Text(),
            "instantiated for i8, f64 (the closed set of T: lib::One; its generic impls for "
            "core::num::wrapping::Wrapping<T> do not cross)");
}

TEST(ClosedSetTest, TwoLibraryBoundsIntersectInTheFirstOnesOrder) {
  ClosedSetDecision d = DecideClosedSet(
      {Param("T", {Library("lib::A", {"u8", "i8", "u16"}), Library("lib::B", {"u16", "u8"})})});
  ASSERT_TRUE(d.ok()) << d.reason;
  EXPECT_EQ(d.trait, "lib::A");
  EXPECT_EQ(d.types, (std::vector<std::string>{"u8", "u16"}));
}

TEST(ClosedSetTest, StdBoundsFilterTheSet) {
  ClosedSetDecision d = DecideClosedSet(
      {Param("T", {Library("lib::Number", {"i8", "f64", "lib::Meters"}), Std("core::hash::Hash", {"i8"})})});
  ASSERT_TRUE(d.ok()) << d.reason;
  EXPECT_EQ(d.types, (std::vector<std::string>{"i8"}));
}

TEST(ClosedSetTest, AStdBoundRdylibCannotCheckRefuses) {
  ClosedSetDecision d = DecideClosedSet(
      {Param("T", {Library("lib::Number", {"i8", "lib::Meters"}), Std("core::iter::Step", {"i8"}, {"lib::Meters"})})});
  EXPECT_EQ(d.reason, "T: rdylib cannot tell whether lib::Meters implements core::iter::Step");
}

TEST(ClosedSetTest, OnlyStdBoundsAreOpen) {
  EXPECT_EQ(DecideClosedSet({Param("T", {Std("core::clone::Clone", {})})}).reason,
            "T has only std bounds (core::clone::Clone): its set of types is open");
  EXPECT_EQ(DecideClosedSet({Param("T", {})}).reason, "T has no bound: its set of types is open");
}

TEST(ClosedSetTest, ABlanketImplOpensTheSet) {
  ClosedSetDecision d = DecideClosedSet({Param(
      "T", {Library("lib::Tagged", {}, "the library implements it for T (impl<T: Copy> lib::Tagged for T), which "
                                      "admits types it does not list")})});
  EXPECT_EQ(d.reason,
            "T: the set of types of lib::Tagged is open: the library implements it for T (impl<T: Copy> lib::Tagged "
            "for T), which admits types it does not list");
}

TEST(ClosedSetTest, AnotherCratesTraitIsUnknown) {
  ClosedBound other;
  other.trait = "num_traits::Num";
  EXPECT_EQ(DecideClosedSet({Param("T", {other})}).reason,
            "T: its bound num_traits::Num is not a trait the facade declares, so its set of types is unknown");
  other.open = " (the crate's trait does not cross: see its entry)";
  EXPECT_EQ(DecideClosedSet({Param("T", {Library("lib::Number", {"i8"}), other})}).reason,
            "T: its bound num_traits::Num is not a trait the facade declares (the crate's trait does not cross: see "
            "its entry), so rdylib cannot tell which types implement it");
}

TEST(ClosedSetTest, TwoClosedParametersAreCombined) {
  ClosedSetDecision d = DecideClosedSet({Param("A", {Library("lib::Number", {"i8", "lib::Meters"})}),
                                         Param("B", {Library("lib::Width", {"u8", "u16", "u32"})})});
  ASSERT_TRUE(d.ok()) << d.reason;
  EXPECT_EQ(d.param, "A");
  EXPECT_EQ(d.types, (std::vector<std::string>{"i8", "lib::Meters"}));
  ASSERT_EQ(d.more.size(), 1u);
  EXPECT_EQ(d.more[0].param, "B");
  EXPECT_EQ(d.more[0].trait, "lib::Width");
  EXPECT_EQ(d.more[0].types, (std::vector<std::string>{"u8", "u16", "u32"}));
  EXPECT_EQ(d.Text(),
            "instantiated for each of 6 combinations of i8, lib::Meters (the closed set of A: lib::Number) and u8, "
            "u16, u32 (the closed set of B: lib::Width)");
}

TEST(ClosedSetTest, ALaterParametersReasonIsTheItems) {
  ClosedSetDecision d = DecideClosedSet({Param("A", {Library("lib::Number", {"i8"})}),
                                         Param("B", {Library("lib::Number", {"i8"}), Std("core::hash::Hash", {})})});
  EXPECT_EQ(d.reason, "B: no type the library implements lib::Number for crosses and meets every bound");
}

TEST(ClosedSetTest, TooManyCombinationsAreRefused) {
  std::vector<std::string> nine = {"i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "usize"};
  ClosedSetDecision d = DecideClosedSet({Param("A", {Library("lib::Number", nine)}),
                                         Param("B", {Library("lib::Number", nine)})});
  EXPECT_EQ(d.reason,
            "A, B: their closed sets give 9 * 9 = 81 combinations, more than the 64 rdylib instantiates per item");
  // Eight by eight is within the limit.
  nine.pop_back();
  EXPECT_TRUE(DecideClosedSet({Param("A", {Library("lib::Number", nine)}),
                               Param("B", {Library("lib::Number", nine)})})
                  .ok());
}

TEST(ClosedSetTest, AnOpenParameterDecidesBeforeTheCount) {
  ClosedSetDecision d =
      DecideClosedSet({Param("A", {Library("lib::Number", {"i8"})}), Param("B", {Std("core::clone::Clone", {})})});
  EXPECT_EQ(d.reason, "B has only std bounds (core::clone::Clone): its set of types is open");
}

TEST(ClosedSetTest, EmptyAndLargeSetsAndUnsized) {
  EXPECT_EQ(DecideClosedSet({Param("T", {Library("lib::Number", {})})}).reason,
            "T: no type the library implements lib::Number for crosses and meets every bound");
  std::vector<std::string> many;
  for (size_t i = 0; i <= kMaxClosedSet; ++i) many.push_back("T" + std::to_string(i));
  EXPECT_EQ(DecideClosedSet({Param("T", {Library("lib::Number", many)})}).reason,
            "T: its closed set has 25 types, more than the 24 rdylib instantiates per item");
  ClosedParam p = Param("T", {Library("lib::Number", {"i8"})});
  p.maybe_unsized = true;
  EXPECT_EQ(DecideClosedSet({p}).reason, "T: ?Sized parameters are not instantiated yet");
}

TEST(ClosedSetTest, PrimitiveStdTraits) {
  EXPECT_EQ(PrimitiveImplements("i8", "Clone"), 1);
  EXPECT_EQ(PrimitiveImplements("u64", "Neg"), 0);
  EXPECT_EQ(PrimitiveImplements("i64", "Neg"), 1);
  EXPECT_EQ(PrimitiveImplements("f64", "Hash"), 0);
  EXPECT_EQ(PrimitiveImplements("f32", "Add"), 1);
  EXPECT_EQ(PrimitiveImplements("bool", "BitAnd"), 1);
  EXPECT_EQ(PrimitiveImplements("bool", "Shl"), 0);
  EXPECT_EQ(PrimitiveImplements("u8", "Step"), -1);
  EXPECT_EQ(PrimitiveImplements("str", "Clone"), -1);
}

}  // namespace
}  // namespace rdylib::plan
