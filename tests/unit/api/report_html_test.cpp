#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "report_fixture.h"
#include "throng/api/report/html_report.h"

namespace throng::api::report {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(HtmlReportTest, IsSelfContainedWithTablesAndVerdict) {
  const std::string html = HtmlReport(testing::SampleReport());
  EXPECT_THAT(html, Not(HasSubstr("http://")));
  EXPECT_THAT(html, Not(HasSubstr("https://")));
  EXPECT_THAT(html, Not(HasSubstr("<script src")));
  EXPECT_THAT(html, Not(HasSubstr("<link")));
  // /products: avg 15 ms, min 3 ms, max 72 ms, p50 12 ms, p95 36 ms, p99 48 ms; sub-10 ms
  // values keep two decimals so a fast backend does not read as zeros.
  EXPECT_THAT(html, HasSubstr("<td class=l>/products</td><td>900</td><td>0 (0.00%)</td>"
                              "<td>15.0</td><td>3.00</td><td>72.0</td><td>12.0</td><td>36.0</td>"
                              "<td>48.0</td>"));
  EXPECT_THAT(html, HasSubstr("<td class=l>/orders, &quot;bulk&quot;</td>"));
  EXPECT_THAT(html, HasSubstr("<tr class=agg>"));
  EXPECT_THAT(html, HasSubstr("unexpected status 500"));
  EXPECT_THAT(html, HasSubstr("id=verdict class=\"verdict FAIL\">FAIL<"));
  EXPECT_THAT(html, HasSubstr("fail_rate &lt; 1%"));
}

TEST(HtmlReportTest, MarkupFromTargetsCannotEscapeTheEmbeddedData) {
  throng::v1::Report report = testing::SampleReport();
  report.mutable_errors(0)->set_message("</script><img src=x onerror=alert(1)>");
  const std::string html = HtmlReport(report);
  EXPECT_THAT(html, Not(HasSubstr("</script><img")));
  EXPECT_THAT(html, HasSubstr("&lt;/script&gt;&lt;img"));
}

}  // namespace
}  // namespace throng::api::report
