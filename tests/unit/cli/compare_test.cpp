#include "throng/cli/compare.h"

#include <gtest/gtest.h>

#include "throng/cli/error.h"

namespace throng::cli {
namespace {

std::string Report(double p95, double rps, double fail_percent) {
  const std::string endpoint =
      "{\"name\": \"GET /todos/\", \"method\": \"GET\", \"requests\": 100, \"rps\": " +
      std::to_string(rps) + ", \"fail_percent\": " + std::to_string(fail_percent) +
      ", \"latency_ms\": {\"p50\": 5, \"p95\": " + std::to_string(p95) + ", \"p99\": 30}}";
  return "{\"job\": {\"name\": \"t\"}, \"endpoints\": [" + endpoint +
         "], \"aggregated\": " + endpoint + "}";
}

RegressionLimits P95(double percent) {
  RegressionLimits limits;
  AddRegressionLimit(std::to_string(percent) + "%", &limits);
  return limits;
}

TEST(CompareTest, WithinTheLimitIsNoRegression) {
  const auto comparison = CompareReports(ParseReportFigures(Report(20, 50, 0), "base"),
                                         ParseReportFigures(Report(21.5, 50, 0), "new"), P95(10));
  EXPECT_FALSE(comparison.regressed);
  ASSERT_EQ(comparison.rows.size(), 2u);  // the endpoint and the aggregated row
  EXPECT_NE(CompareTable(comparison).find("verdict OK"), std::string::npos);
}

TEST(CompareTest, P95BeyondTheLimitIsARegression) {
  const auto comparison = CompareReports(ParseReportFigures(Report(20, 50, 0), "base"),
                                         ParseReportFigures(Report(30, 50, 0), "new"), P95(10));
  EXPECT_TRUE(comparison.regressed);
  ASSERT_EQ(comparison.rows[0].regressions.size(), 1u);
  EXPECT_EQ(comparison.rows[0].regressions[0], "p95 +50.0% (limit 10%)");
  EXPECT_NE(CompareHtml(comparison).find("class=\"regressed\""), std::string::npos);
}

TEST(CompareTest, SmallAbsoluteLatencyChangesAreNoise) {
  // 0.2 ms -> 0.5 ms is +150 % but under the 1 ms floor.
  const auto comparison = CompareReports(ParseReportFigures(Report(0.2, 50, 0), "base"),
                                         ParseReportFigures(Report(0.5, 50, 0), "new"), P95(10));
  EXPECT_FALSE(comparison.regressed);
}

TEST(CompareTest, ThroughputAndFailureLimits) {
  RegressionLimits limits;
  AddRegressionLimit("rps=5%", &limits);
  AddRegressionLimit("fail_rate=1%", &limits);
  const auto comparison = CompareReports(ParseReportFigures(Report(20, 100, 0), "base"),
                                         ParseReportFigures(Report(20, 90, 2.5), "new"), limits);
  ASSERT_EQ(comparison.rows[0].regressions.size(), 2u);
  EXPECT_EQ(comparison.rows[0].regressions[0], "req/s -10.0% (limit -5%)");
}

TEST(CompareTest, BadInputIsAnError) {
  RegressionLimits limits;
  EXPECT_THROW(AddRegressionLimit("p97=1%", &limits), InputError);
  EXPECT_THROW(AddRegressionLimit("p95=-1%", &limits), InputError);
  EXPECT_THROW(AddRegressionLimit("p95=2000%", &limits), InputError);
  EXPECT_THROW(AddRegressionLimit("fast", &limits), InputError);
  EXPECT_THROW(ParseReportFigures("{\"not\": \"a report\"}", "x.json"), InputError);
  EXPECT_THROW(ParseReportFigures("[1, 2", "x.json"), InputError);
}

}  // namespace
}  // namespace throng::cli
