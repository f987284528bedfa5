#include "throng/engine/load_schedule.h"

#include <gtest/gtest.h>

#include "throng/engine/clock.h"

namespace throng::engine {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

UserStagePlan Stage(Duration duration, std::uint32_t users, double rate, std::string name = "") {
  return UserStagePlan{duration, users, rate, std::move(name)};
}

TEST(LoadScheduleTest, RampReachesUsersAtUsersOverRate) {
  ClosedLoadSchedule schedule(ClosedModelPlan{100, 20, {}}, seconds(60));
  EXPECT_EQ(schedule.At(Duration::zero()).users, 0u);
  EXPECT_EQ(schedule.At(milliseconds(2500)).users, 50u);
  EXPECT_EQ(schedule.At(milliseconds(4999)).users, 99u);
  EXPECT_EQ(schedule.At(seconds(5)).users, 100u);  // N / R
  EXPECT_EQ(schedule.At(seconds(50)).users, 100u);
}

TEST(LoadScheduleTest, ZeroSpawnRateStartsEveryoneAtOnce) {
  ClosedLoadSchedule schedule(ClosedModelPlan{7, 0, {}}, seconds(1));
  EXPECT_EQ(schedule.At(Duration::zero()).users, 7u);
}

TEST(LoadScheduleTest, ProgressAndEnd) {
  ClosedLoadSchedule schedule(ClosedModelPlan{1, 0, {}}, seconds(10));
  EXPECT_DOUBLE_EQ(schedule.At(seconds(0)).progress, 0.0);
  EXPECT_DOUBLE_EQ(schedule.At(seconds(5)).progress, 0.5);
  EXPECT_FALSE(schedule.At(milliseconds(9999)).finished);
  EXPECT_TRUE(schedule.At(seconds(10)).finished);
  EXPECT_DOUBLE_EQ(schedule.At(seconds(11)).progress, 1.0);
}

TEST(LoadScheduleTest, UnboundedHasNoProgress) {
  ClosedLoadSchedule schedule(ClosedModelPlan{3, 0, {}}, std::nullopt);
  EXPECT_FALSE(schedule.TotalDuration().has_value());
  EXPECT_EQ(schedule.At(seconds(100000)).progress, -1);
  EXPECT_FALSE(schedule.At(seconds(100000)).finished);
}

TEST(LoadScheduleTest, StepStagesAtSpawnRate) {
  // Step stress 10 -> 50 -> 100 at 10 users/s, 10 s per step (seed 002 shape).
  ClosedModelPlan plan{0,
                       0,
                       {Stage(seconds(10), 10, 10, "step 10"), Stage(seconds(10), 50, 10),
                        Stage(seconds(10), 100, 10, "step 100")}};
  ClosedLoadSchedule schedule(plan, std::nullopt);
  ASSERT_TRUE(schedule.TotalDuration().has_value());
  EXPECT_EQ(*schedule.TotalDuration(), seconds(30));
  EXPECT_EQ(schedule.At(milliseconds(500)).users, 5u);
  EXPECT_EQ(schedule.At(seconds(1)).users, 10u);
  EXPECT_EQ(schedule.At(seconds(5)).stage, "step 10");
  EXPECT_EQ(schedule.At(seconds(12)).users, 30u);
  EXPECT_EQ(schedule.At(seconds(12)).stage, "stage 2");
  EXPECT_EQ(schedule.At(seconds(14)).users, 50u);
  EXPECT_EQ(schedule.At(seconds(25)).users, 100u);
  EXPECT_EQ(schedule.At(seconds(25)).stage, "step 100");
  EXPECT_TRUE(schedule.At(seconds(30)).finished);
}

TEST(LoadScheduleTest, LinearStagesSpikeAndRampDown) {
  ClosedModelPlan plan{0,
                       0,
                       {Stage(seconds(10), 100, 0, "up"), Stage(seconds(2), 500, 0, "spike"),
                        Stage(seconds(10), 0, 0, "down")}};
  ClosedLoadSchedule schedule(plan, std::nullopt);
  EXPECT_EQ(schedule.At(seconds(5)).users, 50u);
  EXPECT_EQ(schedule.At(seconds(10)).users, 100u);
  EXPECT_EQ(schedule.At(seconds(11)).users, 300u);
  EXPECT_EQ(schedule.At(seconds(12)).users, 500u);
  EXPECT_EQ(schedule.At(seconds(17)).users, 250u);
  EXPECT_EQ(schedule.At(seconds(17)).stage, "down");
  EXPECT_EQ(schedule.At(seconds(22)).users, 0u);
}

TEST(LoadScheduleTest, RampDownAtRateAndShortStageHandsOverReachedLevel) {
  // The first stage is too short to reach 100 at 10/s: the second starts from 20.
  ClosedModelPlan plan{0, 0, {Stage(seconds(2), 100, 10), Stage(seconds(10), 0, 5)}};
  ClosedLoadSchedule schedule(plan, std::nullopt);
  EXPECT_EQ(schedule.At(seconds(2)).users, 20u);
  EXPECT_EQ(schedule.At(seconds(3)).users, 15u);
  EXPECT_EQ(schedule.At(seconds(6)).users, 0u);
}

TEST(LoadScheduleTest, DurationLongerThanStagesHoldsTheLastLevel) {
  ClosedModelPlan plan{0, 0, {Stage(seconds(1), 4, 0)}};
  ClosedLoadSchedule schedule(plan, seconds(5));
  EXPECT_EQ(schedule.At(seconds(3)).users, 4u);
  EXPECT_FALSE(schedule.At(seconds(3)).finished);
  EXPECT_TRUE(schedule.At(seconds(5)).finished);
}

TEST(LoadScheduleTest, FollowsAManualClock) {
  ManualClock clock;
  const TimePoint start = clock.Now();
  ClosedLoadSchedule schedule(ClosedModelPlan{10, 2, {}}, seconds(60));
  clock.Advance(seconds(3));
  EXPECT_EQ(schedule.At(clock.Now() - start).users, 6u);
  clock.Advance(seconds(2));
  EXPECT_EQ(schedule.At(clock.Now() - start).users, 10u);
}

}  // namespace
}  // namespace throng::engine
