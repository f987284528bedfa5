// Evaluates a job's thresholds (Plan::thresholds) against its cumulative statistics.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <vector>

#include "throng/engine/plan.h"
#include "throng/engine/stats_snapshot.h"

namespace throng::engine {

/// One threshold's state at one moment.
struct ThresholdState {
  bool passed = true;
  /// Measured value in the expression's display unit: ms for latency metrics, % (0..100) for
  /// fail_rate, requests per second for rps. 0 while there is no data.
  double observed = 0;
  /// True when this threshold has abort_on_fail, is failing and the job has run at least its
  /// abort_delay.
  bool aborts = false;
  /// No request in the threshold's scope yet: `passed` stays true while the job runs, and the
  /// final verdict counts the threshold as failed.
  bool no_data = false;
};

/// All thresholds' states, in Plan::thresholds order.
struct ThresholdEvaluation {
  std::vector<ThresholdState> states;
  /// Index of the first threshold that aborts the job, if any.
  std::optional<std::size_t> abort_index;
  bool AllPassed() const;
};

/// Resolves each threshold's request_name to the endpoints with that name once, then evaluates
/// snapshots. A threshold whose scope has no requests yet (or names no endpoint) passes with
/// observed 0. Immutable after construction: Evaluate() may run on any thread concurrently.
class ThresholdEvaluator {
 public:
  /// `endpoints` is Plan::endpoints (the order of StatsSnapshot::endpoints).
  ThresholdEvaluator(std::vector<ThresholdPlan> thresholds,
                     const std::vector<EndpointKey>& endpoints);

  /// `cumulative` holds the job's figures since it started and `elapsed` its load time so far
  /// (the rps denominator and the abort_delay clock).
  ThresholdEvaluation Evaluate(const StatsSnapshot& cumulative,
                               std::chrono::nanoseconds elapsed) const;

  const std::vector<ThresholdPlan>& Thresholds() const { return thresholds_; }

 private:
  ThresholdState EvaluateOne(std::size_t index, const StatsSnapshot& cumulative,
                             std::chrono::nanoseconds elapsed) const;

  std::vector<ThresholdPlan> thresholds_;
  /// Per threshold: indices into StatsSnapshot::endpoints; nullopt: all endpoints.
  std::vector<std::optional<std::vector<std::size_t>>> scopes_;
};

}  // namespace throng::engine
