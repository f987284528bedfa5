// Conversion of a running job's engine figures into the v1 API's snapshot and report messages.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "throng/api/common/endpoint_stats.h"
#include "throng/engine/job_status.h"
#include "throng/engine/plan.h"
#include "throng/engine/stats_snapshot.h"
#include "throng/engine/threshold_evaluator.h"
#include "throng/engine/timeline.h"
#include "throng/v1/job.pb.h"

namespace throng::api {

/// Everything the builders read of one job at one moment. The snapshots come from the job's
/// IntervalTracker (cumulative and the latest interval); `evaluation` is the latest threshold
/// evaluation, in `thresholds` order.
struct JobFigures {
  std::string id;
  engine::JobStatus status;
  std::shared_ptr<const engine::StatsSnapshot> cumulative;  // required
  std::shared_ptr<const engine::StatsSnapshot> interval;    // required
  std::chrono::nanoseconds interval_span{0};
  std::vector<engine::ThresholdPlan> thresholds;
  engine::ThresholdEvaluation evaluation;
  /// The threshold whose abort_on_fail stopped the job, if one did.
  std::optional<std::size_t> aborted_by;
  /// Wall-clock time of the job's timeline origin (elapsed 0 of the timeline points).
  std::chrono::system_clock::time_point timeline_origin{};
};

/// The v1 state of an engine phase.
v1::JobState ToJobState(engine::JobPhase phase);
/// The final verdict: FAIL when no request succeeded (a dead target never passes), when a
/// threshold failed or had no data, or when the job failed; else PASS, or NONE without thresholds.
v1::Verdict VerdictOf(const JobFigures& figures);
/// Number of requests that succeeded (all endpoints).
std::uint64_t SucceededRequests(const JobFigures& figures);
v1::FailureKind ToProto(engine::FailureKind kind);

/// Users, totals, current rate, stage and progress.
v1::JobTotals BuildTotals(const JobFigures& figures);
/// Threshold results (expression, scope, pass/fail, observed value, abort, no data) in plan
/// order; in `final` results a threshold with no data has failed.
std::vector<v1::ThresholdResult> BuildThresholdResults(const JobFigures& figures,
                                                       bool final = false);
/// The live snapshot of WatchJob; `final` marks the last one of a job.
v1::JobSnapshot BuildSnapshot(const JobFigures& figures, bool final);
/// The report: per-endpoint cumulative statistics with Locust's percentiles, the aggregated
/// row, errors grouped by endpoint and kind, thresholds and verdict, and the timeline.
/// `report.job` carries only the live fields (id, state, times, error, verdict, thresholds,
/// totals, warnings); the registry adds the spec.
v1::Report BuildReport(const JobFigures& figures,
                       const std::vector<engine::TimelinePoint>& timeline, bool final);
/// The same, built into `report` (empty; on an arena, its parts are too: see ReportArena).
void BuildReport(const JobFigures& figures, const std::vector<engine::TimelinePoint>& timeline,
                 bool final, v1::Report& report);
/// Every part of that report but its per-endpoint rows (which hold the histograms: nearly all
/// of a report's size), built into `report`.
void BuildReportHead(const JobFigures& figures, const std::vector<engine::TimelinePoint>& timeline,
                     bool final, v1::Report& report);
/// Adds the per-endpoint rows to a report head.
void AddEndpointRows(const JobFigures& figures, v1::Report& report);
/// `head` serialized with the per-endpoint rows appended one at a time: only one row exists as
/// a message at any moment, so a report with hundreds of endpoints is never held whole as one.
std::string SerializeWithEndpointRows(const v1::Report& head, const JobFigures& figures);

}  // namespace throng::api
