#include "throng/api/spec/spec_threshold.h"

#include <gtest/gtest.h>

namespace throng::api {
namespace {

using Metric = engine::ThresholdPlan::Metric;
using Op = engine::ThresholdPlan::Op;

struct ValidCase {
  std::string expr;
  Metric metric;
  double percentile;
  Op op;
  double value;
};

TEST(SpecThresholdTest, ParsesTheGrammar) {
  const std::vector<ValidCase> cases = {
      {"p(95) < 500ms", Metric::kPercentile, 95, Op::kLess, 0.5},
      {"p(99.9)<=2s", Metric::kPercentile, 99.9, Op::kLessEqual, 2},
      {"  p( 50 ) > 250us ", Metric::kPercentile, 50, Op::kGreater, 0.00025},
      {"p(100) == 1 s", Metric::kPercentile, 100, Op::kEqual, 1},
      {"fail_rate < 5%", Metric::kFailRate, 0, Op::kLess, 0.05},
      {"fail_rate <= 0.01", Metric::kFailRate, 0, Op::kLessEqual, 0.01},
      {"fail_rate == 0", Metric::kFailRate, 0, Op::kEqual, 0},
      {"rps >= 100", Metric::kRps, 0, Op::kGreaterEqual, 100},
      {"rps>12.5/s", Metric::kRps, 0, Op::kGreater, 12.5},
      {"avg < 200ms", Metric::kAvg, 0, Op::kLess, 0.2},
      {"med<1s", Metric::kMedian, 0, Op::kLess, 1},
      {"min >= 1ms", Metric::kMin, 0, Op::kGreaterEqual, 0.001},
      {"max < 1.5e3ms", Metric::kMax, 0, Op::kLess, 1.5},
  };
  for (const ValidCase& c : cases) {
    SCOPED_TRACE(c.expr);
    const engine::ThresholdPlan plan = ParseThreshold(c.expr);
    EXPECT_EQ(plan.expr, c.expr);
    EXPECT_EQ(plan.metric, c.metric);
    EXPECT_DOUBLE_EQ(plan.percentile, c.percentile);
    EXPECT_EQ(plan.op, c.op);
    EXPECT_DOUBLE_EQ(plan.value, c.value);
    EXPECT_TRUE(plan.request_name.empty());
    EXPECT_FALSE(plan.abort_on_fail);
  }
}

TEST(SpecThresholdTest, ErrorsNameTheProblem) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "expected a metric"},
      {"p95 < 1s", "expected '(' after p"},
      {"p(95 < 1s", "expected ')'"},
      {"p() < 1s", "expected a percentile"},
      {"p(0) < 1s", "percentile must be in (0, 100]"},
      {"p(101) < 1s", "percentile must be in (0, 100]"},
      {"p90(95) < 1s", "expected '(' after p"},
      {"latency < 1s", "expected a metric"},
      {"avg 1s", "expected an operator"},
      {"avg => 1s", "expected an operator"},
      {"avg < ", "expected a value"},
      {"avg < -1s", "expected a value"},
      {"avg < 500", "a latency needs a unit"},
      {"avg < 500 mins", "unknown unit \"mins\""},
      {"fail_rate < 150%", "0..100%"},
      {"fail_rate < 5", "a percentage like 5% or a ratio in 0..1"},
      {"fail_rate < 5ms", "a percentage like 5%"},
      {"rps > 10ms", "rps takes a plain number"},
      {"avg < 1s and more", "unexpected \"and more\""},
  };
  for (const auto& [expr, message] : cases) {
    try {
      ParseThreshold(expr);
      ADD_FAILURE() << "no error for \"" << expr << "\"";
    } catch (const ThresholdError& error) {
      const std::string what = error.what();
      EXPECT_NE(what.find(message), std::string::npos) << "\"" << expr << "\": " << what;
      EXPECT_NE(what.find("\"" + expr + "\""), std::string::npos) << what;
    }
  }
}

}  // namespace
}  // namespace throng::api
