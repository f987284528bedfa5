// Threshold expressions: "p(95) < 500ms", "fail_rate < 5%", "rps >= 100".
#pragma once

#include <stdexcept>
#include <string_view>

#include "throng/engine/plan.h"

namespace throng::api {

/// A threshold expression is malformed; what() names the problem (the caller adds the field path).
class ThresholdError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// Parses `expr` := metric op value. Metrics: p(N) with N in (0, 100], avg, min, max, med (latency
/// values need a unit us, ms or s), fail_rate (a percentage "5%" or a ratio 0..1), rps (a number,
/// optionally "/s"). Operators: <, <=, >, >=, ==. Fills expr, metric, percentile, op and value (in
/// base units: seconds, ratio, 1/s); leaves request_name/abort fields at their defaults. Throws
/// ThresholdError.
throng::engine::ThresholdPlan ParseThreshold(std::string_view expr);

}  // namespace throng::api
