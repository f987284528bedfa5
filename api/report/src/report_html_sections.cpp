#include "report_html_sections.h"

#include <fmt/format.h>
#include <google/protobuf/util/time_util.h>

#include <algorithm>

#include "report_format.h"
#include "report_recommendations.h"

namespace throng::api::report {
namespace {

using google::protobuf::util::TimeUtil;

std::string Seconds(const google::protobuf::Duration& duration) {
  return fmt::format("{:g} s",
                     static_cast<double>(TimeUtil::DurationToMilliseconds(duration)) / 1000.0);
}

std::string ClosedProfile(const throng::v1::ClosedModel& closed) {
  if (closed.stages_size() == 0) {
    return fmt::format("closed: {} users{}", closed.users(),
                       closed.spawn_rate() > 0
                           ? fmt::format(", spawn rate {:g}/s", closed.spawn_rate())
                           : std::string());
  }
  std::string stages;
  for (const auto& stage : closed.stages()) {
    stages += fmt::format("{}{} users for {}", stages.empty() ? "" : ", ", stage.users(),
                          Seconds(stage.duration()));
  }
  return fmt::format("closed, {} stages: {}", closed.stages_size(), stages);
}

std::string LoadProfile(const throng::v1::LoadProfile& load) {
  switch (load.model_case()) {
    case throng::v1::LoadProfile::kClosed:
      return ClosedProfile(load.closed());
    case throng::v1::LoadProfile::kOpen:
      return fmt::format("open: {:g} iterations/s{}, at most {} users", load.open().rate(),
                         load.open().stages_size() > 0
                             ? fmt::format(" ({} stages)", load.open().stages_size())
                             : std::string(),
                         load.open().max_users());
    case throng::v1::LoadProfile::kPerUserIterations:
      return fmt::format("per-user iterations: {} users x {}, {} at a time",
                         load.per_user_iterations().users(),
                         std::max(1u, load.per_user_iterations().iterations()),
                         load.per_user_iterations().max_concurrency() > 0
                             ? std::to_string(load.per_user_iterations().max_concurrency())
                             : std::string("all"));
    case throng::v1::LoadProfile::kSharedIterations:
      return fmt::format("shared iterations: {} over {} users",
                         load.shared_iterations().iterations(), load.shared_iterations().users());
    default:
      return "closed (defaults)";
  }
}

std::uint32_t MostUsers(const throng::v1::Report& report) {
  std::uint32_t most = report.job().totals().target_users();
  for (const auto& point : report.timeline()) most = std::max(most, point.users());
  return most;
}

std::string Row(const char* key, const char* label, const std::string& value) {
  return fmt::format("<tr data-key={}><th class=l>{}</th><td class=l>{}</td></tr>\n", key, label,
                     HtmlEscape(value));
}

// Bars of one endpoint's latency at each percentile, scaled to its own maximum.
std::string LatencyChart(const throng::v1::EndpointStats& stats, int index) {
  constexpr int kWidth = 440, kHeight = 150, kLeft = 8, kBottom = 30, kTop = 16;
  const int count = static_cast<int>(std::size(kLocustPercentiles));
  std::vector<double> values;
  for (double quantile : kLocustPercentiles) {
    values.push_back(PercentileMs(stats.percentiles(), quantile,
                                  quantile == 1.0 ? stats.latency().max_ms() : 0.0));
  }
  const double top = std::max(*std::max_element(values.begin(), values.end()), 1e-3);
  const double slot = static_cast<double>(kWidth - kLeft) / count;
  std::string bars;
  for (int i = 0; i < count; ++i) {
    const double height = (kHeight - kBottom - kTop) * values[i] / top;
    const double x = kLeft + slot * i + 2;
    const double y = kHeight - kBottom - height;
    bars += fmt::format(
        "<rect class=bar x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" "
        "data-percentile=\"{}\" data-ms=\"{}\"><title>{}: {} ms</title></rect>"
        "<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"9\">{}</text>"
        "<text x=\"{:.1f}\" y=\"{}\" font-size=\"9\">{}</text>\n",
        x, y, slot - 4, height, PercentileLabel(kLocustPercentiles[i]), values[i],
        PercentileLabel(kLocustPercentiles[i]), ReadableMs(values[i]), x, y - 3,
        ReadableMs(values[i]), x, kHeight - kBottom + 12, PercentileLabel(kLocustPercentiles[i]));
  }
  const std::string label = HtmlEscape(EndpointLabel(stats));
  return fmt::format(
      "<div class=chart><h3>{0}</h3><svg id=latency-chart-{1} class=latency-chart "
      "data-endpoint=\"{0}\" viewBox=\"0 0 {2} {3}\" width=\"100%\" height=\"{3}\" "
      "role=img aria-label=\"latency percentiles of {0}\">\n{4}</svg></div>\n",
      label, index, kWidth, kHeight, bars);
}

}  // namespace

std::string HtmlEscape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string ConfigSection(const throng::v1::Report& report) {
  const auto& job = report.job();
  const auto& spec = job.spec();
  std::string classes;
  for (const auto& user_class : spec.user_classes()) {
    classes +=
        fmt::format("{}{} (weight {}, {} tasks)", classes.empty() ? "" : ", ", user_class.name(),
                    std::max(1u, user_class.weight()), user_class.tasks_size());
  }
  std::string html = "<h2>Configuration</h2><table id=config>\n";
  html += Row("target", "Target", spec.base_url());
  html += Row("load", "Load profile", LoadProfile(spec.load()));
  html += Row("users", "Users (most at once)", std::to_string(MostUsers(report)));
  html += Row("duration", "Duration", Seconds(report.duration()));
  html += Row("classes", "User classes", classes);
  if (job.has_started_at()) html += Row("started", "Started", TimeUtil::ToString(job.started_at()));
  if (job.has_ended_at()) html += Row("ended", "Ended", TimeUtil::ToString(job.ended_at()));
  html += Row("version", "Daemon version",
              report.daemon_version().empty() ? "unknown" : report.daemon_version());
  return html + "</table>\n";
}

std::string EndpointLatencyCharts(const throng::v1::Report& report) {
  std::string html = "<h2>Latency by endpoint</h2><div class=charts id=endpoint-charts>\n";
  int index = 0;
  for (const auto& endpoint : report.endpoints()) {
    if (endpoint.requests() > 0) html += LatencyChart(endpoint, index++);
  }
  if (index == 0) html += "<p>No requests.</p>\n";
  return html + "</div>\n";
}

std::string RecommendationSection(const throng::v1::Report& report) {
  const std::vector<Recommendation> advice = Recommend(report);
  std::string html = "<h2>Recommendations</h2>\n";
  if (advice.empty()) {
    return html + "<p id=recommendations-none>Nothing in this run points at a bottleneck.</p>\n";
  }
  html += "<ul id=recommendations>\n";
  for (const Recommendation& item : advice) {
    html += fmt::format("<li class=recommendation><b>{}</b><br>{}</li>\n", HtmlEscape(item.title),
                        HtmlEscape(item.detail));
  }
  return html + "</ul>\n";
}

}  // namespace throng::api::report
