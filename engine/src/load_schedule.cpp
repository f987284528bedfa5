#include "throng/engine/load_schedule.h"

#include <algorithm>
#include <cmath>

namespace throng::engine {
namespace {

double Seconds(Duration d) { return std::chrono::duration<double>(d).count(); }

std::string StageName(const UserStagePlan& stage, std::size_t index) {
  return stage.name.empty() ? "stage " + std::to_string(index + 1) : stage.name;
}

}  // namespace

std::uint32_t RampAtRate(std::uint32_t from, std::uint32_t to, double rate, Duration elapsed) {
  if (rate <= 0 || from == to) return to;
  // +1e-9 absorbs floating error so N users at rate R are all started at exactly N/R seconds.
  const double moved = std::floor(rate * Seconds(elapsed) + 1e-9);
  const double distance = std::abs(static_cast<double>(to) - static_cast<double>(from));
  const auto step = static_cast<std::uint32_t>(std::min(moved, distance));
  return to > from ? from + step : from - step;
}

ClosedLoadSchedule::ClosedLoadSchedule(const ClosedModelPlan& plan,
                                       std::optional<Duration> duration, ExecutionSegment segment)
    : plan_(plan), segment_(segment), total_(duration) {
  if (!total_ && !plan_.stages.empty()) {
    Duration sum{0};
    for (const auto& stage : plan_.stages) sum += stage.duration;
    total_ = sum;
  }
}

std::uint32_t ClosedLoadSchedule::UsersAt(Duration elapsed, std::string* stage) const {
  if (plan_.stages.empty()) return RampAtRate(0, plan_.users, plan_.spawn_rate, elapsed);
  std::uint32_t level = 0;
  Duration stage_start{0};
  for (std::size_t i = 0; i < plan_.stages.size(); ++i) {
    const auto& s = plan_.stages[i];
    const Duration in_stage = elapsed - stage_start;
    const bool last = i + 1 == plan_.stages.size();
    if (in_stage < s.duration || last) {
      *stage = StageName(s, i);
      const Duration clamped = std::min(in_stage, s.duration);
      if (s.spawn_rate > 0 || s.duration <= Duration::zero()) {
        return RampAtRate(level, s.users, s.spawn_rate, clamped);
      }
      const double fraction = Seconds(clamped) / Seconds(s.duration);
      const double value = level + (static_cast<double>(s.users) - level) * fraction;
      return static_cast<std::uint32_t>(std::llround(value));
    }
    // A stage too short to finish its ramp hands the reached level to the next one.
    level = s.spawn_rate > 0 ? RampAtRate(level, s.users, s.spawn_rate, s.duration) : s.users;
    stage_start += s.duration;
  }
  return level;
}

SchedulePoint ClosedLoadSchedule::At(Duration elapsed) const {
  SchedulePoint point;
  if (elapsed < Duration::zero()) elapsed = Duration::zero();
  point.users = segment_.ShareOf32(UsersAt(elapsed, &point.stage));
  if (total_) {
    point.finished = elapsed >= *total_;
    point.progress =
        total_->count() <= 0 ? 1.0 : std::min(1.0, Seconds(elapsed) / Seconds(*total_));
  }
  return point;
}

}  // namespace throng::engine
