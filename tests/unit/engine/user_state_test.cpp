#include "throng/engine/user_state.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace throng::engine {
namespace {

class UserStateTest : public ::testing::Test {
 protected:
  std::map<std::string, std::string> job_{{"base", "job"}, {"blank", ""}};
  UserState user_{3, &job_, 1};
};

TEST_F(UserStateTest, UserVariablesShadowJobVariables) {
  ASSERT_NE(user_.Variable("base"), nullptr);
  EXPECT_EQ(*user_.Variable("base"), "job");
  user_.SetVariable("base", "user");
  EXPECT_EQ(*user_.Variable("base"), "user");
  user_.SetVariable("base", "again");
  EXPECT_EQ(*user_.Variable("base"), "again");
  user_.UnsetVariable("base");
  EXPECT_EQ(*user_.Variable("base"), "job");
  EXPECT_EQ(user_.Variable("missing"), nullptr);
  user_.UnsetVariable("missing");  // no-op
}

TEST_F(UserStateTest, IsEmptyCoversUnsetAndEmptyValues) {
  EXPECT_TRUE(user_.IsEmpty("missing"));
  EXPECT_TRUE(user_.IsEmpty("blank"));
  EXPECT_FALSE(user_.IsEmpty("base"));
  user_.SetVariable("token", "");
  EXPECT_TRUE(user_.IsEmpty("token"));
  user_.SetVariable("token", "abc");
  EXPECT_FALSE(user_.IsEmpty("token"));
}

TEST_F(UserStateTest, WorksWithoutJobVariables) {
  UserState user(0, nullptr, 0);
  EXPECT_EQ(user.Variable("base"), nullptr);
  EXPECT_TRUE(user.IsEmpty("base"));
  EXPECT_EQ(user.UserIndex(), 0u);
}

TEST_F(UserStateTest, ListsAreCreatedOnFirstUseAndKeepTheirContents) {
  EXPECT_EQ(user_.ListSize("ids"), 0u);
  user_.List("ids").push_back("1");
  user_.List("ids").push_back("2");
  EXPECT_EQ(user_.ListSize("ids"), 2u);
  EXPECT_EQ(user_.List("ids").back(), "2");
  EXPECT_EQ(user_.ListSize("other"), 0u);
}

TEST_F(UserStateTest, FeedRowsResolveColumnsAndCanBeReplaced) {
  const FeederPlan users{
      "users", FeederPlan::Mode::kUnique, {"name", "pw"}, {{"a", "1"}, {"b", "2"}}};
  EXPECT_EQ(user_.FeedValue("users", "name"), nullptr);
  user_.SetFeedRow("users", &users, 0);
  ASSERT_NE(user_.FeedValue("users", "pw"), nullptr);
  EXPECT_EQ(*user_.FeedValue("users", "pw"), "1");
  user_.SetFeedRow("users", &users, 1);
  EXPECT_EQ(*user_.FeedValue("users", "name"), "b");
  EXPECT_EQ(user_.FeedValue("users", "email"), nullptr);
  EXPECT_EQ(user_.FeedValue("other", "name"), nullptr);
}

TEST_F(UserStateTest, FeedValueToleratesShortRowsAndBadIndices) {
  const FeederPlan ragged{"r", FeederPlan::Mode::kRandom, {"a", "b"}, {{"only-a"}}};
  user_.SetFeedRow("r", &ragged, 0);
  EXPECT_EQ(*user_.FeedValue("r", "a"), "only-a");
  EXPECT_EQ(user_.FeedValue("r", "b"), nullptr);
  user_.SetFeedRow("r", &ragged, 5);
  EXPECT_EQ(user_.FeedValue("r", "a"), nullptr);
}

TEST_F(UserStateTest, ResetForgetsVariablesAndListsButKeepsFeedRows) {
  const FeederPlan users{"users", FeederPlan::Mode::kUnique, {"name"}, {{"a"}}};
  user_.SetFeedRow("users", &users, 0);
  user_.SetVariable("base", "user");
  user_.SetVariable("token", "t");
  user_.List("ids").push_back("1");
  user_.Reset();
  EXPECT_EQ(*user_.Variable("base"), "job");
  EXPECT_EQ(user_.Variable("token"), nullptr);
  EXPECT_EQ(user_.ListSize("ids"), 0u);
  EXPECT_EQ(*user_.FeedValue("users", "name"), "a");
}

TEST_F(UserStateTest, RandomIsSeeded) {
  UserState a(0, nullptr, 5);
  UserState b(1, nullptr, 5);
  UserState c(2, nullptr, 6);
  const auto first = a.Random()();
  EXPECT_EQ(first, b.Random()());
  EXPECT_NE(first, c.Random()());
}

}  // namespace
}  // namespace throng::engine
