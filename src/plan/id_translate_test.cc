// Tests for moving a dependency's declarations into another crate's ids.
#include "plan/id_translate.h"

#include <gtest/gtest.h>

namespace rdylib::plan {
namespace {

model::Crate Dep() {
  model::Crate c;
  c.name = "dep";
  c.external_crates[1] = {"core", ""};
  c.paths[5] = {0, {"dep", "Thing"}, "struct"};
  c.paths[6] = {1, {"core", "option", "Option"}, "enum"};
  c.paths[7] = {0, {"dep", "Hidden"}, "struct"};
  c.paths[8] = {1, {"core", "ops", "arith", "Add"}, "trait"};
  return c;
}

model::Crate User() {
  model::Crate c;
  c.name = "user";
  c.external_crates[2] = {"core", ""};
  c.external_crates[3] = {"dep", ""};
  c.paths[70] = {3, {"dep", "Thing"}, "struct"};
  c.paths[71] = {2, {"core", "option", "Option"}, "enum"};
  c.paths[72] = {2, {"core", "ops", "arith", "Add"}, "trait"};
  return c;
}

model::Type Path(const std::string& name, model::ItemId id) {
  model::Type t;
  t.kind = model::Type::Kind::kResolvedPath;
  t.path.name = name;
  t.path.id = id;
  return t;
}

model::Type OptionOf(model::Type inner) {
  model::Type t = Path("Option", 6);
  t.path.args = model::Box<model::GenericArgs>(model::GenericArgs{});
  model::GenericArg a;
  a.type = model::Box<model::Type>(std::move(inner));
  t.path.args->args.push_back(std::move(a));
  return t;
}

TEST(IdTranslateTest, MovesNestedIdsByPathAndKind) {
  model::Crate dep = Dep();
  model::Crate user = User();
  IdTranslator move(dep, user);
  model::Type t = OptionOf(Path("Thing", 5));
  ASSERT_TRUE(move.Type(&t));
  EXPECT_EQ(t.path.id, 71u);
  EXPECT_EQ(t.path.args->args[0].type->path.id, 70u);
  EXPECT_EQ(move.missing(), "");
}

TEST(IdTranslateTest, NamesTheFirstItemTheOtherCrateDoesNotList) {
  model::Crate dep = Dep();
  model::Crate user = User();
  IdTranslator move(dep, user);
  model::Type t = OptionOf(Path("Hidden", 7));
  EXPECT_FALSE(move.Type(&t));
  EXPECT_EQ(move.missing(), "dep::Hidden");
  move.ClearMissing();
  EXPECT_EQ(move.missing(), "");
}

TEST(IdTranslateTest, MovesSupertraitsAndFunctionSignatures) {
  model::Crate dep = Dep();
  model::Crate user = User();
  IdTranslator move(dep, user);
  std::vector<model::GenericBound> bounds(1);
  bounds[0].trait.name = "Add";
  bounds[0].trait.id = 8;
  ASSERT_TRUE(move.Bounds(&bounds));
  EXPECT_EQ(bounds[0].trait.id, 72u);

  model::Item item;
  item.kind = model::ItemKind::kFunction;
  model::Function f;
  f.sig.inputs.push_back({"x", Path("Thing", 5)});
  f.sig.output = model::Box<model::Type>(OptionOf(Path("Thing", 5)));
  item.inner = f;
  ASSERT_TRUE(move.Item(&item));
  const auto& moved = item.As<model::Function>();
  EXPECT_EQ(moved.sig.inputs[0].second.path.id, 70u);
  EXPECT_EQ(moved.sig.output->path.id, 71u);
}

TEST(IdTranslateTest, RefusesAPathTwoItemsShare) {
  model::Crate dep = Dep();
  model::Crate user = User();
  user.paths[80] = {3, {"dep", "Thing"}, "struct"};  // the same path and kind again
  IdTranslator move(dep, user);
  model::Type t = Path("Thing", 5);
  EXPECT_FALSE(move.Type(&t));
  EXPECT_EQ(move.missing(), "dep::Thing");
}

}  // namespace
}  // namespace rdylib::plan
