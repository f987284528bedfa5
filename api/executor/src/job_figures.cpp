#include "throng/api/executor/job_figures.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <string>
#include <tuple>

#include "throng/api/common/job_messages.h"
#include "throng/api/common/serialized_report.h"

namespace throng::api {
namespace {

using google::protobuf::util::TimeUtil;

google::protobuf::Duration ToDuration(std::chrono::nanoseconds span) {
  return TimeUtil::NanosecondsToDuration(span.count());
}

double Seconds(std::chrono::nanoseconds span) {
  return std::chrono::duration<double>(span).count();
}

/// A counter summed over the endpoints (Aggregated() would also merge every histogram).
std::uint64_t SumOf(const engine::StatsSnapshot& snapshot,
                    std::uint64_t engine::EndpointStats::*counter) {
  std::uint64_t sum = 0;
  for (const engine::EndpointStats& endpoint : snapshot.endpoints) sum += endpoint.*counter;
  return sum;
}

/// Live view of one endpoint: cumulative counts, interval rates and both latency summaries.
v1::EndpointSnapshot EndpointSnapshotOf(const engine::EndpointStats& cumulative,
                                        const engine::EndpointStats& interval,
                                        std::chrono::nanoseconds span) {
  v1::EndpointSnapshot out;
  out.set_name(cumulative.key.name);
  out.set_method(cumulative.key.method);
  out.set_requests(cumulative.requests);
  out.set_failures(cumulative.failures);
  out.set_rps(engine::PerSecond(interval.requests, span));
  out.set_failures_per_s(engine::PerSecond(interval.failures, span));
  *out.mutable_interval() = ToProto(interval.Latency());
  *out.mutable_cumulative() = ToProto(cumulative.Latency());
  return out;
}

/// "status 500 x12, 404 x3": the error-class statuses an endpoint received.
std::string ErrorStatuses(const engine::EndpointStats& stats) {
  std::string out;
  for (unsigned status = 400; status <= 599; ++status) {
    if (const std::uint64_t count = stats.RequestsWithStatus(status); count > 0) {
      out +=
          (out.empty() ? "status " : ", ") + std::to_string(status) + " x" + std::to_string(count);
    }
  }
  return out;
}

/// A readable description of a failure kind, as the error report's message.
std::string FailureMessage(engine::FailureKind kind, const engine::EndpointStats& stats) {
  using engine::FailureKind;
  switch (kind) {
    case FailureKind::kConnectRefused:
      return "connection refused";
    case FailureKind::kDns:
      return "host name could not be resolved";
    case FailureKind::kTls:
      return "TLS handshake or certificate verification failed";
    case FailureKind::kTimeout:
      return "timed out (connect or request timeout)";
    case FailureKind::kReset:
      return "connection reset or closed by the server";
    case FailureKind::kMalformedResponse:
      return "malformed HTTP response";
    case FailureKind::kBodyTooLarge:
      return "response body larger than max_body_bytes";
    case FailureKind::kUnexpectedStatus: {
      const std::string statuses = ErrorStatuses(stats);
      return "unexpected HTTP status" + (statuses.empty() ? "" : " (" + statuses + ")");
    }
    case FailureKind::kExpectationFailed:
      return "response did not meet an expectation";
    case FailureKind::kExtractionFailed:
      return "a value could not be extracted from the response";
    case FailureKind::kConnectError:
      return "connection failed";
    case FailureKind::kUnfinished:
      return "still in flight when the load ended (cut short by the stop)";
    case FailureKind::kInvalidHeader:
      return "a rendered header value or target held CR, LF or NUL (not sent)";
    case FailureKind::kTargetNotAllowed:
      return "target address not in the daemon's --allow-target list (no connection opened)";
    case FailureKind::kTooManyRedirects:
      return "more redirects than http.max_redirects";
    case FailureKind::kOther:
    case FailureKind::kNone:
      break;
  }
  return "other error";
}

/// Fills `out` (empty, maybe on an arena) in place: no temporary message to copy from.
void FillTimelinePoint(const engine::TimelinePoint& point,
                       std::chrono::system_clock::time_point origin, v1::TimelinePoint& out) {
  *out.mutable_time() = ToTimestamp(
      origin + std::chrono::duration_cast<std::chrono::system_clock::duration>(point.elapsed));
  *out.mutable_span() = ToDuration(point.span);
  out.set_users(static_cast<std::uint32_t>(std::max<std::int64_t>(point.users, 0)));
  out.set_rps(point.rps);
  out.set_failures_per_s(point.failures_per_s);
  *out.mutable_interval() = ToProto(point.latency);
  out.set_total_requests(point.total_requests);
  out.set_total_failures(point.total_failures);
  *out.mutable_cumulative() = ToProto(point.total_latency);
  out.set_cumulative_avg_content_length(point.total_avg_content_length);
  out.set_dropped_iterations(point.dropped_iterations);
  out.mutable_interval_percentiles()->Reserve(static_cast<int>(engine::kHistoryPercentiles.size()));
  for (std::size_t i = 0; i < engine::kHistoryPercentiles.size(); ++i) {
    v1::Percentile* percentile = out.add_interval_percentiles();
    percentile->set_quantile(engine::kHistoryPercentiles[i] / 100);
    percentile->set_ms(point.interval_percentiles_ms[i]);
  }
}

/// The live fields of the job message (the registry adds spec and creation time).
v1::Job LiveJobOf(const JobFigures& figures, bool final) {
  v1::Job job;
  job.set_id(figures.id);
  job.set_state(ToJobState(figures.status.phase));
  if (figures.status.started_at.time_since_epoch().count() != 0) {
    *job.mutable_started_at() = ToTimestamp(figures.status.started_at);
  }
  if (figures.status.ended_at.time_since_epoch().count() != 0) {
    *job.mutable_ended_at() = ToTimestamp(figures.status.ended_at);
  }
  job.set_error(figures.status.error);
  if (final) job.set_verdict(VerdictOf(figures));
  for (v1::ThresholdResult& result : BuildThresholdResults(figures, final)) {
    *job.add_thresholds() = std::move(result);
  }
  *job.mutable_totals() = BuildTotals(figures);
  for (const std::string& warning : figures.status.warnings) job.add_warnings(warning);
  if (final && SucceededRequests(figures) == 0) {
    job.add_warnings("no request succeeded: the job cannot pass (does the target answer?)");
  }
  return job;
}

}  // namespace

v1::JobState ToJobState(engine::JobPhase phase) {
  using engine::JobPhase;
  switch (phase) {
    case JobPhase::kStarting:
      return v1::STARTING;
    case JobPhase::kRunning:
      return v1::RUNNING;
    case JobPhase::kPaused:
      return v1::PAUSED;
    case JobPhase::kStopping:
      return v1::STOPPING;
    case JobPhase::kCompleted:
      return v1::COMPLETED;
    case JobPhase::kStopped:
      return v1::STOPPED;
    case JobPhase::kAborted:
      return v1::ABORTED;
    case JobPhase::kFailed:
      return v1::FAILED;
  }
  return v1::JOB_STATE_UNSPECIFIED;
}

std::uint64_t SucceededRequests(const JobFigures& figures) {
  const engine::EndpointStats total = figures.cumulative->Aggregated();
  return total.requests - std::min(total.failures, total.requests);
}

v1::Verdict VerdictOf(const JobFigures& figures) {
  if (SucceededRequests(figures) == 0) return v1::VERDICT_FAIL;
  if (figures.thresholds.empty()) return v1::VERDICT_NONE;
  for (const engine::ThresholdState& state : figures.evaluation.states) {
    if (state.no_data) return v1::VERDICT_FAIL;
  }
  // A job that aborted on a threshold or failed outright cannot pass, whatever the last figures.
  if (figures.aborted_by || figures.status.phase == engine::JobPhase::kFailed) {
    return v1::VERDICT_FAIL;
  }
  return figures.evaluation.AllPassed() ? v1::VERDICT_PASS : v1::VERDICT_FAIL;
}

v1::FailureKind ToProto(engine::FailureKind kind) {
  static_assert(
      static_cast<int>(engine::FailureKind::kOther) == v1::OTHER &&
          static_cast<int>(engine::FailureKind::kUnfinished) == v1::UNFINISHED &&
          static_cast<int>(engine::FailureKind::kTooManyRedirects) == v1::TOO_MANY_REDIRECTS &&
          static_cast<int>(engine::FailureKind::kConnectRefused) == v1::CONNECT_REFUSED,
      "engine::FailureKind and v1::FailureKind share their numbering");
  return static_cast<v1::FailureKind>(kind);
}

v1::JobTotals BuildTotals(const JobFigures& figures) {
  const engine::StatsSnapshot& cumulative = *figures.cumulative;
  v1::JobTotals totals;
  totals.set_requests(SumOf(cumulative, &engine::EndpointStats::requests));
  totals.set_failures(SumOf(cumulative, &engine::EndpointStats::failures));
  totals.set_iterations(cumulative.iterations);
  totals.set_dropped_iterations(cumulative.dropped_iterations);
  totals.set_late_iterations(cumulative.late_iterations);
  totals.set_active_users(figures.status.active_users);
  totals.set_target_users(figures.status.target_users);
  totals.set_target_rate(figures.status.target_rate);
  totals.set_current_rps(engine::PerSecond(
      SumOf(*figures.interval, &engine::EndpointStats::requests), figures.interval_span));
  totals.set_stage(figures.status.stage);
  totals.set_progress(figures.status.progress);
  totals.set_paused(figures.status.phase == engine::JobPhase::kPaused);
  return totals;
}

std::vector<v1::ThresholdResult> BuildThresholdResults(const JobFigures& figures, bool final) {
  std::vector<v1::ThresholdResult> results;
  for (std::size_t i = 0; i < figures.thresholds.size(); ++i) {
    const engine::ThresholdPlan& threshold = figures.thresholds[i];
    v1::ThresholdResult result;
    result.set_expr(threshold.expr);
    result.set_request_name(threshold.request_name);
    if (i < figures.evaluation.states.size()) {
      const engine::ThresholdState& state = figures.evaluation.states[i];
      result.set_no_data(state.no_data);
      result.set_passed(state.passed && !(final && state.no_data));
      result.set_observed(state.observed);
    } else {
      result.set_passed(true);
    }
    if (figures.aborted_by == i) {
      // It was failing when it aborted the job; requests finishing in the drain do not undo that.
      result.set_passed(false);
      result.set_aborted(true);
    }
    results.push_back(std::move(result));
  }
  return results;
}

v1::JobSnapshot BuildSnapshot(const JobFigures& figures, bool final) {
  v1::JobSnapshot snapshot;
  snapshot.set_id(figures.id);
  snapshot.set_state(ToJobState(figures.status.phase));
  *snapshot.mutable_time() = ToTimestamp(std::chrono::system_clock::now());
  snapshot.set_elapsed_seconds(Seconds(figures.status.elapsed));
  *snapshot.mutable_totals() = BuildTotals(figures);
  const auto& cumulative = figures.cumulative->endpoints;
  const auto& interval = figures.interval->endpoints;
  for (std::size_t i = 0; i < cumulative.size() && i < interval.size(); ++i) {
    *snapshot.add_endpoints() =
        EndpointSnapshotOf(cumulative[i], interval[i], figures.interval_span);
  }
  std::sort(snapshot.mutable_endpoints()->begin(), snapshot.mutable_endpoints()->end(),
            [](const v1::EndpointSnapshot& a, const v1::EndpointSnapshot& b) {
              return std::tie(a.name(), a.method()) < std::tie(b.name(), b.method());
            });
  *snapshot.mutable_aggregated() = EndpointSnapshotOf(
      figures.cumulative->Aggregated(), figures.interval->Aggregated(), figures.interval_span);
  for (v1::ThresholdResult& result : BuildThresholdResults(figures, final)) {
    *snapshot.add_thresholds() = std::move(result);
  }
  snapshot.set_verdict(final ? VerdictOf(figures) : v1::VERDICT_UNSPECIFIED);
  snapshot.set_final(final);
  return snapshot;
}

void BuildReportHead(const JobFigures& figures, const std::vector<engine::TimelinePoint>& timeline,
                     bool final, v1::Report& report) {
  *report.mutable_job() = LiveJobOf(figures, final);
  const std::chrono::nanoseconds elapsed = figures.status.elapsed;
  for (const engine::EndpointStats& stats : figures.cumulative->endpoints) {
    for (std::size_t kind = 1; kind < engine::kFailureKindCount; ++kind) {
      const auto failure = static_cast<engine::FailureKind>(kind);
      const std::uint64_t count = stats.FailuresOf(failure);
      if (count == 0) continue;
      v1::ErrorGroup* error = report.add_errors();
      error->set_name(stats.key.name);
      error->set_method(stats.key.method);
      error->set_kind(ToProto(failure));
      error->set_message(FailureMessage(failure, stats));
      error->set_occurrences(count);
    }
  }
  engine::EndpointStats aggregated = figures.cumulative->Aggregated();
  FillEndpointReport(aggregated, elapsed, *report.mutable_aggregated());
  *report.mutable_thresholds() = report.job().thresholds();
  report.set_verdict(final ? VerdictOf(figures) : v1::VERDICT_UNSPECIFIED);
  report.mutable_timeline()->Reserve(static_cast<int>(timeline.size()));
  for (const engine::TimelinePoint& point : timeline) {
    FillTimelinePoint(point, figures.timeline_origin, *report.add_timeline());
  }
  *report.mutable_duration() = ToDuration(elapsed);
  report.set_final(final);
  report.set_daemon_version(THRONG_VERSION);
}

void AddEndpointRows(const JobFigures& figures, v1::Report& report) {
  report.mutable_endpoints()->Reserve(static_cast<int>(figures.cumulative->endpoints.size()));
  for (const engine::EndpointStats& stats : figures.cumulative->endpoints) {
    FillEndpointReport(stats, figures.status.elapsed, *report.add_endpoints());
  }
}

std::string SerializeWithEndpointRows(const v1::Report& head, const JobFigures& figures) {
  std::string out = head.SerializeAsString();
  v1::EndpointStats row;  // reused: one row at a time
  for (const engine::EndpointStats& stats : figures.cumulative->endpoints) {
    row.Clear();
    FillEndpointReport(stats, figures.status.elapsed, row);
    AppendMessageField(v1::Report::kEndpointsFieldNumber, row, out);
  }
  return out;
}

void BuildReport(const JobFigures& figures, const std::vector<engine::TimelinePoint>& timeline,
                 bool final, v1::Report& report) {
  BuildReportHead(figures, timeline, final, report);
  AddEndpointRows(figures, report);
}

v1::Report BuildReport(const JobFigures& figures,
                       const std::vector<engine::TimelinePoint>& timeline, bool final) {
  v1::Report report;
  BuildReport(figures, timeline, final, report);
  return report;
}

}  // namespace throng::api
