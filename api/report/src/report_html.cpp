#include <fmt/format.h>

#include "report_format.h"
#include "report_html_assets.h"
#include "report_html_sections.h"
#include "throng/api/report/html_report.h"
#include "throng/api/report/json_report.h"

namespace throng::api::report {
namespace {

// Inside <script>, only "</" can end the element early; "<\/" means the same to JSON.parse.
std::string ScriptSafe(std::string json) {
  for (size_t at = json.find("</"); at != std::string::npos; at = json.find("</", at + 3)) {
    json.replace(at, 2, "<\\/");
  }
  return json;
}

std::string EndpointRow(const throng::v1::EndpointStats& stats, const std::string& name,
                        bool aggregated) {
  const auto& latency = stats.latency();
  return fmt::format(
      "<tr{}><td class=l>{}</td><td class=l>{}</td><td>{}</td><td>{} ({:.2f}%)</td><td>{}</td>"
      "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
      "<td>{:.2f}</td><td>{:.2f}</td><td>{}</td></tr>\n",
      aggregated ? " class=agg" : "", HtmlEscape(stats.method()), HtmlEscape(name),
      stats.requests(), stats.failures(), FailPercent(stats.requests(), stats.failures()),
      ReadableMs(latency.avg_ms()), ReadableMs(latency.min_ms()), ReadableMs(latency.max_ms()),
      ReadableMs(latency.p50_ms()), ReadableMs(latency.p95_ms()), ReadableMs(latency.p99_ms()),
      stats.rps(), stats.failures_per_s(), stats.redirects());
}

std::string EndpointTable(const throng::v1::Report& report) {
  std::string html =
      "<h2>Requests</h2><table id=endpoints><tr><th class=l>Type</th><th class=l>Name</th>"
      "<th># reqs</th><th># fails</th><th>Avg ms</th><th>Min ms</th><th>Max ms</th><th>Med ms</th>"
      "<th>p95 ms</th><th>p99 ms</th><th>req/s</th><th>failures/s</th><th>redirects</th></tr>\n";
  for (const auto& endpoint : report.endpoints()) {
    html += EndpointRow(endpoint, endpoint.name(), false);
  }
  html += EndpointRow(report.aggregated(), AggregatedName(report.aggregated()), true);
  return html + "</table>\n";
}

std::string ErrorTable(const throng::v1::Report& report) {
  if (report.errors_size() == 0) return "<h2>Errors</h2><p>No failures.</p>\n";
  std::string html =
      "<h2>Errors</h2><table id=errors><tr><th># occurrences</th><th class=l>Type</th>"
      "<th class=l>Name</th><th class=l>Kind</th><th class=l>Error</th></tr>\n";
  for (const auto& error : report.errors()) {
    html += fmt::format(
        "<tr><td>{}</td><td class=l>{}</td><td class=l>{}</td><td class=l>{}</td>"
        "<td class=l>{}</td></tr>\n",
        error.occurrences(), HtmlEscape(error.method()), HtmlEscape(error.name()),
        KindName(error.kind()), HtmlEscape(error.message()));
  }
  return html + "</table>\n";
}

std::string ThresholdTable(const throng::v1::Report& report) {
  const std::string verdict = VerdictName(report.verdict());
  std::string html =
      fmt::format("<h2>Verdict <span id=verdict class=\"verdict {0}\">{0}</span></h2>\n", verdict);
  if (report.thresholds_size() == 0) return html;
  html +=
      "<table id=thresholds><tr><th class=l>Result</th><th class=l>Threshold</th>"
      "<th class=l>Request</th><th>Measured</th></tr>\n";
  for (const auto& threshold : report.thresholds()) {
    const char* result = threshold.passed() ? "PASS" : "FAIL";
    html += fmt::format(
        "<tr><td class=l><span class=\"verdict {0}\">{0}</span>{1}</td><td class=l>{2}</td>"
        "<td class=l>{3}</td><td>{4:.2f}</td></tr>\n",
        result, threshold.aborted() ? " aborted" : "", HtmlEscape(threshold.expr()),
        HtmlEscape(threshold.request_name()), threshold.observed());
  }
  return html + "</table>\n";
}

std::string Charts() {
  std::string html = "<h2>Over time</h2><div class=charts>\n";
  for (const auto& [id, title] :
       {std::pair{"rps", "Requests per second"},
        std::pair{"latency", "Latency (ms): p50, p95, p99"}, std::pair{"users", "Users"},
        std::pair{"errors", "Failures per second"}}) {
    html += fmt::format(
        "<div class=chart><h3>{1}</h3><canvas id=chart-{0} data-chart={0}></canvas></div>\n", id,
        title);
  }
  return html + "</div>\n";
}

}  // namespace

std::string HtmlReport(const throng::v1::Report& report) {
  const auto& job = report.job();
  const std::string title = HtmlEscape(job.spec().name().empty() ? job.id() : job.spec().name());
  std::string html = fmt::format(
      "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>\n<title>Throng report: "
      "{}</title>\n"
      "<style>{}</style></head><body>\n<h1>{}</h1>\n<div class=meta>job {} &middot; {} &middot; "
      "{} requests, {} failures{}</div>\n",
      title, kReportCss, title, HtmlEscape(job.id()), throng::v1::JobState_Name(job.state()),
      report.aggregated().requests(), report.aggregated().failures(),
      report.final() ? "" : " &middot; still running");
  html += ThresholdTable(report) + RecommendationSection(report) + ConfigSection(report) +
          Charts() + EndpointTable(report) + EndpointLatencyCharts(report) + ErrorTable(report);
  html += "<script type=\"application/json\" id=report-data>" + ScriptSafe(JsonReport(report)) +
          "</script>\n<script>" + kReportScript + "</script>\n</body></html>\n";
  return html;
}

}  // namespace throng::api::report
