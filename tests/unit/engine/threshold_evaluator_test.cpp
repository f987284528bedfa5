#include "throng/engine/threshold_evaluator.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "throng/engine/stats.h"

namespace throng::engine {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Metric = ThresholdPlan::Metric;
using Op = ThresholdPlan::Op;

ThresholdPlan Threshold(Metric metric, Op op, double value, std::string request_name = "",
                        double percentile = 0) {
  ThresholdPlan t;
  t.expr = "test";
  t.metric = metric;
  t.op = op;
  t.value = value;
  t.request_name = std::move(request_name);
  t.percentile = percentile;
  return t;
}

RequestSample Sample(milliseconds latency, FailureKind failure = FailureKind::kNone) {
  RequestSample s;
  s.latency = latency;
  s.service_time = latency;
  s.failure = failure;
  s.status = failure == FailureKind::kNone ? 200 : 500;
  return s;
}

/// "login" (POST) takes 1..100 ms, 10 % failing; "items" has a GET (200 ms) and a POST (400 ms);
/// "idle" is never requested.
class ThresholdEvaluatorTest : public ::testing::Test {
 protected:
  ThresholdEvaluatorTest()
      : endpoints_{{"login", "POST"}, {"items", "GET"}, {"items", "POST"}, {"idle", "GET"}},
        stats_(endpoints_, 2) {
    for (int ms = 1; ms <= 100; ++ms) {
      stats_.ForWorker(ms % 2).RecordRequest(
          0, Sample(milliseconds(ms),
                    ms % 10 == 0 ? FailureKind::kUnexpectedStatus : FailureKind::kNone));
    }
    stats_.ForWorker(0).RecordRequest(1, Sample(milliseconds(200)));
    stats_.ForWorker(1).RecordRequest(2, Sample(milliseconds(400)));
  }

  ThresholdState EvaluateOne(const ThresholdPlan& t,
                             std::chrono::nanoseconds elapsed = seconds(10)) {
    ThresholdEvaluator evaluator({t}, endpoints_);
    return evaluator.Evaluate(stats_.Snapshot(), elapsed).states.at(0);
  }

  std::vector<EndpointKey> endpoints_;
  JobStats stats_;
};

TEST_F(ThresholdEvaluatorTest, PercentileOverAllRequestsInMilliseconds) {
  // 102 requests: the 95th-ranked (ceil(0.95 * 102) = 97) is 97 ms.
  const ThresholdState s = EvaluateOne(Threshold(Metric::kPercentile, Op::kLess, 0.1, "", 95));
  EXPECT_NEAR(s.observed, 97.0, 0.1);
  EXPECT_TRUE(s.passed);
  EXPECT_FALSE(EvaluateOne(Threshold(Metric::kPercentile, Op::kLess, 0.09, "", 95)).passed);
  EXPECT_NEAR(EvaluateOne(Threshold(Metric::kPercentile, Op::kLess, 1, "", 100)).observed, 400.0,
              0.4);
}

TEST_F(ThresholdEvaluatorTest, AvgMinMaxMedianOfOneName) {
  EXPECT_DOUBLE_EQ(EvaluateOne(Threshold(Metric::kAvg, Op::kLess, 1, "login")).observed, 50.5);
  EXPECT_DOUBLE_EQ(EvaluateOne(Threshold(Metric::kMin, Op::kLess, 1, "login")).observed, 1.0);
  EXPECT_DOUBLE_EQ(EvaluateOne(Threshold(Metric::kMax, Op::kLess, 1, "login")).observed, 100.0);
  EXPECT_NEAR(EvaluateOne(Threshold(Metric::kMedian, Op::kLess, 1, "login")).observed, 50.0, 0.05);
}

TEST_F(ThresholdEvaluatorTest, NameScopeMergesEveryMethodOfThatName) {
  const ThresholdState avg = EvaluateOne(Threshold(Metric::kAvg, Op::kLessEqual, 0.3, "items"));
  EXPECT_DOUBLE_EQ(avg.observed, 300.0);
  EXPECT_TRUE(avg.passed);  // 0.3 s <= 0.3 s
  EXPECT_FALSE(EvaluateOne(Threshold(Metric::kAvg, Op::kLess, 0.3, "items")).passed);
  EXPECT_DOUBLE_EQ(EvaluateOne(Threshold(Metric::kMax, Op::kLess, 1, "items")).observed, 400.0);
}

TEST_F(ThresholdEvaluatorTest, FailRateIsShownInPercent) {
  const ThresholdState login = EvaluateOne(Threshold(Metric::kFailRate, Op::kLess, 0.05, "login"));
  EXPECT_DOUBLE_EQ(login.observed, 10.0);
  EXPECT_FALSE(login.passed);
  EXPECT_TRUE(EvaluateOne(Threshold(Metric::kFailRate, Op::kLessEqual, 0.1, "login")).passed);
  EXPECT_TRUE(EvaluateOne(Threshold(Metric::kFailRate, Op::kEqual, 0, "items")).passed);
}

TEST_F(ThresholdEvaluatorTest, RpsDividesByElapsedTime) {
  const ThresholdState s =
      EvaluateOne(Threshold(Metric::kRps, Op::kGreaterEqual, 10, "login"), seconds(4));
  EXPECT_DOUBLE_EQ(s.observed, 25.0);
  EXPECT_TRUE(s.passed);
  EXPECT_FALSE(EvaluateOne(Threshold(Metric::kRps, Op::kGreater, 25, "login"), seconds(4)).passed);
  EXPECT_DOUBLE_EQ(EvaluateOne(Threshold(Metric::kRps, Op::kGreater, 0), seconds(0)).observed, 0);
}

TEST_F(ThresholdEvaluatorTest, EqualityToleratesBinaryRounding) {
  EXPECT_TRUE(EvaluateOne(Threshold(Metric::kMin, Op::kEqual, 0.001, "login")).passed);
  EXPECT_FALSE(EvaluateOne(Threshold(Metric::kMin, Op::kEqual, 0.002, "login")).passed);
}

TEST_F(ThresholdEvaluatorTest, NoDataPassesWithZero) {
  for (const std::string name : {"idle", "no-such-name"}) {
    const ThresholdState s = EvaluateOne(Threshold(Metric::kRps, Op::kGreater, 100, name));
    EXPECT_TRUE(s.passed) << name;
    EXPECT_EQ(s.observed, 0) << name;
  }
  JobStats empty({{"a", "GET"}}, 1);
  ThresholdEvaluator evaluator({Threshold(Metric::kAvg, Op::kGreater, 1)}, empty.Endpoints());
  const ThresholdEvaluation e = evaluator.Evaluate(empty.Snapshot(), seconds(5));
  EXPECT_TRUE(e.AllPassed());
  EXPECT_EQ(e.states.at(0).observed, 0);
}

TEST_F(ThresholdEvaluatorTest, AbortOnlyAfterDelayAndOnlyWhenAsked) {
  ThresholdPlan failing = Threshold(Metric::kFailRate, Op::kLess, 0.01, "login");
  ThresholdPlan aborting = failing;
  aborting.abort_on_fail = true;
  aborting.abort_delay = seconds(30);
  ThresholdPlan passing = Threshold(Metric::kFailRate, Op::kLess, 0.5);
  passing.abort_on_fail = true;
  ThresholdEvaluator evaluator({passing, failing, aborting}, endpoints_);

  const ThresholdEvaluation early = evaluator.Evaluate(stats_.Snapshot(), seconds(29));
  EXPECT_FALSE(early.AllPassed());
  EXPECT_FALSE(early.abort_index.has_value());
  EXPECT_FALSE(early.states[1].aborts);  // failing, but not abort_on_fail

  const ThresholdEvaluation late = evaluator.Evaluate(stats_.Snapshot(), seconds(30));
  ASSERT_TRUE(late.abort_index.has_value());
  EXPECT_EQ(*late.abort_index, 2u);
  EXPECT_TRUE(late.states[2].aborts);
  EXPECT_FALSE(late.states[0].aborts);
  EXPECT_TRUE(late.states[0].passed);
}

}  // namespace
}  // namespace throng::engine
