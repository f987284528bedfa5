#include "throng/cli/compare.h"

#include <fmt/format.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "throng/cli/error.h"

namespace throng::cli {
namespace {

using nlohmann::json;

constexpr double kMaxPercent = 1000;

double Number(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_number() ? it->get<double>() : 0.0;
}

EndpointFigures Endpoint(const json& entry) {
  EndpointFigures figures;
  figures.method = entry.value("method", "");
  figures.name = entry.value("name", "");
  figures.requests = Number(entry, "requests");
  figures.rps = Number(entry, "rps");
  figures.fail_percent = Number(entry, "fail_percent");
  const json latency = entry.value("latency_ms", json::object());
  figures.p50 = Number(latency, "p50");
  figures.p95 = Number(latency, "p95");
  figures.p99 = Number(latency, "p99");
  return figures;
}

double ParsePercent(const std::string& text, const std::string& whole) {
  std::string number = text;
  if (!number.empty() && number.back() == '%') number.pop_back();
  char* end = nullptr;
  const double value = std::strtod(number.c_str(), &end);
  if (number.empty() || end != number.c_str() + number.size() || !(value >= 0) ||
      value > kMaxPercent) {
    throw InputError("--max-regression: \"" + whole + "\": expected a percentage in 0..1000");
  }
  return value;
}

double Change(double base, double next) {
  return base > 0 ? (next - base) / base * 100.0 : (next > 0 ? 100.0 : 0.0);
}

void CheckLatency(const char* metric, double base, double next, const std::optional<double>& limit,
                  const RegressionLimits& limits, std::vector<std::string>* regressions) {
  if (!limit || next - base < limits.min_latency_change_ms) return;
  const double change = Change(base, next);
  if (change > *limit) {
    regressions->push_back(fmt::format("{} {:+.1f}% (limit {}%)", metric, change, *limit));
  }
}

ComparedEndpoint CompareRow(const std::optional<EndpointFigures>& base,
                            const std::optional<EndpointFigures>& next,
                            const RegressionLimits& limits) {
  ComparedEndpoint row{base, next, {}};
  if (!base || !next) return row;
  CheckLatency("p50", base->p50, next->p50, limits.p50_percent, limits, &row.regressions);
  CheckLatency("p95", base->p95, next->p95, limits.p95_percent, limits, &row.regressions);
  CheckLatency("p99", base->p99, next->p99, limits.p99_percent, limits, &row.regressions);
  if (limits.rps_drop_percent && -Change(base->rps, next->rps) > *limits.rps_drop_percent) {
    row.regressions.push_back(fmt::format("req/s {:+.1f}% (limit -{}%)",
                                          Change(base->rps, next->rps), *limits.rps_drop_percent));
  }
  const double points = next->fail_percent - base->fail_percent;
  if (limits.fail_rate_points && points > *limits.fail_rate_points) {
    row.regressions.push_back(
        fmt::format("failures {:+.2f} points (limit {} points)", points, *limits.fail_rate_points));
  }
  return row;
}

}  // namespace

void AddRegressionLimit(const std::string& text, RegressionLimits* limits) {
  const std::size_t eq = text.find('=');
  const std::string metric = eq == std::string::npos ? "p95" : text.substr(0, eq);
  const double value = ParsePercent(eq == std::string::npos ? text : text.substr(eq + 1), text);
  if (metric == "p50") {
    limits->p50_percent = value;
  } else if (metric == "p95") {
    limits->p95_percent = value;
  } else if (metric == "p99") {
    limits->p99_percent = value;
  } else if (metric == "rps") {
    limits->rps_drop_percent = value;
  } else if (metric == "fail_rate") {
    limits->fail_rate_points = value;
  } else {
    throw InputError("--max-regression: \"" + text +
                     "\": the metric is one of p50, p95, p99, rps, fail_rate (e.g. p95=10%)");
  }
}

ReportFigures ParseReportFigures(const std::string& json_text, const std::string& label) {
  const json root = json::parse(json_text, nullptr, false);
  if (root.is_discarded() || !root.is_object() || !root.contains("endpoints") ||
      !root["endpoints"].is_array() || !root.contains("aggregated")) {
    throw InputError(label + ": not a Throng JSON report (throngctl report ID --json FILE)");
  }
  ReportFigures figures;
  figures.label = label;
  figures.test_name = root.value("job", json::object()).value("name", "");
  for (const json& entry : root["endpoints"]) {
    if (entry.is_object()) figures.endpoints.push_back(Endpoint(entry));
  }
  figures.aggregated = Endpoint(root["aggregated"]);
  figures.aggregated.name = "Aggregated";
  figures.aggregated.method = "";
  return figures;
}

Comparison CompareReports(const ReportFigures& base, const ReportFigures& next,
                          const RegressionLimits& limits) {
  Comparison comparison{base.label, next.label, {}, false};
  auto find = [](const ReportFigures& report,
                 const EndpointFigures& key) -> std::optional<EndpointFigures> {
    for (const auto& endpoint : report.endpoints) {
      if (endpoint.method == key.method && endpoint.name == key.name) return endpoint;
    }
    return std::nullopt;
  };
  for (const auto& endpoint : base.endpoints) {
    comparison.rows.push_back(CompareRow(endpoint, find(next, endpoint), limits));
  }
  for (const auto& endpoint : next.endpoints) {
    if (!find(base, endpoint))
      comparison.rows.push_back(CompareRow(std::nullopt, endpoint, limits));
  }
  comparison.rows.push_back(CompareRow(base.aggregated, next.aggregated, limits));
  for (const auto& row : comparison.rows) comparison.regressed |= !row.regressions.empty();
  return comparison;
}

}  // namespace throng::cli
