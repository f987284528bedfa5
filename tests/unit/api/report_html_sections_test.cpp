// The HTML report's configuration, per-endpoint latency charts and recommendations.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "report_fixture.h"
#include "throng/api/report/html_report.h"

namespace throng::api::report {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// SampleReport with p95 flat at 10 ms for 10 and 20 users, then 60 ms at 40 users.
throng::v1::Report ClimbingReport() {
  throng::v1::Report report = testing::SampleReport();
  const std::uint32_t users[] = {10, 20, 40, 40};
  const double p95[] = {10, 11, 60, 64};
  for (int i = 0; i < report.timeline_size(); ++i) {
    report.mutable_timeline(i)->set_users(users[i]);
    report.mutable_timeline(i)->mutable_interval()->set_p95_ms(p95[i]);
  }
  return report;
}

TEST(HtmlSectionsTest, ConfigurationShowsTargetLoadUsersDurationAndVersion) {
  throng::v1::Report report = testing::SampleReport();
  auto* spec = report.mutable_job()->mutable_spec();
  spec->set_base_url("http://127.0.0.1:8000");
  auto* closed = spec->mutable_load()->mutable_closed();
  closed->set_users(40);
  closed->set_spawn_rate(5);
  auto* user_class = spec->add_user_classes();
  user_class->set_name("Shopper");
  user_class->set_weight(4);
  user_class->add_tasks();
  report.set_daemon_version("0.1.0");
  const std::string html = HtmlReport(report);
  EXPECT_THAT(html, HasSubstr("<table id=config>"));
  EXPECT_THAT(html, HasSubstr("<td class=l>http://127.0.0.1:8000</td>"));
  EXPECT_THAT(html, HasSubstr("<td class=l>closed: 40 users, spawn rate 5/s</td>"));
  EXPECT_THAT(html, HasSubstr("data-key=users><th class=l>Users (most at once)</th>"
                              "<td class=l>40</td>"));
  EXPECT_THAT(html, HasSubstr("<td class=l>10 s</td>"));
  EXPECT_THAT(html, HasSubstr("<td class=l>Shopper (weight 4, 1 tasks)</td>"));
  EXPECT_THAT(html, HasSubstr("<td class=l>0.1.0</td>"));
}

TEST(HtmlSectionsTest, OneEscapedLatencyChartPerEndpoint) {
  const std::string html = HtmlReport(testing::SampleReport());
  EXPECT_THAT(html, HasSubstr("id=latency-chart-0 class=latency-chart data-endpoint=\"GET "
                              "/products\""));
  EXPECT_THAT(html, HasSubstr("data-endpoint=\"POST /orders, &quot;bulk&quot;\""));
  EXPECT_THAT(html, Not(HasSubstr("latency-chart-2")));
  // Eleven bars each (Locust's percentiles), the tallest at 100 %.
  EXPECT_THAT(html, HasSubstr("data-percentile=\"100%\" data-ms=\"72\""));
}

TEST(HtmlSectionsTest, P95ClimbingWithUsersNamesWhereItStarted) {
  const std::string html = HtmlReport(ClimbingReport());
  EXPECT_THAT(html, HasSubstr("p95 climbs with the user count, from 40 users on"));
  EXPECT_THAT(html, HasSubstr("p95 was 10.0 ms at 10 users and 64.0 ms at 40 users"));
}

TEST(HtmlSectionsTest, FlatLatencyAndSpreadFailuresGiveNoAdvice) {
  throng::v1::Report report = testing::SampleReport();  // p95 0 throughout
  report.mutable_endpoints(0)->set_failures(20);        // 20 of 45 failures: not concentrated
  report.mutable_aggregated()->set_failures(45);
  const std::string html = HtmlReport(report);
  EXPECT_THAT(html, HasSubstr("id=recommendations-none"));
  EXPECT_THAT(html, Not(HasSubstr("class=recommendation>")));
}

TEST(HtmlSectionsTest, ConcentratedFailuresDroppedIterationsAndBusyGenerator) {
  throng::v1::Report report = testing::SampleReport();  // all 25 failures on POST /orders
  report.mutable_job()->mutable_totals()->set_dropped_iterations(120);
  report.mutable_job()->mutable_totals()->set_late_iterations(30);
  report.mutable_job()->mutable_spec()->mutable_load()->mutable_open()->set_max_users(8);
  report.set_generator_cpu_utilization(0.93);
  (*report.mutable_endpoints(1)->mutable_failures_by_kind())["unexpected_status"] = 25;
  const std::string html = HtmlReport(report);
  EXPECT_THAT(html, HasSubstr("Failures are concentrated on POST /orders, &quot;bulk&quot;"));
  EXPECT_THAT(html, HasSubstr("100% of the failures (25 of 25) are on this endpoint "
                              "(25 unexpected_status)"));
  EXPECT_THAT(html, HasSubstr("120 iterations were dropped and 30 started late"));
  EXPECT_THAT(html, HasSubstr("Raise load.open.max_users (now 8)"));
  EXPECT_THAT(html, HasSubstr("throngd used 93% of the CPU"));
}

}  // namespace
}  // namespace throng::api::report
