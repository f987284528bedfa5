#include "throng/cli/junit_report.h"

#include <fmt/format.h>
#include <google/protobuf/util/time_util.h>

#include <vector>

#include "throng/api/report/html_escape.h"

namespace throng::cli {
namespace {

struct TestCase {
  std::string classname;
  std::string name;
  std::string failure;  // empty: passed
  std::string detail;
};

std::string Render(const std::string& suite, double seconds, const std::vector<TestCase>& cases) {
  std::size_t failures = 0;
  for (const TestCase& test : cases) failures += test.failure.empty() ? 0 : 1;
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  xml += fmt::format("<testsuites name=\"throng\" tests=\"{}\" failures=\"{}\" time=\"{:.3f}\">\n",
                     cases.size(), failures, seconds);
  xml += fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" time=\"{:.3f}\">\n",
                     XmlEscape(suite), cases.size(), failures, seconds);
  for (const TestCase& test : cases) {
    xml += fmt::format("    <testcase classname=\"{}\" name=\"{}\"", XmlEscape(test.classname),
                       XmlEscape(test.name));
    if (test.failure.empty()) {
      xml += "/>\n";
      continue;
    }
    xml += fmt::format(">\n      <failure message=\"{}\">{}</failure>\n    </testcase>\n",
                       XmlEscape(test.failure), XmlEscape(test.detail));
  }
  xml += "  </testsuite>\n</testsuites>\n";
  return xml;
}

}  // namespace

std::string EndpointLabel(const std::string& method, const std::string& name) {
  if (method.empty() || name.rfind(method + " ", 0) == 0) return name;
  return method + " " + name;
}

std::string XmlEscape(const std::string& text) {
  // XML 1.0 forbids most control characters even escaped.
  std::string printable = text;
  for (char& c : printable) {
    if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r') c = '?';
  }
  return api::report::HtmlEscape(printable);
}

std::string JUnitReport(const throng::v1::Report& report) {
  std::vector<TestCase> cases;
  for (const auto& threshold : report.thresholds()) {
    TestCase test{"thresholds", threshold.expr(), "", ""};
    if (!threshold.request_name().empty()) test.name += " [" + threshold.request_name() + "]";
    if (!threshold.passed()) {
      test.failure =
          fmt::format("threshold failed: {} (observed {:.3f})", test.name, threshold.observed());
      test.detail = threshold.aborted() ? "this threshold aborted the job" : "";
    }
    cases.push_back(std::move(test));
  }
  for (const auto& endpoint : report.endpoints()) {
    TestCase test{"endpoints", "failures: " + EndpointLabel(endpoint.method(), endpoint.name()), "",
                  ""};
    if (endpoint.failures() > 0) {
      test.failure =
          fmt::format("{} of {} requests failed", endpoint.failures(), endpoint.requests());
      for (const auto& [kind, count] : endpoint.failures_by_kind()) {
        test.detail += fmt::format("{}: {}\n", kind, count);
      }
    }
    cases.push_back(std::move(test));
  }
  const double seconds =
      static_cast<double>(
          google::protobuf::util::TimeUtil::DurationToMilliseconds(report.duration())) /
      1000.0;
  return Render(report.job().spec().name(), seconds, cases);
}

}  // namespace throng::cli
