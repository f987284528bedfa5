#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "report_fixture.h"
#include "throng/api/report/json_report.h"

namespace throng::api::report {
namespace {

nlohmann::json Render(const throng::v1::Report& report) {
  return nlohmann::json::parse(JsonReport(report));
}

TEST(JsonReportTest, HasJobConfigAndSummary) {
  throng::v1::Report report = testing::SampleReport();
  report.mutable_job()->mutable_spec()->set_base_url("http://127.0.0.1:8000");
  const auto json = Render(report);
  EXPECT_EQ(json["job"]["id"], "j-20260101-000001");
  EXPECT_EQ(json["job"]["state"], "COMPLETED");
  EXPECT_EQ(json["config"]["name"], "shop smoke");
  EXPECT_EQ(json["config"]["base_url"], "http://127.0.0.1:8000");
  EXPECT_EQ(json["summary"]["requests"], 1000);
  EXPECT_EQ(json["summary"]["failures"], 25);
  EXPECT_DOUBLE_EQ(json["summary"]["fail_percent"].get<double>(), 2.5);
  EXPECT_DOUBLE_EQ(json["summary"]["duration_s"].get<double>(), 10);
  EXPECT_EQ(json["verdict"], "FAIL");
}

TEST(JsonReportTest, EndpointsCarryLatenciesAndPercentiles) {
  const auto json = Render(testing::SampleReport());
  ASSERT_EQ(json["endpoints"].size(), 2u);
  const auto& products = json["endpoints"][0];
  EXPECT_EQ(products["name"], "/products");
  EXPECT_EQ(products["method"], "GET");
  EXPECT_EQ(products["requests"], 900);
  EXPECT_DOUBLE_EQ(products["latency_ms"]["p95"].get<double>(), 36);
  EXPECT_DOUBLE_EQ(products["percentiles_ms"]["99.9%"].get<double>(), 60);
  EXPECT_EQ(json["aggregated"]["requests"], 1000);
}

TEST(JsonReportTest, ErrorsAreGroupedByType) {
  const auto json = Render(testing::SampleReport());
  ASSERT_EQ(json["errors"].size(), 1u);
  EXPECT_EQ(json["errors"][0]["type"], "unexpected_status");
  EXPECT_EQ(json["errors"][0]["message"], "unexpected status 500");
  EXPECT_EQ(json["errors_by_type"]["unexpected_status"], 25);
}

TEST(JsonReportTest, ThresholdsAndTimeline) {
  const auto json = Render(testing::SampleReport());
  ASSERT_EQ(json["thresholds"].size(), 2u);
  EXPECT_EQ(json["thresholds"][1]["passed"], false);
  EXPECT_DOUBLE_EQ(json["thresholds"][1]["observed"].get<double>(), 25);
  ASSERT_EQ(json["timeline"].size(), 4u);
  EXPECT_EQ(json["timeline"][3]["users"], 40);
  EXPECT_DOUBLE_EQ(json["timeline"][3]["rps"].get<double>(), 250);
  EXPECT_EQ(json["timeline"][3]["unix_ms"], 1767225603000LL);
  EXPECT_DOUBLE_EQ(json["timeline"][0]["percentiles_ms"]["95%"].get<double>(), 35);
}

TEST(JsonReportTest, InvalidUtf8FromATargetDoesNotLoseTheReport) {
  throng::v1::Report report = testing::SampleReport();
  report.mutable_errors(0)->set_message(std::string("bad \xff byte"));
  const auto json = Render(report);
  EXPECT_EQ(json["errors"][0]["occurrences"], 25);
}

}  // namespace
}  // namespace throng::api::report
