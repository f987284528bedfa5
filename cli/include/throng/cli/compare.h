#pragma once

#include <optional>
#include <string>
#include <vector>

namespace throng::cli {

/// One endpoint's figures in a report (latencies in ms, failure rate in %).
struct EndpointFigures {
  std::string method;
  std::string name;
  double requests = 0;
  double rps = 0;
  double p50 = 0;
  double p95 = 0;
  double p99 = 0;
  double fail_percent = 0;
};

/// The parts of a JSON report (`throngctl report --json`) that `compare` reads.
struct ReportFigures {
  std::string label;  // the job id or file name
  std::string test_name;
  std::vector<EndpointFigures> endpoints;
  EndpointFigures aggregated;
};

/// How much worse NEW may be than BASE before it is a regression. A limit left unset is not
/// checked. Latency limits ignore changes smaller than `min_latency_change_ms` (noise of fast
/// endpoints).
struct RegressionLimits {
  std::optional<double> p50_percent;
  std::optional<double> p95_percent;
  std::optional<double> p99_percent;
  /// Fall of requests/s, in percent of BASE.
  std::optional<double> rps_drop_percent;
  /// Rise of the failure rate, in percentage points.
  std::optional<double> fail_rate_points;
  double min_latency_change_ms = 1.0;
};

/// Parses one --max-regression value: "10%" (p95), "p50=10%", "p95=10%", "p99=20%", "rps=5%",
/// "fail_rate=1%". Throws InputError naming the flag and the accepted forms; percentages must be in
/// 0..1000.
void AddRegressionLimit(const std::string& text, RegressionLimits* limits);

/// Reads a JSON report; throws InputError naming `label` when it is not one.
ReportFigures ParseReportFigures(const std::string& json_text, const std::string& label);

/// One row of the comparison: an endpoint in both, or in only one of the reports.
struct ComparedEndpoint {
  std::optional<EndpointFigures> base;
  std::optional<EndpointFigures> next;
  /// What exceeded a limit, e.g. "p95 +35.0% (limit 10%)"; empty when within limits.
  std::vector<std::string> regressions;
};

/// The comparison of two reports: rows by endpoint (BASE's order, then endpoints new in NEW),
/// the aggregated row last. `regressed` is true when any row has a regression.
struct Comparison {
  std::string base_label;
  std::string next_label;
  std::vector<ComparedEndpoint> rows;
  bool regressed = false;
};

Comparison CompareReports(const ReportFigures& base, const ReportFigures& next,
                          const RegressionLimits& limits);

/// The console table and the verdict line.
std::string CompareTable(const Comparison& comparison);
/// A self-contained HTML page, BASE and NEW side by side.
std::string CompareHtml(const Comparison& comparison);

}  // namespace throng::cli
