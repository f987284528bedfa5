#include "fleet_figures.h"

#include <google/protobuf/util/time_util.h>

#include "throng/api/common/job_messages.h"
#include "throng/api/report/report_merge.h"
#include "throng/api/spec/spec_converter.h"
#include "throng/cli/error.h"

namespace throng::cli {
namespace {

v1::ThresholdResult ResultOf(const engine::ThresholdPlan& threshold,
                             const engine::ThresholdState& state, bool aborted) {
  v1::ThresholdResult result;
  result.set_expr(threshold.expr);
  result.set_request_name(threshold.request_name);
  result.set_passed(state.passed && !aborted);
  result.set_observed(state.observed);
  result.set_aborted(aborted);
  return result;
}

v1::FleetSegmentStatus StatusOf(const FleetSegment& segment) {
  v1::FleetSegmentStatus status;
  status.set_index(segment.index);
  status.set_address(segment.address);
  status.set_job_id(segment.job_id);
  status.set_lost(segment.lost);
  status.set_error(segment.error);
  if (segment.report) {
    status.set_state(segment.report->job().state());
    *status.mutable_totals() = segment.report->job().totals();
    if (status.error().empty()) status.set_error(segment.report->job().error());
  }
  if (segment.last_seen_wall.time_since_epoch().count() != 0) {
    *status.mutable_last_seen() = api::ToTimestamp(segment.last_seen_wall);
  }
  return status;
}

}  // namespace

bool FleetSegment::Ended() const {
  return lost || (report && report->final() && api::IsFinal(report->job().state()));
}

std::vector<engine::ThresholdPlan> FleetThresholds(const v1::JobSpec& spec) {
  try {
    return api::ConvertSpec(spec, api::ConvertOptions::Unrestricted()).thresholds;
  } catch (const api::SpecError& error) {
    throw InputError(std::string("error: INVALID_ARGUMENT: ") + error.what());
  }
}

FleetView ComposeFleetView(const std::vector<FleetSegment>& segments, const std::string& run_id,
                           const std::vector<engine::ThresholdPlan>& thresholds,
                           std::optional<std::size_t> aborted_by, bool final) {
  std::vector<v1::Report> reports;
  for (const FleetSegment& segment : segments) {
    if (segment.report) reports.push_back(*segment.report);
  }
  absl::StatusOr<api::report::MergedFigures> merged = api::report::MergeFigures(reports);
  if (!merged.ok()) throw InputError("error: " + std::string(merged.status().message()));
  FleetView view;
  view.report = api::report::BuildMergedReport(reports, *merged);
  v1::Job& job = *view.report.mutable_job();
  job.set_id(run_id);
  std::vector<engine::EndpointKey> keys;
  for (const auto& endpoint : merged->stats.endpoints) keys.push_back(endpoint.key);
  view.evaluation =
      engine::ThresholdEvaluator(thresholds, keys).Evaluate(merged->stats, merged->elapsed);
  job.clear_thresholds();
  for (std::size_t i = 0; i < thresholds.size(); ++i) {
    *job.add_thresholds() = ResultOf(thresholds[i], view.evaluation.states[i], aborted_by == i);
  }
  *view.report.mutable_thresholds() = job.thresholds();
  v1::Verdict verdict = v1::VERDICT_NONE;
  if (!thresholds.empty()) {
    const bool passed = view.evaluation.AllPassed() && !aborted_by && job.state() != v1::FAILED;
    verdict = passed ? v1::VERDICT_PASS : v1::VERDICT_FAIL;
  }
  if (aborted_by && api::IsFinal(job.state())) job.set_state(v1::ABORTED);
  view.report.set_verdict(final ? verdict : v1::VERDICT_UNSPECIFIED);
  job.set_verdict(view.report.verdict());
  v1::FleetReport& fleet = *view.report.mutable_fleet();
  fleet.set_run_id(run_id);
  for (const FleetSegment& segment : segments) {
    *fleet.add_segments() = StatusOf(segment);
    if (segment.lost) fleet.set_lost_segments(fleet.lost_segments() + 1);
  }
  if (fleet.lost_segments() > 0 && job.error().empty()) {
    job.set_error(std::to_string(fleet.lost_segments()) + " segment(s) lost; see the fleet table");
  }
  view.report.set_final(final);
  return view;
}

v1::JobSnapshot FleetSnapshot(const v1::Report& merged, const v1::Report* previous,
                              std::chrono::nanoseconds span) {
  const double seconds = std::chrono::duration<double>(span).count();
  auto rate = [&](std::uint64_t now, std::uint64_t before) {
    return seconds > 0 && now >= before ? static_cast<double>(now - before) / seconds : 0.0;
  };
  auto endpoint_of = [&](const v1::EndpointStats& row, const v1::EndpointStats* before) {
    v1::EndpointSnapshot out;
    out.set_name(row.name());
    out.set_method(row.method());
    out.set_requests(row.requests());
    out.set_failures(row.failures());
    out.set_rps(before ? rate(row.requests(), before->requests()) : 0);
    out.set_failures_per_s(before ? rate(row.failures(), before->failures()) : 0);
    *out.mutable_cumulative() = row.latency();
    *out.mutable_interval() = row.latency();  // no interval histogram across daemons
    return out;
  };
  v1::JobSnapshot snapshot;
  snapshot.set_id(merged.job().id());
  snapshot.set_state(merged.job().state());
  snapshot.set_elapsed_seconds(
      static_cast<double>(
          google::protobuf::util::TimeUtil::DurationToMilliseconds(merged.duration())) /
      1000.0);
  *snapshot.mutable_totals() = merged.job().totals();
  for (const v1::EndpointStats& row : merged.endpoints()) {
    const v1::EndpointStats* before = nullptr;
    if (previous) {
      for (const v1::EndpointStats& old : previous->endpoints()) {
        if (old.name() == row.name() && old.method() == row.method()) before = &old;
      }
    }
    *snapshot.add_endpoints() = endpoint_of(row, before);
  }
  *snapshot.mutable_aggregated() =
      endpoint_of(merged.aggregated(), previous ? &previous->aggregated() : nullptr);
  snapshot.mutable_totals()->set_current_rps(snapshot.aggregated().rps());
  *snapshot.mutable_thresholds() = merged.thresholds();
  snapshot.set_final(merged.final());
  return snapshot;
}

}  // namespace throng::cli
