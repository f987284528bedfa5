// Every shipped scenario file must load: they are the users' starting points.
#include <gtest/gtest.h>

#include <filesystem>

#include "throng/cli/scenario_loader.h"

namespace throng::cli {
namespace {

TEST(ExamplesTest, EveryScenarioFileValidates) {
  int files = 0;
  // An empty environment: the examples must work on their ${VAR:-default}s alone.
  const EnvLookup no_env = [](const std::string&) { return std::nullopt; };
  for (const auto& entry : std::filesystem::directory_iterator(THRONG_SCENARIO_DIR)) {
    if (entry.path().extension() != ".yaml") continue;
    ++files;
    SCOPED_TRACE(entry.path().string());
    throng::v1::JobSpec spec;
    ASSERT_NO_THROW(spec = LoadScenarioFile(entry.path().string(), no_env));
    EXPECT_FALSE(spec.name().empty());
    EXPECT_FALSE(spec.base_url().empty());
    EXPECT_GT(spec.user_classes_size(), 0);
    EXPECT_GT(CountRequests(spec), 0);
    EXPECT_NE(spec.load().model_case(), throng::v1::LoadProfile::MODEL_NOT_SET);
  }
  EXPECT_GE(files, 5);
}

TEST(ExamplesTest, SeedWorkloadsKeepTheirShape) {
  const EnvLookup no_env = [](const std::string&) { return std::nullopt; };
  const std::string dir = THRONG_SCENARIO_DIR;
  const auto todo = LoadScenarioFile(dir + "/todo_crud.yaml", no_env);
  EXPECT_EQ(todo.user_classes_size(), 3);
  EXPECT_EQ(todo.load().closed().users(), 20u);
  EXPECT_EQ(todo.load().duration().seconds(), 15);
  const auto lockers = LoadScenarioFile(dir + "/lockers.yaml", no_env);
  EXPECT_EQ(lockers.load().per_user_iterations().users(), 1000u);
  EXPECT_EQ(lockers.load().per_user_iterations().max_concurrency(), 50u);
  EXPECT_GT(lockers.setup_size(), 0);
  EXPECT_GT(lockers.teardown_size(), 0);
  const auto shop = LoadScenarioFile(dir + "/shop.yaml", no_env);
  EXPECT_EQ(shop.thresholds_size(), 4);
  EXPECT_EQ(shop.feeders(0).generated().count(), 1000u);
  const auto auth = LoadScenarioFile(dir + "/token_auth.yaml", no_env);
  EXPECT_EQ(auth.variables().at("username"), "load_test_user_0");
  EXPECT_EQ(auth.user_classes_size(), 2);
}

}  // namespace
}  // namespace throng::cli
