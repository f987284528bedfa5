#include "throng/api/report/report_merge.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <map>
#include <string>
#include <tuple>

#include "throng/api/common/endpoint_stats.h"
#include "throng/api/common/job_messages.h"

namespace throng::api::report {
namespace {

using google::protobuf::util::TimeUtil;

// Severity of a segment's state for the fleet's: one failed segment fails the run, one still
// running keeps it running.
int Severity(v1::JobState state) {
  switch (state) {
    case v1::FAILED:
      return 9;
    case v1::INTERRUPTED:
      return 8;
    case v1::ABORTED:
      return 7;
    case v1::STOPPED:
      return 6;
    case v1::COMPLETED:
      return 1;
    default:
      return 10;  // not final: the fleet is not either
  }
}

void AddTotals(const v1::JobTotals& from, v1::JobTotals& into, bool first) {
  into.set_requests(into.requests() + from.requests());
  into.set_failures(into.failures() + from.failures());
  into.set_iterations(into.iterations() + from.iterations());
  into.set_dropped_iterations(into.dropped_iterations() + from.dropped_iterations());
  into.set_late_iterations(into.late_iterations() + from.late_iterations());
  into.set_active_users(into.active_users() + from.active_users());
  into.set_target_users(into.target_users() + from.target_users());
  into.set_target_rate(into.target_rate() + from.target_rate());
  into.set_current_rps(into.current_rps() + from.current_rps());
  into.set_paused(into.paused() || from.paused());
  if (first) {
    into.set_stage(from.stage());
    into.set_progress(from.progress());
  } else if (from.progress() >= 0) {
    into.set_progress(std::min(into.progress(), from.progress()));
  }
}

void MergeJob(const v1::Job& from, v1::Job& into, bool first) {
  if (first) {
    *into.mutable_spec() = from.spec();
    into.set_state(from.state());
    *into.mutable_created_at() = from.created_at();
    *into.mutable_started_at() = from.started_at();
    *into.mutable_ended_at() = from.ended_at();
  } else {
    if (Severity(from.state()) > Severity(into.state())) into.set_state(from.state());
    if (from.started_at() < into.started_at()) *into.mutable_started_at() = from.started_at();
    if (into.ended_at() < from.ended_at()) *into.mutable_ended_at() = from.ended_at();
  }
  if (!from.error().empty() && into.error().empty()) into.set_error(from.error());
  for (const std::string& warning : from.warnings()) {
    if (std::find(into.warnings().begin(), into.warnings().end(), warning) ==
        into.warnings().end()) {
      into.add_warnings(warning);
    }
  }
  AddTotals(from.totals(), *into.mutable_totals(), first);
}

void MergeErrors(const std::vector<v1::Report>& reports, v1::Report& out) {
  std::map<std::tuple<std::string, std::string, int>, v1::ErrorGroup> groups;
  for (const v1::Report& report : reports) {
    for (const v1::ErrorGroup& error : report.errors()) {
      auto [it, inserted] = groups.try_emplace({error.name(), error.method(), error.kind()}, error);
      if (!inserted) it->second.set_occurrences(it->second.occurrences() + error.occurrences());
    }
  }
  for (auto& [key, group] : groups) *out.add_errors() = std::move(group);
}

// Points of every segment summed per second of wall time.
void MergeTimeline(const std::vector<v1::Report>& reports, v1::Report& out) {
  std::map<std::int64_t, v1::TimelinePoint> points;
  for (const v1::Report& report : reports) {
    for (const v1::TimelinePoint& point : report.timeline()) {
      v1::TimelinePoint& into = points[point.time().seconds()];
      if (!into.has_time()) {
        into.mutable_time()->set_seconds(point.time().seconds());
        *into.mutable_span() = point.span();
      }
      into.set_users(into.users() + point.users());
      into.set_rps(into.rps() + point.rps());
      into.set_failures_per_s(into.failures_per_s() + point.failures_per_s());
      into.set_total_requests(into.total_requests() + point.total_requests());
      into.set_total_failures(into.total_failures() + point.total_failures());
      into.set_dropped_iterations(into.dropped_iterations() + point.dropped_iterations());
    }
  }
  for (auto& [second, point] : points) *out.add_timeline() = std::move(point);
}

}  // namespace

absl::StatusOr<MergedFigures> MergeFigures(const std::vector<v1::Report>& reports) {
  MergedFigures merged;
  for (std::size_t segment = 0; segment < reports.size(); ++segment) {
    const v1::Report& report = reports[segment];
    for (int i = 0; i < report.endpoints_size(); ++i) {
      absl::StatusOr<engine::EndpointStats> stats = EndpointStatsFromReport(report.endpoints(i));
      if (!stats.ok()) {
        return absl::InvalidArgumentError("segment report " + std::to_string(segment) +
                                          ": endpoints[" + std::to_string(i) +
                                          "]: " + std::string(stats.status().message()));
      }
      auto& endpoints = merged.stats.endpoints;
      auto it = std::find_if(endpoints.begin(), endpoints.end(),
                             [&](const engine::EndpointStats& e) { return e.key == stats->key; });
      if (it == endpoints.end()) {
        endpoints.push_back(std::move(*stats));
      } else {
        it->Add(*stats);
      }
    }
    const v1::JobTotals& totals = report.job().totals();
    merged.stats.iterations += totals.iterations();
    merged.stats.dropped_iterations += totals.dropped_iterations();
    merged.stats.late_iterations += totals.late_iterations();
    merged.stats.active_users += totals.active_users();
    merged.elapsed =
        std::max(merged.elapsed,
                 std::chrono::nanoseconds(TimeUtil::DurationToNanoseconds(report.duration())));
  }
  return merged;
}

v1::Report BuildMergedReport(const std::vector<v1::Report>& reports, const MergedFigures& merged) {
  v1::Report out;
  for (std::size_t i = 0; i < reports.size(); ++i) {
    MergeJob(reports[i].job(), *out.mutable_job(), i == 0);
  }
  for (const engine::EndpointStats& stats : merged.stats.endpoints) {
    FillEndpointReport(stats, merged.elapsed, *out.add_endpoints());
  }
  FillEndpointReport(merged.stats.Aggregated(), merged.elapsed, *out.mutable_aggregated());
  // The totals' request counts come from the merged rows, which are what the tables show.
  out.mutable_job()->mutable_totals()->set_requests(out.aggregated().requests());
  out.mutable_job()->mutable_totals()->set_failures(out.aggregated().failures());
  MergeErrors(reports, out);
  MergeTimeline(reports, out);
  *out.mutable_duration() = TimeUtil::NanosecondsToDuration(merged.elapsed.count());
  out.set_final(!reports.empty() && std::all_of(reports.begin(), reports.end(),
                                                [](const v1::Report& r) { return r.final(); }));
  if (!reports.empty()) out.set_daemon_version(reports.front().daemon_version());
  double cpu = 0;
  for (const v1::Report& report : reports) cpu = std::max(cpu, report.generator_cpu_utilization());
  out.set_generator_cpu_utilization(cpu);
  return out;
}

}  // namespace throng::api::report
