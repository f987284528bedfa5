// Redirect hops (EndpointStats.redirects) in the HTML and JSON reports (the CSV's column is in
// report_csv_test).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "report_fixture.h"
#include "throng/api/report/html_report.h"
#include "throng/api/report/json_report.h"

namespace throng::api::report {
namespace {

using ::testing::HasSubstr;

throng::v1::Report WithRedirects() {
  throng::v1::Report report = testing::SampleReport();
  report.mutable_endpoints(0)->set_redirects(1800);
  report.mutable_aggregated()->set_redirects(1800);
  return report;
}

TEST(ReportRedirectsTest, TheHtmlTableHasARedirectsColumn) {
  const std::string html = HtmlReport(WithRedirects());
  EXPECT_THAT(html, HasSubstr("<th>failures/s</th><th>redirects</th></tr>"));
  // /products: 90 req/s, no failures, 1800 hops; /orders followed none.
  EXPECT_THAT(html, HasSubstr("<td>90.00</td><td>0.00</td><td>1800</td></tr>"));
  EXPECT_THAT(html, HasSubstr("<td>10.00</td><td>2.50</td><td>0</td></tr>"));
  EXPECT_THAT(html, HasSubstr("<td>100.00</td><td>2.50</td><td>1800</td></tr>"));  // Aggregated
}

TEST(ReportRedirectsTest, TheJsonEndpointsCarryTheirRedirects) {
  const auto json = nlohmann::json::parse(JsonReport(WithRedirects()));
  EXPECT_EQ(json["endpoints"][0]["redirects"], 1800);
  EXPECT_EQ(json["endpoints"][1]["redirects"], 0);
  EXPECT_EQ(json["aggregated"]["redirects"], 1800);
}

}  // namespace
}  // namespace throng::api::report
