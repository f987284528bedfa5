#include "supervised_job.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <utility>

#include "process_cpu.h"
#include "throng/api/common/job_messages.h"
#include "throng/api/common/report_arena.h"
#include "throng/engine/stats.h"

namespace throng::api {
namespace {

/// Unit of ThresholdState::observed for a threshold's metric.
const char* ObservedUnit(engine::ThresholdPlan::Metric metric) {
  using Metric = engine::ThresholdPlan::Metric;
  switch (metric) {
    case Metric::kFailRate:
      return "%";
    case Metric::kRps:
      return " req/s";
    default:
      return " ms";
  }
}

}  // namespace

SupervisedJob::SupervisedJob(std::string id, std::shared_ptr<engine::RunningJob> job,
                             JobEventSink& sink, std::chrono::nanoseconds tick,
                             std::chrono::nanoseconds checkpoint_interval, SteadyTime now)
    : id_(std::move(id)),
      job_(std::move(job)),
      sink_(sink),
      tick_(tick),
      origin_(now),
      wall_origin_(std::chrono::system_clock::now()),
      cpu_origin_(ProcessCpuSeconds()),
      tracker_(job_->Stats()),
      evaluator_(job_->GetPlan().thresholds, job_->GetPlan().endpoints),
      next_tick_(now + tick),
      checkpoints_(checkpoint_interval, now) {}

bool SupervisedJob::Poll(SteadyTime now) {
  if (Delivered()) return true;
  const engine::JobPhase phase = job_->Phase();
  if (engine::IsFinal(phase)) {
    Deliver(now);
    return true;
  }
  if (const v1::JobState state = ToJobState(phase); state != reported_state_) {
    reported_state_ = state;
    sink_.OnStateChanged(id_, state);
  }
  if (now >= next_tick_) {
    Tick(now);
    // Right after the interval closed, so the checkpoint's figures are the freshest.
    if (checkpoints_.Due(now)) {
      sink_.OnSerializedCheckpoint(id_, SerializedLiveReport());
    }
    // Skip missed ticks rather than bunching them (the supervisor may have been descheduled).
    while (next_tick_ <= now) next_tick_ += tick_;
  }
  return false;
}

void SupervisedJob::Tick(SteadyTime now) {
  tracker_.Tick(now - origin_);
  // Thresholds judge the load: not setup (its requests come before any load time), not the
  // drain after a stop (a breach then must not turn a stop into an abort).
  const engine::JobStatus status = job_->Status();
  if (status.phase != engine::JobPhase::kRunning && status.phase != engine::JobPhase::kPaused) {
    return;
  }
  const engine::ThresholdEvaluation evaluation =
      evaluator_.Evaluate(*tracker_.Cumulative(), status.elapsed);
  AbortIfBreached(evaluation);
  std::lock_guard lock(mutex_);
  evaluation_ = evaluation;
}

void SupervisedJob::AbortIfBreached(const engine::ThresholdEvaluation& evaluation) {
  if (!evaluation.abort_index) return;
  {
    std::lock_guard lock(mutex_);
    if (aborted_by_) return;
    aborted_by_ = evaluation.abort_index;
  }
  const std::size_t index = *evaluation.abort_index;
  const engine::ThresholdPlan& threshold = evaluator_.Thresholds()[index];
  std::string reason = fmt::format("threshold \"{}\"", threshold.expr);
  if (!threshold.request_name.empty()) reason += fmt::format(" on \"{}\"", threshold.request_name);
  reason += fmt::format(" failed (observed {:.2f}{}) and has abort_on_fail",
                        evaluation.states[index].observed, ObservedUnit(threshold.metric));
  spdlog::warn("job {}: aborting: {}", id_, reason);
  job_->Abort(std::move(reason));
}

void SupervisedJob::Deliver(SteadyTime now) {
  // The job has ended: every worker has stopped recording, so this last interval is exact.
  tracker_.Tick(now - origin_);
  const engine::ThresholdEvaluation evaluation =
      evaluator_.Evaluate(*tracker_.Cumulative(), job_->Status().elapsed);
  {
    std::lock_guard lock(mutex_);
    evaluation_ = evaluation;
  }
  const JobFigures figures = Figures();
  SerializedReport report;
  {
    ReportArena arena;  // the head in a few mapped blocks; the rows go one by one
    v1::Report& head = *arena.Create<v1::Report>();
    BuildReportHead(figures, tracker_.Points(), /*final=*/true, head);
    head.set_generator_cpu_utilization(CpuUtilization(cpu_origin_, now - origin_));
    if (job_->GetPlan().phases == engine::JobPhases::kSetupOnly) {
      // A fleet's setup: its segments need what it extracted.
      for (const auto& [name, value] : figures.status.setup_variables) {
        (*head.mutable_setup_variables())[name] = value;
      }
    }
    report = HandedOver(head, figures);
  }
  sink_.OnSerializedFinalReport(id_, report);  // the final state and the report, together
  {
    std::lock_guard lock(mutex_);
    final_report_ = std::move(report.bytes);
  }
  delivered_at_ = now;
  delivered_.store(true, std::memory_order_release);
}

JobFigures SupervisedJob::Figures() const {
  JobFigures figures;
  figures.id = id_;
  figures.status = job_->Status();
  engine::IntervalTracker::View view = tracker_.LatestView();
  figures.cumulative = std::move(view.cumulative);
  figures.interval = std::move(view.interval);
  figures.interval_span = view.span;
  figures.thresholds = evaluator_.Thresholds();
  figures.timeline_origin = wall_origin_;
  std::lock_guard lock(mutex_);
  figures.evaluation = evaluation_;
  figures.aborted_by = aborted_by_;
  return figures;
}

v1::JobSnapshot SupervisedJob::Snapshot() const {
  const bool delivered = Delivered();
  v1::JobSnapshot snapshot = BuildSnapshot(Figures(), delivered);
  // Until the end is delivered, a job whose engine phase is already final is still stopping.
  if (!delivered && IsFinal(snapshot.state())) snapshot.set_state(v1::STOPPING);
  return snapshot;
}

v1::Report SupervisedJob::Report() const {
  v1::Report report;
  ReportInto(report);
  return report;
}

void SupervisedJob::ReportInto(v1::Report& into) const {
  {
    std::lock_guard lock(mutex_);
    if (final_report_) {
      if (into.ParseFromString(*final_report_)) return;
      into.Clear();  // cannot happen (we serialized it); the figures are still here
    }
  }
  BuildLiveReport(into);
}

void SupervisedJob::BuildLiveReport(v1::Report& report) const {
  const JobFigures figures = Figures();
  BuildLiveReportHead(figures, report);
  AddEndpointRows(figures, report);
}

void SupervisedJob::BuildLiveReportHead(const JobFigures& figures, v1::Report& head) const {
  BuildReportHead(figures, tracker_.Points(), /*final=*/false, head);
  head.set_generator_cpu_utilization(
      CpuUtilization(cpu_origin_, std::chrono::steady_clock::now() - origin_));
  if (IsFinal(head.job().state())) head.mutable_job()->set_state(v1::STOPPING);
}

SerializedReport SupervisedJob::SerializedLiveReport() const {
  const JobFigures figures = Figures();
  ReportArena arena;  // the head in a few mapped blocks, unmapped right after
  v1::Report& head = *arena.Create<v1::Report>();
  BuildLiveReportHead(figures, head);
  return HandedOver(head, figures);
}

SerializedReport SupervisedJob::HandedOver(const v1::Report& head, const JobFigures& figures) {
  SerializedReport report;
  report.job = head.job();
  report.verdict = head.verdict();
  report.setup_variables = head.setup_variables();
  report.bytes = SerializeWithEndpointRows(head, figures);
  return report;
}

JobMetricsSource SupervisedJob::MetricsSource() {
  std::shared_ptr<SupervisedJob> self = shared_from_this();
  JobMetricsSource source;
  // A fleet's segments share one run label, so `sum by (le)` adds their series up.
  source.run = job_->GetPlan().fleet_run_id.empty() ? id_ : job_->GetPlan().fleet_run_id;
  source.test = job_->GetPlan().name;
  source.snapshot = [self] { return self->tracker_.Cumulative(); };
  source.status = [self] { return self->job_->Status(); };
  source.thresholds = [self] {
    const std::vector<engine::ThresholdPlan>& thresholds = self->evaluator_.Thresholds();
    std::lock_guard lock(self->mutex_);
    std::vector<ThresholdGauge> gauges;
    for (std::size_t i = 0; i < thresholds.size(); ++i) {
      const auto& states = self->evaluation_.states;
      gauges.push_back({ThresholdLabel(thresholds[i]), i >= states.size() || states[i].passed});
    }
    return gauges;
  };
  source.buckets = job_->GetPlan().histogram_buckets;
  return source;
}

}  // namespace throng::api
