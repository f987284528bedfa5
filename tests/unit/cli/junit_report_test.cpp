#include "throng/cli/junit_report.h"

#include <gtest/gtest.h>

namespace throng::cli {
namespace {

TEST(JUnitReportTest, ThresholdsAndEndpointsAreTestCases) {
  throng::v1::Report report;
  report.mutable_job()->mutable_spec()->set_name("todo <crud>");
  auto* passed = report.add_thresholds();
  passed->set_expr("p(95) < 500ms");
  passed->set_passed(true);
  auto* failed = report.add_thresholds();
  failed->set_expr("rps > 100");
  failed->set_request_name("GET /todos/");
  failed->set_observed(42.5);
  auto* endpoint = report.add_endpoints();
  endpoint->set_name("GET /todos/");
  endpoint->set_method("GET");
  endpoint->set_requests(10);
  endpoint->set_failures(3);
  (*endpoint->mutable_failures_by_kind())["status"] = 3;
  const std::string xml = JUnitReport(report);
  EXPECT_NE(xml.find("<testsuite name=\"todo &lt;crud&gt;\" tests=\"3\" failures=\"2\""),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<testcase classname=\"thresholds\" name=\"p(95) &lt; 500ms\"/>"),
            std::string::npos);
  EXPECT_NE(xml.find("threshold failed: rps &gt; 100 [GET /todos/] (observed 42.500)"),
            std::string::npos);
  EXPECT_NE(xml.find("name=\"failures: GET /todos/\""), std::string::npos);
  EXPECT_NE(xml.find("3 of 10 requests failed"), std::string::npos);
  EXPECT_NE(xml.find("status: 3"), std::string::npos);
}

TEST(JUnitReportTest, EscapesControlCharacters) {
  EXPECT_EQ(XmlEscape("a\x01<\"'&"), "a?&lt;&quot;&#39;&amp;");
}

}  // namespace
}  // namespace throng::cli
