#include "report_format.h"

#include <fmt/format.h>

#include <cctype>
#include <cmath>

namespace throng::api::report {

std::string PercentileLabel(double quantile) {
  const double percent = quantile * 100;
  // Python's round(x, 6) then repr; trailing zeros never appear for Locust's list.
  const double rounded = std::round(percent * 1e6) / 1e6;
  if (rounded == std::floor(rounded)) return fmt::format("{}%", static_cast<long long>(rounded));
  return fmt::format("{}%", rounded);
}

double PercentileMs(const google::protobuf::RepeatedPtrField<throng::v1::Percentile>& percentiles,
                    double quantile, double fallback) {
  for (const auto& percentile : percentiles) {
    const double q =
        percentile.quantile() > 1.0 ? percentile.quantile() / 100 : percentile.quantile();
    if (std::abs(q - quantile) < 1e-9) return percentile.ms();
  }
  return fallback;
}

double FailPercent(uint64_t requests, uint64_t failures) {
  return requests == 0 ? 0.0
                       : 100.0 * static_cast<double>(failures) / static_cast<double>(requests);
}

std::string AggregatedName(const throng::v1::EndpointStats& aggregated) {
  return aggregated.name().empty() ? "Aggregated" : aggregated.name();
}

std::string ReadableMs(double ms) {
  if (ms < 10) return fmt::format("{:.2f}", ms);
  if (ms < 100) return fmt::format("{:.1f}", ms);
  return fmt::format("{:.0f}", ms);
}

std::string EndpointLabel(const throng::v1::EndpointStats& stats) {
  const std::string& method = stats.method();
  if (method.empty() || stats.name().rfind(method + " ", 0) == 0) return stats.name();
  return method + " " + stats.name();
}

}  // namespace throng::api::report
