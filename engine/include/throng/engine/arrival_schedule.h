// The open-model (arrival-rate) schedule: when each iteration is due, as a pure function of
// elapsed run time, with live rate overrides.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "throng/engine/execution_segment.h"
#include "throng/engine/plan.h"

namespace throng::engine {

/// Arrival times of an open model. Without stages the rate is constant; with stages the rate moves
/// linearly from the previous rate (plan.rate at first) to each stage's rate over its duration,
/// and the last rate is held afterwards. Arrival n (0-based) is due at the first instant the
/// cumulative arrival count reaches n, so arrival 0 is due at 0 and a constant rate R yields
/// exactly ceil(R x T) arrivals in [0, T). A fleet segment takes the whole schedule's arrivals
/// segment.index, index + count, ... (striped): its arrival n is the whole's arrival
/// segment.GlobalIndex(n), so the segments' arrivals interleave into exactly the whole's.
/// Not thread-safe (the job controller owns it).
class ArrivalSchedule {
 public:
  ArrivalSchedule(const OpenModelPlan& plan, std::optional<Duration> duration,
                  ExecutionSegment segment = {});

  /// Cumulative arrivals expected by `elapsed`: fractional for the whole; for a segment, the
  /// whole arrivals of the segment among the first ceil(whole's) ones.
  double ArrivalsBy(Duration elapsed) const;
  /// Iterations per second at `elapsed` (a segment: its share, the whole's rate / count).
  double RateAt(Duration elapsed) const;
  /// When arrival `n` (of this segment) is due; nullopt when the rate stays 0 forever before it.
  std::optional<Duration> DueAt(std::uint64_t n) const;
  /// From `elapsed` on, a constant `rate` (of the whole fleet) replaces the planned stages (a
  /// live change).
  void SetRate(Duration elapsed, double rate);
  /// Name of the stage running at `elapsed` ("" without stages or after a live change).
  std::string StageAt(Duration elapsed) const;
  /// Total run time, nullopt when unbounded.
  std::optional<Duration> TotalDuration() const { return total_; }

 private:
  struct Segment {
    double start = 0;  // seconds
    double length = 0;
    double from_rate = 0;
    double to_rate = 0;
    double arrivals_before = 0;
    std::string name;
  };
  struct Override {
    double start = 0;
    double arrivals_before = 0;
    double rate = 0;
  };

  double WholeArrivalsBy(Duration elapsed) const;
  double WholeRateAt(Duration elapsed) const;
  std::optional<Duration> WholeDueAt(std::uint64_t n) const;

  ExecutionSegment fleet_segment_;
  std::vector<Segment> segments_;  // the last one is open-ended
  std::optional<Override> override_;
  std::optional<Duration> total_;
};

}  // namespace throng::engine
