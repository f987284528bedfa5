#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "report_fixture.h"
#include "throng/api/report/console_report.h"

namespace throng::api::report {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;

TEST(ConsoleReportTest, StatsTableHasLocustColumnsRowsAndAggregated) {
  const std::string text = ConsoleReport(testing::SampleReport(), {.locust_rounding = true});
  EXPECT_THAT(text, ContainsRegex("Type +Name +# reqs +# fails \\| +Avg +Min +Max +Med \\| +req/s "
                                  "+failures/s"));
  EXPECT_THAT(text,
              ContainsRegex("GET +/products +900 +0\\(0\\.00%\\) \\| +15 +3 +72 +12 \\| +90\\.00 "
                            "+0\\.00"));
  EXPECT_THAT(text, ContainsRegex("POST +/orders, \"bulk\" +100 +25\\(25\\.00%\\)"));
  EXPECT_THAT(text, ContainsRegex("\n +Aggregated +1000 +25\\(2\\.50%\\) \\|"));
}

TEST(ConsoleReportTest, PercentileTableHasLocustColumns) {
  const std::string text = ConsoleReport(testing::SampleReport(), {.locust_rounding = true});
  EXPECT_THAT(text, HasSubstr("Response time percentiles (approximated)"));
  EXPECT_THAT(text, ContainsRegex("50% +66% +75% +80% +90% +95% +98% +99% +99\\.9% +99\\.99% +100% "
                                  "+# reqs"));
  EXPECT_THAT(text,
              ContainsRegex("GET +/products +12 +18 +24 +30 +36 +42 +48 +54 +60 +66 +72 +900"));
}

TEST(ConsoleReportTest, LatenciesBelowTenMillisecondsKeepTwoDecimalsByDefault) {
  throng::v1::Report report = testing::SampleReport();
  auto* latency = report.mutable_endpoints(0)->mutable_latency();
  latency->set_avg_ms(0.4321);
  latency->set_min_ms(0.0789);
  latency->set_max_ms(12.6);
  latency->set_p50_ms(9.994);
  report.mutable_endpoints(0)->mutable_percentiles(0)->set_ms(0.37);
  const std::string text = ConsoleReport(report);
  // A sub-millisecond backend no longer reads as zeros; 10 ms and above stay whole like Locust.
  EXPECT_THAT(text, ContainsRegex(
                        "GET +/products +900 +0\\(0\\.00%\\) \\| +0\\.43 +0\\.08 +13 +9\\.99 \\|"));
  EXPECT_THAT(text, ContainsRegex("GET +/products +0\\.37 +18 +24"));
  const std::string locust = ConsoleReport(report, {.locust_rounding = true});
  EXPECT_THAT(locust, ContainsRegex("GET +/products +900 +0\\(0\\.00%\\) \\| +0 +0 +13 +10 \\|"));
  EXPECT_THAT(locust, ContainsRegex("GET +/products +0 +18 +24"));
}

TEST(ConsoleReportTest, ErrorReportThresholdsAndVerdict) {
  const std::string text = ConsoleReport(testing::SampleReport());
  EXPECT_THAT(text, ContainsRegex("# occurrences +Error"));
  EXPECT_THAT(text, ContainsRegex("25 +POST /orders, \"bulk\": unexpected status 500 "
                                  "\\(unexpected_status\\)"));
  EXPECT_THAT(text, HasSubstr("PASS  p95 < 1000ms  (measured 42.00)"));
  EXPECT_THAT(text, HasSubstr("FAIL  fail_rate < 1% [/orders, \"bulk\"]  (measured 25.00)"));
  EXPECT_THAT(text, HasSubstr("Verdict: FAIL\n"));
}

TEST(ConsoleReportTest, NoErrorsNoThresholdsStillShowsVerdict) {
  throng::v1::Report report = testing::SampleReport();
  report.clear_errors();
  report.clear_thresholds();
  report.set_verdict(throng::v1::VERDICT_NONE);
  report.set_final(false);
  const std::string text = ConsoleReport(report);
  EXPECT_THAT(text, ::testing::Not(HasSubstr("Error report")));
  EXPECT_THAT(text, HasSubstr("Verdict: NONE (job still running)\n"));
}

}  // namespace
}  // namespace throng::api::report
