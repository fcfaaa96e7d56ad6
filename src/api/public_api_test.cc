// Tests for the public API walk: paths, re-exports, globs, impls, and
// agreement between the two JSON formats.
#include "api/public_api.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "api/api_writer.h"
#include "test_support.h"

namespace rdylib::api {
namespace {

class PublicApiTest : public ::testing::TestWithParam<std::string> {
 protected:
  const PublicApi& api() {
    if (!api_) api_ = BuildPublicApi(testing::FixtureCrate("api_fixture", GetParam()));
    return *api_;
  }
  bool Has(const std::string& signature) {
    return std::any_of(api().entries.begin(), api().entries.end(),
                       [&](const ApiEntry& e) { return e.signature == signature; });
  }
  bool HasPath(const std::string& path) {
    return std::any_of(api().entries.begin(), api().entries.end(),
                       [&](const ApiEntry& e) { return e.path == path; });
  }

 private:
  std::optional<PublicApi> api_;
};

TEST_P(PublicApiTest, ListsItemsWithFullSignatures) {
  EXPECT_TRUE(Has("#[must_use] fn api_fixture::Record::new(name: &'a str) -> "
                  "api_fixture::Record<'a, T>"));
  EXPECT_TRUE(Has("field api_fixture::Record::name: alloc::borrow::Cow<'a, str>"));
  EXPECT_TRUE(Has("const api_fixture::Record::LIMIT: usize"));
  EXPECT_TRUE(Has("#[deprecated] fn api_fixture::old_parse(s: &str) -> "
                  "Option<api_fixture::Level>"));
  EXPECT_TRUE(Has("type api_fixture::Result<T> = Result<T, Box<dyn core::error::Error + "
                  "core::marker::Send + core::marker::Sync>>"));
  EXPECT_TRUE(Has("static mut api_fixture::COUNTER: i32"));
  EXPECT_TRUE(Has("variant api_fixture::Level::High = 10"));
  EXPECT_TRUE(Has("variant_field api_fixture::Shape::Rect::w: f64"));
  EXPECT_TRUE(Has("field api_fixture::Meters::0: f32"));
  EXPECT_TRUE(Has("macro api_fixture::make_point!"));
  EXPECT_TRUE(Has("trait api_fixture::Describe: core::fmt::Display + core::marker::Send"));
  EXPECT_TRUE(Has("fn api_fixture::Describe::describe(&self) -> "
                  "<Self as api_fixture::Describe>::Output"));
}

TEST_P(PublicApiTest, FollowsReexportsAndGlobsButNotPrivateModules) {
  EXPECT_TRUE(HasPath("api_fixture::Reexported"));
  EXPECT_TRUE(HasPath("api_fixture::Renamed::value"));
  EXPECT_TRUE(HasPath("api_fixture::Point"));          // via `pub use shapes::*`
  EXPECT_TRUE(HasPath("api_fixture::shapes::Point"));  // where it is defined
  EXPECT_TRUE(HasPath("api_fixture::nested::deep"));
  EXPECT_FALSE(HasPath("api_fixture::hidden"));
  EXPECT_FALSE(HasPath("api_fixture::hidden::helper"));
  EXPECT_FALSE(HasPath("api_fixture::Record::secret"));
  // The shortest public path is canonical: signatures elsewhere use it.
  EXPECT_TRUE(Has("fn <api_fixture::Point as core::clone::Clone>::clone(&self) -> "
                  "api_fixture::Point"));
}

TEST_P(PublicApiTest, ListsTraitImplsWithTheirOrigin) {
  const ApiEntry* display = nullptr;
  int auto_impls = 0;
  for (const ApiEntry& e : api().entries) {
    if (e.kind == "impl" && e.path == "api_fixture::Level" && e.trait == "core::fmt::Display") {
      display = &e;
    }
    if (e.kind == "impl" && e.path == "api_fixture::Level" && e.origin == "synthetic") {
      ++auto_impls;
    }
  }
  ASSERT_NE(display, nullptr);
  EXPECT_EQ(display->origin, "local");
  EXPECT_EQ(display->signature, "impl core::fmt::Display for api_fixture::Level");
  EXPECT_GE(auto_impls, 6);  // Send, Sync, Unpin, Freeze and the unwind-safety pair
  // `impl From<Level> for u8` implements the trait for u8, not for Level.
  EXPECT_TRUE(Has("fn <u8 as core::convert::From>::from(l: api_fixture::Level) -> u8"));
  EXPECT_TRUE(Has("type <api_fixture::Level as api_fixture::Describe>::Output = String"));
}

TEST_P(PublicApiTest, OutputIsSortedAndDeterministic) {
  EXPECT_TRUE(std::is_sorted(api().entries.begin(), api().entries.end()));
  PublicApi again = BuildPublicApi(testing::FixtureCrate("api_fixture", GetParam()));
  EXPECT_EQ(WriteText(api()), WriteText(again));
  EXPECT_EQ(WriteJson(api()), WriteJson(again));
}

TEST_P(PublicApiTest, HiddenItemsAreListedAndMarked) {
  auto hidden = [&](const std::string& kind, const std::string& path) {
    for (const ApiEntry& e : api().entries) {
      if (e.kind == kind && e.path == path) return std::optional<bool>(e.hidden);
    }
    return std::optional<bool>();
  };
  using H = std::optional<bool>;
  // The item, a module on the path, a field, a method.
  EXPECT_EQ(hidden("function", "api_fixture::hidden_fn"), H(true));
  EXPECT_EQ(hidden("module", "api_fixture::internal"), H(true));
  EXPECT_EQ(hidden("function", "api_fixture::internal::make"), H(true));
  EXPECT_EQ(hidden("trait_method", "api_fixture::internal::Hook::hook"), H(true));
  EXPECT_EQ(hidden("field", "api_fixture::internal::Engine::steps"), H(true));
  EXPECT_EQ(hidden("field", "api_fixture::Gauge::raw"), H(true));
  EXPECT_EQ(hidden("method", "api_fixture::Gauge::raw_bits"), H(true));
  // A re-export outside the hidden module is a shown path, and canonical.
  EXPECT_EQ(hidden("struct", "api_fixture::Engine"), H(false));
  EXPECT_EQ(hidden("field", "api_fixture::Engine::steps"), H(false));
  EXPECT_EQ(api().canonical_paths.at(
                std::find_if(api().entries.begin(), api().entries.end(),
                             [](const ApiEntry& e) {
                               return e.kind == "struct" && e.path == "api_fixture::Engine";
                             })
                    ->id),
            "api_fixture::Engine");
  EXPECT_EQ(hidden("struct", "api_fixture::Gauge"), H(false));
  EXPECT_EQ(hidden("field", "api_fixture::Gauge::level"), H(false));
  // An impl of a hidden trait, listed under a shown type, and its items.
  bool hook_impl = false;
  for (const ApiEntry& e : api().entries) {
    if (e.kind == "impl" && e.trait == "api_fixture::internal::Hook") {
      hook_impl = true;
      EXPECT_TRUE(e.hidden) << e.signature;
    }
    if (e.kind == "impl" && e.path == "api_fixture::Gauge" && e.trait == "core::cmp::PartialEq") {
      EXPECT_FALSE(e.hidden) << e.signature;
    }
  }
  EXPECT_TRUE(hook_impl);
  EXPECT_EQ(hidden("impl_method", "<api_fixture::Gauge as api_fixture::internal::Hook>::hook"),
            H(true));
  // std's hidden helpers in derived impls are not this crate's API.
  for (const ApiEntry& e : api().entries) {
    EXPECT_EQ(e.path.find("assert_"), std::string::npos) << e.path;
  }
  // Private modules stay out.
  EXPECT_FALSE(HasPath("api_fixture::hidden::helper"));
}

TEST_P(PublicApiTest, TheTextAndJsonMarkHiddenEntries) {
  EXPECT_NE(WriteText(api()).find("fn api_fixture::hidden_fn()  // #[doc(hidden)]\n"),
            std::string::npos);
  EXPECT_NE(WriteJson(api()).find("\"path\": \"api_fixture::hidden_fn\", \"signature\": "
                                  "\"fn api_fixture::hidden_fn()\", \"location\": "),
            std::string::npos);
  std::string json = WriteJson(api());
  size_t at = json.find("\"path\": \"api_fixture::hidden_fn\"");
  ASSERT_NE(at, std::string::npos);
  EXPECT_NE(json.substr(at, json.find('\n', at) - at).find("\"hidden\": true"),
            std::string::npos);
  at = json.find("\"path\": \"api_fixture::Gauge::level\"");
  ASSERT_NE(at, std::string::npos);
  EXPECT_EQ(json.substr(at, json.find('\n', at) - at).find("\"hidden\": true"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(BothFormats, PublicApiTest, ::testing::ValuesIn(testing::kToolchains),
                         [](const auto& info) { return testing::ToolchainTestName(info.param); });

// Both formats give the same API, except the auto traits that std itself
// added between 1.85 and 1.95 (UnsafeUnpin).
TEST(PublicApiCrossVersionTest, BothFormatsListTheSameApi) {
  auto lines = [](const std::string& tc) {
    std::vector<std::string> out;
    for (const ApiEntry& e : BuildPublicApi(testing::FixtureCrate("api_fixture", tc)).entries) {
      if (e.trait != "core::marker::UnsafeUnpin") out.push_back(e.signature + " @" + e.location);
    }
    return out;
  };
  EXPECT_EQ(lines("stable"), lines("/usr/bin/rustc"));
}

}  // namespace
}  // namespace rdylib::api
