#include "throng/cli/overrides.h"

#include <gtest/gtest.h>

#include "throng/cli/error.h"

namespace throng::cli {
namespace {

TEST(OverridesTest, UsersReplaceStagesOfClosedModel) {
  throng::v1::JobSpec spec;
  spec.mutable_load()->mutable_closed()->add_stages()->set_users(50);
  Overrides overrides;
  overrides.users = 7;
  overrides.spawn_rate = 2.5;
  ApplyOverrides(overrides, &spec);
  EXPECT_EQ(spec.load().closed().users(), 7u);
  EXPECT_EQ(spec.load().closed().stages_size(), 0);
  EXPECT_DOUBLE_EQ(spec.load().closed().spawn_rate(), 2.5);
}

TEST(OverridesTest, UsersCreateClosedModelWhenNoneIsSet) {
  throng::v1::JobSpec spec;
  Overrides overrides;
  overrides.users = 3;
  ApplyOverrides(overrides, &spec);
  EXPECT_EQ(spec.load().closed().users(), 3u);
}

TEST(OverridesTest, UsersApplyToIterationModels) {
  throng::v1::JobSpec spec;
  spec.mutable_load()->mutable_per_user_iterations()->set_users(1000);
  Overrides overrides;
  overrides.users = 10;
  ApplyOverrides(overrides, &spec);
  EXPECT_EQ(spec.load().per_user_iterations().users(), 10u);
}

TEST(OverridesTest, ClosedModelFlagsRejectOpenModel) {
  throng::v1::JobSpec spec;
  spec.mutable_load()->mutable_open()->set_rate(100);
  Overrides users;
  users.users = 5;
  EXPECT_THROW(ApplyOverrides(users, &spec), InputError);
  Overrides spawn;
  spawn.spawn_rate = 5;
  EXPECT_THROW(ApplyOverrides(spawn, &spec), InputError);
}

TEST(OverridesTest, RunTimeHostAndVariables) {
  throng::v1::JobSpec spec;
  spec.set_base_url("http://a");
  spec.mutable_load()->set_unbounded(true);
  (*spec.mutable_variables())["keep"] = "1";
  Overrides overrides;
  overrides.run_time = "1m30s";
  overrides.host = "http://127.0.0.1:9000";
  AddVariableOverride("TOKEN=a=b", &overrides);
  AddVariableOverride("EMPTY=", &overrides);
  ApplyOverrides(overrides, &spec);
  EXPECT_EQ(spec.load().duration().seconds(), 90);
  EXPECT_FALSE(spec.load().unbounded());
  EXPECT_EQ(spec.base_url(), "http://127.0.0.1:9000");
  EXPECT_EQ(spec.variables().at("TOKEN"), "a=b");
  EXPECT_EQ(spec.variables().at("EMPTY"), "");
  EXPECT_EQ(spec.variables().at("keep"), "1");
}

TEST(OverridesTest, BadValuesAreInputErrors) {
  Overrides overrides;
  EXPECT_THROW(AddVariableOverride("NOEQUALS", &overrides), InputError);
  EXPECT_THROW(AddVariableOverride("=v", &overrides), InputError);
  throng::v1::JobSpec spec;
  overrides.run_time = "soon";
  EXPECT_THROW(ApplyOverrides(overrides, &spec), InputError);
}

}  // namespace
}  // namespace throng::cli
