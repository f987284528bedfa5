#include "throng/engine/threshold_evaluator.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace throng::engine {
namespace {

using Metric = ThresholdPlan::Metric;

/// The measured value in base units (seconds, 0..1 ratio, 1/s), as thresholds are written.
double BaseValue(const ThresholdPlan& t, const EndpointStats& e, std::chrono::nanoseconds elapsed) {
  constexpr double kSecondsPerUs = 1e-6;
  const LatencyHistogram& h = e.latency;
  switch (t.metric) {
    case Metric::kPercentile:
      return static_cast<double>(h.ValueAtPercentile(t.percentile)) * kSecondsPerUs;
    case Metric::kAvg:
      return h.Mean() * kSecondsPerUs;
    case Metric::kMin:
      return static_cast<double>(h.Min()) * kSecondsPerUs;
    case Metric::kMax:
      return static_cast<double>(h.Max()) * kSecondsPerUs;
    case Metric::kMedian:
      return static_cast<double>(h.ValueAtPercentile(50)) * kSecondsPerUs;
    case Metric::kFailRate:
      return e.FailureRatio();
    case Metric::kRps:
      return PerSecond(e.requests, elapsed);
  }
  return 0;
}

double DisplayValue(Metric metric, double base) {
  switch (metric) {
    case Metric::kFailRate:
      return base * 100.0;
    case Metric::kRps:
      return base;
    default:
      return base * 1000.0;
  }
}

bool Holds(ThresholdPlan::Op op, double observed, double limit) {
  switch (op) {
    case ThresholdPlan::Op::kLess:
      return observed < limit;
    case ThresholdPlan::Op::kLessEqual:
      return observed <= limit;
    case ThresholdPlan::Op::kGreater:
      return observed > limit;
    case ThresholdPlan::Op::kGreaterEqual:
      return observed >= limit;
    case ThresholdPlan::Op::kEqual:
      // Latencies are whole microseconds turned into seconds: compare with a relative tolerance
      // so "== 5ms" matches a 5000 us value despite binary rounding.
      return std::abs(observed - limit) <= 1e-9 * std::max(std::abs(observed), std::abs(limit));
  }
  return false;
}

}  // namespace

bool ThresholdEvaluation::AllPassed() const {
  for (const ThresholdState& s : states) {
    if (!s.passed) return false;
  }
  return true;
}

ThresholdEvaluator::ThresholdEvaluator(std::vector<ThresholdPlan> thresholds,
                                       const std::vector<EndpointKey>& endpoints)
    : thresholds_(std::move(thresholds)) {
  scopes_.reserve(thresholds_.size());
  for (const ThresholdPlan& t : thresholds_) {
    if (t.request_name.empty()) {
      scopes_.emplace_back(std::nullopt);
      continue;
    }
    std::vector<std::size_t> indices;
    for (std::size_t i = 0; i < endpoints.size(); ++i) {
      if (endpoints[i].name == t.request_name) indices.push_back(i);
    }
    scopes_.emplace_back(std::move(indices));
  }
}

ThresholdEvaluation ThresholdEvaluator::Evaluate(const StatsSnapshot& cumulative,
                                                 std::chrono::nanoseconds elapsed) const {
  ThresholdEvaluation evaluation;
  evaluation.states.reserve(thresholds_.size());
  for (std::size_t i = 0; i < thresholds_.size(); ++i) {
    evaluation.states.push_back(EvaluateOne(i, cumulative, elapsed));
    if (evaluation.states.back().aborts && !evaluation.abort_index) evaluation.abort_index = i;
  }
  return evaluation;
}

ThresholdState ThresholdEvaluator::EvaluateOne(std::size_t index, const StatsSnapshot& cumulative,
                                               std::chrono::nanoseconds elapsed) const {
  const ThresholdPlan& t = thresholds_[index];
  const auto& scope = scopes_[index];
  EndpointStats merged;
  if (!scope) {
    merged = cumulative.Aggregated();
  } else {
    for (std::size_t e : *scope) {
      if (e < cumulative.endpoints.size()) merged.Add(cumulative.endpoints[e]);
    }
  }
  ThresholdState state;
  if (merged.requests == 0) {  // no data yet: nothing to judge (and nothing to pass at the end)
    state.no_data = true;
    return state;
  }
  const double base = BaseValue(t, merged, elapsed);
  state.observed = DisplayValue(t.metric, base);
  state.passed = Holds(t.op, base, t.value);
  state.aborts = t.abort_on_fail && !state.passed && elapsed >= t.abort_delay;
  return state;
}

}  // namespace throng::engine
