#include "throng/engine/arrival_schedule.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace throng::engine {
namespace {

constexpr double kForever = std::numeric_limits<double>::infinity();

double Seconds(Duration d) { return std::chrono::duration<double>(d).count(); }

Duration FromSeconds(double s) {
  return std::chrono::duration_cast<Duration>(std::chrono::duration<double>(s));
}

double RateIn(double from, double to, double length, double offset) {
  if (!std::isfinite(length) || length <= 0) return to;
  return from + (to - from) * std::min(offset, length) / length;
}

// Arrivals within the first `offset` seconds of a segment ramping linearly from -> to.
double AreaIn(double from, double to, double length, double offset) {
  if (!std::isfinite(length) || length <= 0) return to * offset;
  offset = std::min(offset, length);
  return from * offset + (to - from) * offset * offset / (2 * length);
}

// Seconds into a ramp segment at which `count` arrivals have accumulated (inverse of AreaIn).
double OffsetFor(double from, double to, double length, double count) {
  if (count <= 0) return 0;
  const double slope = std::isfinite(length) && length > 0 ? (to - from) / length : 0;
  const double start_rate = std::isfinite(length) && length > 0 ? from : to;
  if (std::abs(slope) < 1e-12) return start_rate > 0 ? count / start_rate : kForever;
  // start_rate * s + slope / 2 * s^2 = count.
  const double disc = start_rate * start_rate + 2 * slope * count;
  if (disc < 0) return kForever;
  return (-start_rate + std::sqrt(disc)) / slope;
}

}  // namespace

ArrivalSchedule::ArrivalSchedule(const OpenModelPlan& plan, std::optional<Duration> duration,
                                 ExecutionSegment segment)
    : fleet_segment_(segment), total_(duration) {
  double start = 0;
  double before = 0;
  double rate = plan.rate;
  for (std::size_t i = 0; i < plan.stages.size(); ++i) {
    const RateStagePlan& stage = plan.stages[i];
    const double length = Seconds(stage.duration);
    const std::string name = stage.name.empty() ? "stage " + std::to_string(i + 1) : stage.name;
    segments_.push_back({start, length, rate, stage.rate, before, name});
    before += AreaIn(rate, stage.rate, length, length);
    start += length;
    rate = stage.rate;
  }
  segments_.push_back({start, kForever, rate, rate, before, ""});
  if (!total_ && !plan.stages.empty()) total_ = FromSeconds(start);
}

double ArrivalSchedule::ArrivalsBy(Duration elapsed) const {
  const double whole = WholeArrivalsBy(elapsed);
  if (fleet_segment_.IsWhole()) return whole;
  return static_cast<double>(fleet_segment_.ShareOf(static_cast<std::uint64_t>(std::ceil(whole))));
}

double ArrivalSchedule::RateAt(Duration elapsed) const {
  return WholeRateAt(elapsed) / std::max<std::uint32_t>(1, fleet_segment_.count);
}

std::optional<Duration> ArrivalSchedule::DueAt(std::uint64_t n) const {
  return WholeDueAt(fleet_segment_.GlobalIndex(n));
}

double ArrivalSchedule::WholeArrivalsBy(Duration elapsed) const {
  const double t = std::max(0.0, Seconds(elapsed));
  if (override_ && t >= override_->start) {
    return override_->arrivals_before + override_->rate * (t - override_->start);
  }
  for (auto it = segments_.rbegin(); it != segments_.rend(); ++it) {
    if (t >= it->start) {
      return it->arrivals_before + AreaIn(it->from_rate, it->to_rate, it->length, t - it->start);
    }
  }
  return 0;
}

double ArrivalSchedule::WholeRateAt(Duration elapsed) const {
  const double t = std::max(0.0, Seconds(elapsed));
  if (override_ && t >= override_->start) return override_->rate;
  for (auto it = segments_.rbegin(); it != segments_.rend(); ++it) {
    if (t >= it->start) return RateIn(it->from_rate, it->to_rate, it->length, t - it->start);
  }
  return 0;
}

std::optional<Duration> ArrivalSchedule::WholeDueAt(std::uint64_t n) const {
  const auto count = static_cast<double>(n);
  if (override_ && count >= override_->arrivals_before) {
    if (override_->rate <= 0) return std::nullopt;
    return FromSeconds(override_->start + (count - override_->arrivals_before) / override_->rate);
  }
  for (const Segment& segment : segments_) {
    const double end_count = segment.arrivals_before + AreaIn(segment.from_rate, segment.to_rate,
                                                              segment.length, segment.length);
    if (count > end_count && std::isfinite(segment.length)) continue;
    const double offset = OffsetFor(segment.from_rate, segment.to_rate, segment.length,
                                    count - segment.arrivals_before);
    if (!std::isfinite(offset)) return std::nullopt;
    const double at = segment.start + std::min(offset, segment.length);
    if (override_ && at >= override_->start) break;  // the change came first: see below
    return FromSeconds(at);
  }
  // Due after the live change, which started with fewer arrivals than planned so far.
  if (override_ && override_->rate > 0) {
    return FromSeconds(override_->start +
                       std::max(0.0, count - override_->arrivals_before) / override_->rate);
  }
  return std::nullopt;
}

void ArrivalSchedule::SetRate(Duration elapsed, double rate) {
  const double t = std::max(0.0, Seconds(elapsed));
  override_ = Override{t, WholeArrivalsBy(elapsed), std::max(0.0, rate)};
}

std::string ArrivalSchedule::StageAt(Duration elapsed) const {
  const double t = std::max(0.0, Seconds(elapsed));
  if (override_ && t >= override_->start) return "";
  for (auto it = segments_.rbegin(); it != segments_.rend(); ++it) {
    if (t >= it->start) return it->name;
  }
  return "";
}

}  // namespace throng::engine
