// The RE2-backed extraction regex: linear time on large bodies and pathological patterns, a
// bounded search window, syntax errors as RegexError.
#include "throng/engine/regex.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace throng::engine {
namespace {

using namespace std::chrono_literals;

TEST(RegexTest, GreedyGroupOverA30KiBBodyMatches) {
  const std::string body = "zzz a" + std::string(30'000, 'x') + "b zzz";
  const Regex regex("a(.*)b");
  const auto start = std::chrono::steady_clock::now();
  const auto match = regex.Search(body, 1 << 20);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  ASSERT_TRUE(match.has_value());
  EXPECT_EQ(*match, std::string(30'000, 'x'));
}

TEST(RegexTest, NestedQuantifierDoesNotBacktrack) {
  const std::string body = std::string(30, 'a') + "b";
  const Regex regex("(a+)+$");
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(regex.Search(body, 1 << 20).has_value());
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  EXPECT_EQ(Regex("(a+)+b$").Search(body, 1 << 20).value_or(""), std::string(30, 'a'));
}

TEST(RegexTest, FirstGroupWhenItTookPartElseTheWholeMatch) {
  EXPECT_EQ(Regex(R"(id=(\d+))").Search("x id=42 y", 100).value_or(""), "42");
  EXPECT_EQ(Regex(R"(\d+)").Search("order 77", 100).value_or(""), "77");
  EXPECT_EQ(Regex("(z)?q").Search("aq", 100).value_or("none"), "q");
}

TEST(RegexTest, SearchesOnlyTheLeadingBytes) {
  const std::string body = std::string(100, '.') + "needle";
  const Regex regex("needle");
  EXPECT_FALSE(regex.Search(body, 100).has_value());
  EXPECT_FALSE(regex.Search(body, 105).has_value());
  EXPECT_EQ(regex.Search(body, 106).value_or(""), "needle");
}

TEST(RegexTest, SyntaxErrorsAreRegexErrors) {
  EXPECT_THROW(Regex("("), RegexError);
  EXPECT_THROW(Regex("a(?=b)"), RegexError);  // lookahead: not RE2 syntax
  try {
    Regex regex("[z-a]");
    ADD_FAILURE() << "accepted";
  } catch (const RegexError& e) {
    EXPECT_NE(std::string(e.what()).find("z-a"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace throng::engine
