#include "throng/cli/live_view.h"

#include <fmt/format.h>

#include <algorithm>
#include <ostream>

#include "throng/cli/render.h"

namespace throng::cli {
namespace {

std::string Row(const std::string& name, const throng::v1::EndpointSnapshot& endpoint) {
  const auto& latency = endpoint.interval();
  return fmt::format("{:<32} {:>10} {:>9} {:>9.1f} {:>8.1f} {:>8.1f} {:>8.1f}\n", name,
                     endpoint.requests(), endpoint.failures(), endpoint.rps(), latency.p50_ms(),
                     latency.p95_ms(), latency.p99_ms());
}

}  // namespace

std::string ProgressBar(double progress, int width) {
  if (progress < 0) return "unbounded";
  const double clamped = std::clamp(progress, 0.0, 1.0);
  const int filled = static_cast<int>(clamped * width);
  return fmt::format("[{}{}] {:>3.0f}%", std::string(static_cast<size_t>(filled), '#'),
                     std::string(static_cast<size_t>(width - filled), '.'), clamped * 100);
}

std::string LiveTable(const throng::v1::JobSnapshot& snapshot) {
  const auto& totals = snapshot.totals();
  std::string text = ProgressLine(snapshot.state(), snapshot.elapsed_seconds(), totals) + "\n";
  text += ProgressBar(totals.progress(), 40) + "\n";
  text += fmt::format("{:<32} {:>10} {:>9} {:>9} {:>8} {:>8} {:>8}\n", "NAME", "REQUESTS",
                      "FAILURES", "RPS", "P50 ms", "P95 ms", "P99 ms");
  for (const auto& endpoint : snapshot.endpoints()) {
    text +=
        Row(endpoint.method().empty() ? endpoint.name() : endpoint.method() + " " + endpoint.name(),
            endpoint);
  }
  if (snapshot.has_aggregated()) text += Row("Aggregated", snapshot.aggregated());
  return text;
}

void LiveView::Show(const throng::v1::JobSnapshot& snapshot) {
  if (!terminal_) {
    out_ << ProgressLine(snapshot.state(), snapshot.elapsed_seconds(), snapshot.totals()) << "\n"
         << std::flush;
    return;
  }
  const std::string frame = LiveTable(snapshot);
  // Up to the first line of the previous frame, then clear to the end of the screen.
  if (previous_lines_ > 0) out_ << fmt::format("\x1b[{}F\x1b[J", previous_lines_);
  out_ << frame << std::flush;
  previous_lines_ = static_cast<int>(std::count(frame.begin(), frame.end(), '\n'));
}

}  // namespace throng::cli
