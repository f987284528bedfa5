#include "throng/engine/arrival_schedule.h"

#include <gtest/gtest.h>

#include <vector>

#include "throng/engine/arrival_dispatcher.h"
#include "throng/engine/clock.h"

namespace throng::engine {
namespace {

using namespace std::chrono_literals;

OpenModelPlan Rate(double rate, std::vector<RateStagePlan> stages = {}) {
  return OpenModelPlan{rate, std::move(stages), 1, 10, 0};
}

// Arrivals due strictly before `end`, walking the schedule as the controller does.
std::uint64_t DueBefore(const ArrivalSchedule& schedule, Duration end) {
  std::uint64_t n = 0;
  while (true) {
    const auto due = schedule.DueAt(n);
    if (!due || *due >= end) return n;
    ++n;
  }
}

TEST(ArrivalScheduleTest, ConstantRateSpacesArrivalsEvenlyFromZero) {
  const ArrivalSchedule schedule(Rate(200), 5s);
  EXPECT_EQ(schedule.DueAt(0), Duration::zero());
  EXPECT_EQ(schedule.DueAt(1), 5ms);
  EXPECT_EQ(schedule.DueAt(200), 1s);
  EXPECT_EQ(DueBefore(schedule, 5s), 1000u);
  EXPECT_DOUBLE_EQ(schedule.RateAt(3s), 200);
  EXPECT_EQ(schedule.TotalDuration(), 5s);
}

TEST(ArrivalScheduleTest, RampingRateFollowsTheIntegralOfTheRate) {
  // 0 -> 100/s over 10 s (500 arrivals), then hold 100/s for 5 s (500 more).
  const ArrivalSchedule schedule(Rate(0, {{10s, 100, "up"}, {5s, 100, "hold"}}), std::nullopt);
  EXPECT_EQ(schedule.TotalDuration(), 15s);
  EXPECT_DOUBLE_EQ(schedule.RateAt(5s), 50);
  EXPECT_DOUBLE_EQ(schedule.ArrivalsBy(10s), 500);
  EXPECT_EQ(schedule.StageAt(3s), "up");
  EXPECT_EQ(schedule.StageAt(12s), "hold");
  // 125 arrivals accumulate by t with 5 t^2 = 125: t = 5 s.
  EXPECT_NEAR(std::chrono::duration<double>(*schedule.DueAt(125)).count(), 5.0, 1e-6);
  EXPECT_EQ(DueBefore(schedule, 15s), 1000u);
}

TEST(ArrivalScheduleTest, DrivenByASimulatedClock) {
  ManualClock clock;
  const TimePoint start = clock.Now();
  const ArrivalSchedule schedule(Rate(10), 1s);
  std::uint64_t dispatched = 0;
  for (int tick = 0; tick < 20; ++tick) {  // 20 ticks of 50 ms
    const Duration elapsed = clock.Now() - start;
    while (schedule.DueAt(dispatched) <= elapsed) ++dispatched;
    EXPECT_EQ(dispatched, static_cast<std::uint64_t>(tick / 2 + 1)) << tick;
    clock.Advance(50ms);
  }
}

TEST(ArrivalScheduleTest, LiveRateChangeContinuesFromTheArrivalsSoFar) {
  ArrivalSchedule schedule(Rate(10), std::nullopt);
  EXPECT_FALSE(schedule.TotalDuration());
  schedule.SetRate(1s, 100);  // 10 arrivals by then
  EXPECT_DOUBLE_EQ(schedule.RateAt(2s), 100);
  EXPECT_EQ(schedule.DueAt(5), 500ms);  // before the change: unchanged
  EXPECT_EQ(schedule.DueAt(10), 1s);
  EXPECT_EQ(schedule.DueAt(20), 1100ms);
  schedule.SetRate(2s, 0);
  EXPECT_FALSE(schedule.DueAt(200));  // never at rate 0
}

TEST(ArrivalDispatcherTest, UsesIdleUsersThenGrowsThenQueuesThenDrops) {
  ArrivalDispatcher dispatcher(1, 2);
  const TimePoint t{};
  using O = ArrivalDispatcher::Outcome;
  EXPECT_EQ(dispatcher.Arrive(t, 1).outcome, O::kAssigned);
  const auto spawn = dispatcher.Arrive(t, 1);
  EXPECT_EQ(spawn.outcome, O::kSpawn);
  EXPECT_EQ(spawn.user, 1u);
  EXPECT_EQ(dispatcher.Arrive(t + 1ms, 1).outcome, O::kQueued);
  EXPECT_EQ(dispatcher.Arrive(t + 2ms, 1).outcome, O::kDropped);
  EXPECT_EQ(dispatcher.LateCount(), 1u);
  // A freed user takes the queued arrival (with its original intended time) before going idle.
  EXPECT_EQ(dispatcher.Release(0), t + 1ms);
  EXPECT_EQ(dispatcher.Release(0), std::nullopt);
  const auto next = dispatcher.Arrive(t, 1);
  EXPECT_EQ(next.outcome, O::kAssigned);
  EXPECT_EQ(next.user, 0u);
  EXPECT_EQ(dispatcher.Users(), 2u);
}

TEST(ArrivalDispatcherTest, IdleUsersTakeArrivalsInTurnSoTheWholePoolIsUsed) {
  ArrivalDispatcher dispatcher(3, 3);
  std::vector<std::size_t> users;
  // One arrival at a time, each user free again before the next: a stack would hand out user 0
  // every time and leave users 1 and 2 (and their connections) unused until a stall.
  for (int i = 0; i < 6; ++i) {
    const auto decision = dispatcher.Arrive(TimePoint{}, 1);
    ASSERT_EQ(decision.outcome, ArrivalDispatcher::Outcome::kAssigned);
    users.push_back(decision.user);
    EXPECT_EQ(dispatcher.Release(decision.user), std::nullopt);
  }
  EXPECT_EQ(users, (std::vector<std::size_t>{0, 1, 2, 0, 1, 2}));
}

TEST(ArrivalDispatcherTest, QueuedArrivalsAreHandedBackAtTheEnd) {
  ArrivalDispatcher dispatcher(0, 1);
  EXPECT_EQ(dispatcher.Arrive(TimePoint{}, 3).outcome, ArrivalDispatcher::Outcome::kSpawn);
  for (int i = 0; i < 3; ++i) dispatcher.Arrive(TimePoint{}, 3);
  EXPECT_EQ(dispatcher.TakeQueued(), 3u);
  EXPECT_EQ(dispatcher.Release(0), std::nullopt);
}

}  // namespace
}  // namespace throng::engine
