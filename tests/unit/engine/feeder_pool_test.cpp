#include "throng/engine/feeder_pool.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace throng::engine {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

FeederPlan Numbered(std::string name, FeederPlan::Mode mode, int rows) {
  FeederPlan feeder{std::move(name), mode, {"id"}, {}};
  for (int i = 0; i < rows; ++i) feeder.rows.push_back({std::to_string(i)});
  return feeder;
}

std::string Drawn(FeederPool& pool, std::uint64_t user_index, const std::string& feeder) {
  UserState user(user_index, nullptr, user_index);
  pool.AssignRows(user);
  return *user.FeedValue(feeder, "id");
}

std::string ExhaustedMessage(const std::function<void()>& action) {
  try {
    action();
  } catch (const FeederExhausted& error) {
    return error.what();
  }
  ADD_FAILURE() << "no FeederExhausted";
  return {};
}

TEST(FeederPoolTest, UniqueGivesEachRowOnceThenThrowsNamingTheFeeder) {
  const std::vector<FeederPlan> feeders{Numbered("users", FeederPlan::Mode::kUnique, 3)};
  FeederPool pool(feeders);
  std::set<std::string> rows;
  for (std::uint64_t i = 0; i < 3; ++i) rows.insert(Drawn(pool, i, "users"));
  EXPECT_EQ(rows, (std::set<std::string>{"0", "1", "2"}));
  EXPECT_THAT(ExhaustedMessage([&] { Drawn(pool, 3, "users"); }),
              AllOf(HasSubstr("feeder \"users\""), HasSubstr("3 rows")));
}

TEST(FeederPoolTest, UniqueRowsAreDistinctAcrossThreads) {
  constexpr int kRows = 400;
  const std::vector<FeederPlan> feeders{Numbered("users", FeederPlan::Mode::kUnique, kRows)};
  FeederPool pool(feeders);
  constexpr int kThreads = 4;
  std::vector<std::vector<std::string>> drawn(kThreads);
  std::vector<int> refused(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kRows / kThreads + 10; ++i) {
        UserState user(static_cast<std::uint64_t>(t * 1000 + i), nullptr, 0);
        try {
          pool.AssignRows(user);
          drawn[t].push_back(*user.FeedValue("users", "id"));
        } catch (const FeederExhausted&) {
          ++refused[t];
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<std::string> all;
  std::size_t total = 0;
  int total_refused = 0;
  for (int t = 0; t < kThreads; ++t) {
    all.insert(drawn[t].begin(), drawn[t].end());
    total += drawn[t].size();
    total_refused += refused[t];
  }
  EXPECT_EQ(total, static_cast<std::size_t>(kRows));
  EXPECT_EQ(all.size(), static_cast<std::size_t>(kRows));
  EXPECT_EQ(total_refused, kThreads * 10);
}

TEST(FeederPoolTest, RoundRobinWrapsAround) {
  const std::vector<FeederPlan> feeders{Numbered("rr", FeederPlan::Mode::kRoundRobin, 2)};
  FeederPool pool(feeders);
  std::vector<std::string> rows;
  for (std::uint64_t i = 0; i < 5; ++i) rows.push_back(Drawn(pool, i, "rr"));
  EXPECT_EQ(rows, (std::vector<std::string>{"0", "1", "0", "1", "0"}));
}

TEST(FeederPoolTest, RandomDrawsFromTheUsersGenerator) {
  const std::vector<FeederPlan> feeders{Numbered("rnd", FeederPlan::Mode::kRandom, 5)};
  FeederPool pool(feeders);
  std::set<std::string> seen;
  for (std::uint64_t i = 0; i < 200; ++i) seen.insert(Drawn(pool, i, "rnd"));
  EXPECT_EQ(seen, (std::set<std::string>{"0", "1", "2", "3", "4"}));
  // Same seed, same row: runs are reproducible.
  EXPECT_EQ(Drawn(pool, 77, "rnd"), Drawn(pool, 77, "rnd"));
}

TEST(FeederPoolTest, AssignsEveryFeeder) {
  const std::vector<FeederPlan> feeders{
      FeederPlan{"users", FeederPlan::Mode::kUnique, {"name", "pw"}, {{"alice", "a1"}}},
      Numbered("items", FeederPlan::Mode::kRoundRobin, 3)};
  FeederPool pool(feeders);
  UserState user(0, nullptr, 0);
  pool.AssignRows(user);
  EXPECT_EQ(*user.FeedValue("users", "name"), "alice");
  EXPECT_EQ(*user.FeedValue("users", "pw"), "a1");
  EXPECT_EQ(*user.FeedValue("items", "id"), "0");
}

TEST(FeederPoolTest, EmptyFeederThrows) {
  const std::vector<FeederPlan> feeders{Numbered("none", FeederPlan::Mode::kRandom, 0)};
  FeederPool pool(feeders);
  UserState user(0, nullptr, 0);
  EXPECT_THAT(ExhaustedMessage([&] { pool.AssignRows(user); }),
              AllOf(HasSubstr("\"none\""), HasSubstr("0 rows")));
  EXPECT_THAT(ExhaustedMessage([&] { pool.CheckCapacity(1); }), HasSubstr("\"none\""));
}

TEST(FeederPoolTest, CheckCapacityOnlyLimitsUniqueFeeders) {
  const std::vector<FeederPlan> feeders{Numbered("users", FeederPlan::Mode::kUnique, 10),
                                        Numbered("rr", FeederPlan::Mode::kRoundRobin, 1)};
  const FeederPool pool(feeders);
  pool.CheckCapacity(10);
  EXPECT_THAT(ExhaustedMessage([&] { pool.CheckCapacity(11); }),
              AllOf(HasSubstr("feeder \"users\" has 10 rows"), HasSubstr("11 users")));
  const std::vector<FeederPlan> none;
  FeederPool empty_pool(none);
  empty_pool.CheckCapacity(1000);
  UserState user(0, nullptr, 0);
  empty_pool.AssignRows(user);
  EXPECT_EQ(user.FeedValue("users", "id"), nullptr);
}

}  // namespace
}  // namespace throng::engine
