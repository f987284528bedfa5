// Execution segments: shares of every whole, striped schedules on simulated time, feeder rows.
#include "throng/engine/execution_segment.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "throng/engine/arrival_schedule.h"
#include "throng/engine/load_schedule.h"
#include "throng/engine/plan.h"

namespace throng::engine {
namespace {

using namespace std::chrono_literals;

TEST(ExecutionSegmentTest, SharesSumExactlyAndDifferByAtMostOne) {
  for (std::uint32_t count = 1; count <= 40; ++count) {
    for (std::uint64_t whole : {0ull, 1ull, 2ull, 3ull, 7ull, 10ull, 30ull, 99ull, 100ull, 101ull,
                                1000ull, 1001ull, 65537ull, 4294967295ull}) {
      std::uint64_t sum = 0;
      std::uint64_t low = whole;
      std::uint64_t high = 0;
      for (std::uint32_t index = 0; index < count; ++index) {
        const std::uint64_t share = ExecutionSegment{index, count}.ShareOf(whole);
        sum += share;
        low = std::min(low, share);
        high = std::max(high, share);
        // The earlier segments take the remainder, like k6's striped offsets.
        if (index > 0) {
          EXPECT_LE(share, (ExecutionSegment{index - 1, count}.ShareOf(whole)));
        }
      }
      EXPECT_EQ(sum, whole) << whole << " over " << count;
      EXPECT_LE(high - low, 1u) << whole << " over " << count;
    }
  }
}

TEST(ExecutionSegmentTest, ThirtyUsersOverThreeAreTenEach) {
  for (std::uint32_t index = 0; index < 3; ++index) {
    EXPECT_EQ((ExecutionSegment{index, 3}.ShareOf32(30)), 10u);
  }
  EXPECT_EQ((ExecutionSegment{0, 3}.ShareOf(10)), 4u);
  EXPECT_EQ((ExecutionSegment{2, 3}.ShareOf(10)), 3u);
  EXPECT_EQ((ExecutionSegment{0, 1}.ShareOf(10)), 10u);
}

TEST(ExecutionSegmentTest, EveryItemHasExactlyOneOwnerAndItsGlobalIndex) {
  constexpr std::uint32_t kCount = 7;
  for (std::uint64_t item = 0; item < 500; ++item) {
    int owners = 0;
    for (std::uint32_t index = 0; index < kCount; ++index) {
      const ExecutionSegment segment{index, kCount};
      if (!segment.Owns(item)) continue;
      ++owners;
      EXPECT_EQ(segment.GlobalIndex(item / kCount), item);
    }
    EXPECT_EQ(owners, 1) << item;
  }
}

// Arrivals due in [0, end) of a schedule, walked as the controller does.
std::vector<Duration> DueBefore(const ArrivalSchedule& schedule, Duration end) {
  std::vector<Duration> out;
  for (std::uint64_t n = 0;; ++n) {
    const auto due = schedule.DueAt(n);
    if (!due || *due >= end) return out;
    out.push_back(*due);
  }
}

OpenModelPlan Rate(double rate, std::vector<RateStagePlan> stages = {}) {
  return OpenModelPlan{rate, std::move(stages), 1, 10, 0};
}

// The segments' arrivals together are exactly the whole's: same instants, same count.
void ExpectArrivalsInterleaveIntoTheWhole(const OpenModelPlan& plan, std::uint32_t count,
                                          Duration end) {
  const ArrivalSchedule whole(plan, std::nullopt);
  const std::vector<Duration> expected = DueBefore(whole, end);
  std::vector<Duration> merged;
  for (std::uint32_t index = 0; index < count; ++index) {
    const ArrivalSchedule segment(plan, std::nullopt, ExecutionSegment{index, count});
    const std::vector<Duration> own = DueBefore(segment, end);
    EXPECT_TRUE(std::is_sorted(own.begin(), own.end()));
    EXPECT_EQ(own.size(), (ExecutionSegment{index, count}.ShareOf(expected.size())));
    EXPECT_DOUBLE_EQ(segment.ArrivalsBy(end - 1ns),
                     static_cast<double>(ExecutionSegment{index, count}.ShareOf(
                         static_cast<std::uint64_t>(std::ceil(whole.ArrivalsBy(end - 1ns))))));
    merged.insert(merged.end(), own.begin(), own.end());
  }
  std::sort(merged.begin(), merged.end());
  EXPECT_EQ(merged, expected);
}

TEST(ExecutionSegmentTest, FractionalRateSplitsExactlyOverTime) {
  // 10/s over 3 segments: 4 + 3 + 3 in the first second, exactly 10/s together every second.
  const OpenModelPlan plan = Rate(10);
  std::array<std::vector<Duration>, 3> own;
  for (std::uint32_t index = 0; index < 3; ++index) {
    own[index] = DueBefore(ArrivalSchedule(plan, std::nullopt, {index, 3}), 1s);
  }
  EXPECT_EQ(own[0].size(), 4u);
  EXPECT_EQ(own[1].size(), 3u);
  EXPECT_EQ(own[2].size(), 3u);
  EXPECT_EQ(own[1][0], 100ms);  // the whole's arrival 1
  for (int seconds = 1; seconds <= 30; ++seconds) {
    std::size_t total = 0;
    for (std::uint32_t index = 0; index < 3; ++index) {
      total += DueBefore(ArrivalSchedule(plan, std::nullopt, {index, 3}), seconds * 1s).size();
    }
    EXPECT_EQ(total, static_cast<std::size_t>(10 * seconds)) << seconds;
  }
  EXPECT_NEAR(ArrivalSchedule(plan, std::nullopt, {0, 3}).RateAt(2s), 10.0 / 3, 1e-12);
  ExpectArrivalsInterleaveIntoTheWhole(plan, 3, 20s);
}

TEST(ExecutionSegmentTest, RampsAndManySegmentsInterleaveExactly) {
  ExpectArrivalsInterleaveIntoTheWhole(Rate(300), 3, 5s);
  ExpectArrivalsInterleaveIntoTheWhole(Rate(0, {{4s, 50, "up"}, {3s, 7.5, "down"}}), 4, 9s);
  ExpectArrivalsInterleaveIntoTheWhole(Rate(2.5), 7, 30s);
  ExpectArrivalsInterleaveIntoTheWhole(Rate(1), 5, 3s);  // segments 3 and 4 get nothing
}

TEST(ExecutionSegmentTest, LiveRateChangeIsFleetWide) {
  // Each segment is told the fleet's new rate and keeps its stripe of the whole's arrivals.
  ArrivalSchedule whole(Rate(10), std::nullopt);
  whole.SetRate(2s, 40);
  const std::vector<Duration> expected = DueBefore(whole, 6s);
  std::vector<Duration> merged;
  for (std::uint32_t index = 0; index < 3; ++index) {
    ArrivalSchedule segment(Rate(10), std::nullopt, {index, 3});
    segment.SetRate(2s, 40);
    const std::vector<Duration> own = DueBefore(segment, 6s);
    merged.insert(merged.end(), own.begin(), own.end());
  }
  std::sort(merged.begin(), merged.end());
  EXPECT_EQ(merged, expected);
  EXPECT_EQ(expected.size(), 20u + 160u);
}

TEST(ExecutionSegmentTest, ClosedUsersSpawnRateAndStagesSumToTheWholeAtEveryInstant) {
  const ClosedModelPlan ramp{30, 4, {}};
  const ClosedModelPlan stages{
      0, 0, {{10s, 50, 0, "linear"}, {5s, 11, 3, "down"}, {5s, 1000, 250, "burst"}}};
  for (const ClosedModelPlan& plan : {ramp, stages}) {
    const ClosedLoadSchedule whole(plan, std::nullopt);
    for (Duration t = 0s; t <= 25s; t += 50ms) {
      std::uint32_t sum = 0;
      std::uint32_t low = ~0u;
      std::uint32_t high = 0;
      for (std::uint32_t index = 0; index < 3; ++index) {
        const SchedulePoint point = ClosedLoadSchedule(plan, std::nullopt, {index, 3}).At(t);
        sum += point.users;
        low = std::min(low, point.users);
        high = std::max(high, point.users);
      }
      ASSERT_EQ(sum, whole.At(t).users) << std::chrono::duration<double>(t).count();
      ASSERT_LE(high - low, 1u);
    }
  }
  EXPECT_EQ(ClosedLoadSchedule(ramp, std::nullopt, {1, 3}).At(60s).users, 10u);
}

Plan PlanWith(LoadPlan load) {
  Plan plan;
  plan.load = std::move(load);
  FeederPlan unique{"accounts", FeederPlan::Mode::kUnique, {"name"}, {}};
  FeederPlan round_robin{"hosts", FeederPlan::Mode::kRoundRobin, {"host"}, {{"a"}, {"b"}}};
  for (int row = 0; row < 1000; ++row) unique.rows.push_back({"user" + std::to_string(row)});
  plan.feeders = {unique, round_robin};
  return plan;
}

TEST(ExecutionSegmentTest, UniqueFeederRowsAreDisjointAndComplete) {
  std::set<std::string> seen;
  std::size_t total = 0;
  for (std::uint32_t index = 0; index < 3; ++index) {
    LoadPlan load;
    load.model = PerUserIterationsPlan{1000, 1, 30};
    load.segment = {index, 3};
    Plan plan = PlanWith(load);
    ApplyExecutionSegment(plan);
    const auto& per_user = std::get<PerUserIterationsPlan>(plan.load.model);
    EXPECT_EQ(per_user.users, index == 0 ? 334u : 333u);
    EXPECT_EQ(per_user.max_concurrency, 10u);
    ASSERT_EQ(plan.feeders[0].rows.size(), per_user.users);  // one row per user, in order
    for (std::size_t k = 0; k < plan.feeders[0].rows.size(); ++k) {
      EXPECT_EQ(plan.feeders[0].rows[k][0],
                "user" + std::to_string(plan.load.segment.GlobalIndex(k)));
      seen.insert(plan.feeders[0].rows[k][0]);
      ++total;
    }
    EXPECT_EQ(plan.feeders[1].rows.size(), 2u);  // round-robin rows are shared, not split
  }
  EXPECT_EQ(total, 1000u);
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(ExecutionSegmentTest, StaticSharesOfTheOtherModels) {
  std::uint32_t shared_iterations = 0;
  std::uint32_t shared_users = 0;
  std::uint32_t open_users = 0;
  for (std::uint32_t index = 0; index < 4; ++index) {
    LoadPlan shared;
    shared.model = SharedIterationsPlan{10, 1001};
    shared.segment = {index, 4};
    Plan plan = PlanWith(shared);
    ApplyExecutionSegment(plan);
    shared_iterations += std::get<SharedIterationsPlan>(plan.load.model).iterations;
    shared_users += std::get<SharedIterationsPlan>(plan.load.model).users;
    LoadPlan open;
    open.model = OpenModelPlan{300, {}, 20, 101, 0};
    open.segment = {index, 4};
    Plan open_plan = PlanWith(open);
    ApplyExecutionSegment(open_plan);
    const auto& model = std::get<OpenModelPlan>(open_plan.load.model);
    open_users += model.max_users;
    EXPECT_EQ(model.pre_allocated_users, 5u);
    EXPECT_EQ(model.max_queue, 0u);  // still "one second of the segment's arrivals"
  }
  EXPECT_EQ(shared_iterations, 1001u);
  EXPECT_EQ(shared_users, 10u);
  EXPECT_EQ(open_users, 101u);
}

TEST(ExecutionSegmentTest, TheWholeSegmentChangesNothing) {
  LoadPlan load;
  load.model = PerUserIterationsPlan{1000, 2, 0};
  Plan plan = PlanWith(load);
  ApplyExecutionSegment(plan);
  EXPECT_EQ(std::get<PerUserIterationsPlan>(plan.load.model).users, 1000u);
  EXPECT_EQ(plan.feeders[0].rows.size(), 1000u);
}

}  // namespace
}  // namespace throng::engine
