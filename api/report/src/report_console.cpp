#include <fmt/format.h>

#include <algorithm>
#include <string>

#include "report_format.h"
#include "throng/api/report/console_report.h"

namespace throng::api::report {
namespace {

constexpr int kTypeWidth = 8;

// Wide enough for the longest name, like Locust's terminal-sized column but stable in files.
int NameWidth(const throng::v1::Report& report) {
  size_t width = 24;
  for (const auto& endpoint : report.endpoints()) width = std::max(width, endpoint.name().size());
  return static_cast<int>(width);
}

std::string Dashes(int count) { return std::string(static_cast<size_t>(count), '-'); }

// A latency cell: whole ms (Locust), or two decimals below 10 ms.
std::string Ms(double ms, const ConsoleOptions& options) {
  constexpr double kWholeFrom = 10.0;
  if (options.locust_rounding || ms >= kWholeFrom) return fmt::format("{:.0f}", ms);
  return fmt::format("{:.2f}", ms);
}

std::string StatsLine(const throng::v1::EndpointStats& stats, const std::string& name, int width,
                      const ConsoleOptions& options) {
  const auto& latency = stats.latency();
  const std::string fails =
      fmt::format("{}({:.2f}%)", stats.failures(), FailPercent(stats.requests(), stats.failures()));
  return fmt::format("{:<{}} {:<{}} {:>7} {:>12} |{:>7} {:>7} {:>7}{:>7} | {:>7.2f} {:>11.2f}\n",
                     stats.method(), kTypeWidth, name, width, stats.requests(), fails,
                     Ms(latency.avg_ms(), options), Ms(latency.min_ms(), options),
                     Ms(latency.max_ms(), options), Ms(latency.p50_ms(), options), stats.rps(),
                     stats.failures_per_s());
}

std::string StatsTable(const throng::v1::Report& report, int width, const ConsoleOptions& options) {
  std::string text = fmt::format(
      "{:<{}} {:<{}} {:>7} {:>12} |{:>7} {:>7} {:>7}{:>7} | {:>7} {:>11}\n", "Type", kTypeWidth,
      "Name", width, "# reqs", "# fails", "Avg", "Min", "Max", "Med", "req/s", "failures/s");
  const std::string separator = fmt::format("{}|{}|{}|{}|{}|{}|{}|{}|{}|{}\n", Dashes(kTypeWidth),
                                            Dashes(width + 1), Dashes(7), Dashes(13), Dashes(7),
                                            Dashes(7), Dashes(7), Dashes(7), Dashes(8), Dashes(11));
  text += separator;
  for (const auto& endpoint : report.endpoints())
    text += StatsLine(endpoint, endpoint.name(), width, options);
  text += separator;
  return text +
         StatsLine(report.aggregated(), AggregatedName(report.aggregated()), width, options) + "\n";
}

std::string PercentileLine(const throng::v1::EndpointStats& stats, const std::string& name,
                           int width, const ConsoleOptions& options) {
  std::string line = fmt::format("{:<{}} {:<{}}", stats.method(), kTypeWidth, name, width);
  for (double quantile : kLocustPercentiles) {
    const double fallback = quantile == 1.0 ? stats.latency().max_ms() : 0.0;
    line +=
        fmt::format(" {:>6}", Ms(PercentileMs(stats.percentiles(), quantile, fallback), options));
  }
  return line + fmt::format(" {:>8}\n", stats.requests());
}

std::string PercentileTable(const throng::v1::Report& report, int width,
                            const ConsoleOptions& options) {
  std::string text = "Response time percentiles (approximated)\n";
  text += fmt::format("{:<{}} {:<{}}", "Type", kTypeWidth, "Name", width);
  for (double quantile : kLocustPercentiles)
    text += fmt::format(" {:>6}", PercentileLabel(quantile));
  text += fmt::format(" {:>8}\n", "# reqs");
  std::string separator = Dashes(kTypeWidth) + "|" + Dashes(width);
  for (size_t i = 0; i < std::size(kLocustPercentiles); ++i) separator += "|" + Dashes(6);
  separator += "|" + Dashes(8) + "\n";
  text += separator;
  for (const auto& endpoint : report.endpoints()) {
    if (endpoint.requests() > 0) text += PercentileLine(endpoint, endpoint.name(), width, options);
  }
  text += separator;
  return text +
         PercentileLine(report.aggregated(), AggregatedName(report.aggregated()), width, options) +
         "\n";
}

std::string ErrorTable(const throng::v1::Report& report) {
  if (report.errors_size() == 0) return "";
  const std::string separator = Dashes(18) + "|" + Dashes(80) + "\n";
  std::string text = fmt::format("Error report\n{:<18} {}\n", "# occurrences", "Error") + separator;
  for (const auto& error : report.errors()) {
    text += fmt::format("{:<18} {} {}: {} ({})\n", error.occurrences(), error.method(),
                        error.name(), error.message(), KindName(error.kind()));
  }
  return text + separator + "\n";
}

/// The open model's schedule keeping: late and dropped iterations, when there were any.
std::string Schedule(const throng::v1::Report& report) {
  const auto& totals = report.job().totals();
  if (totals.late_iterations() == 0 && totals.dropped_iterations() == 0) return "";
  return fmt::format(
      "Iterations: {} run, {} late (waited for a free user; latency includes the wait), {} "
      "dropped\n\n",
      totals.iterations(), totals.late_iterations(), totals.dropped_iterations());
}

std::string Verdicts(const throng::v1::Report& report) {
  std::string text;
  if (report.thresholds_size() > 0) text += "Thresholds\n";
  for (const auto& threshold : report.thresholds()) {
    text += fmt::format(
        "  {}  {}{}  (measured {:.2f}){}\n", threshold.passed() ? "PASS" : "FAIL", threshold.expr(),
        threshold.request_name().empty() ? "" : " [" + threshold.request_name() + "]",
        threshold.observed(), threshold.aborted() ? "  aborted the job" : "");
  }
  return text + "Verdict: " + VerdictName(report.verdict()) +
         (report.final() ? "" : " (job still running)") + "\n";
}

}  // namespace

std::string ConsoleReport(const throng::v1::Report& report, const ConsoleOptions& options) {
  const int width = NameWidth(report);
  return StatsTable(report, width, options) + PercentileTable(report, width, options) +
         ErrorTable(report) + Schedule(report) + Verdicts(report);
}

}  // namespace throng::api::report
