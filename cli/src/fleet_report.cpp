// The end of a fleet run and the fleet commands on a run id: the merged report (run, report
// --fleet) and scaling every segment (update --fleet).
#include <fmt/format.h>

#include <map>

#include "commands_internal.h"
#include "fleet_daemons.h"
#include "fleet_figures.h"
#include "throng/api/common/job_messages.h"
#include "throng/api/report/console_report.h"
#include "throng/cli/commands.h"
#include "throng/cli/fleet.h"
#include "throng/cli/render.h"

namespace throng::cli {
namespace {

std::string SegmentTable(const v1::FleetReport& fleet) {
  std::string text = fmt::format("{:<8} {:<24} {:<24} {:<12} {:>10} {:>9}\n", "SEGMENT", "DAEMON",
                                 "JOB", "STATE", "REQUESTS", "FAILURES");
  for (const v1::FleetSegmentStatus& segment : fleet.segments()) {
    text += fmt::format("{:<8} {:<24} {:<24} {:<12} {:>10} {:>9}{}\n", segment.index(),
                        segment.address(), segment.job_id(), v1::JobState_Name(segment.state()),
                        segment.totals().requests(), segment.totals().failures(),
                        segment.lost() ? "  LOST (last figures): " + segment.error() : "");
  }
  return text;
}

// The segments of run `run_id` on every daemon, by segment index.
std::vector<FleetSegment> FindSegments(FleetDaemons& daemons, const std::string& run_id,
                                       std::ostream& err) {
  std::map<std::uint32_t, FleetSegment> found;
  std::uint32_t count = 0;
  for (std::size_t daemon = 0; daemon < daemons.Size(); ++daemon) {
    std::vector<v1::Job> jobs;
    const grpc::Status status = daemons.FindRun(daemon, run_id, &jobs);
    if (!status.ok()) {
      err << "warning: " << daemons.Address(daemon) << ": " << StatusCodeName(status.error_code())
          << ": " << status.error_message() << "\n";
      continue;
    }
    for (const v1::Job& job : jobs) {
      FleetSegment segment{job.spec().fleet().index(),
                           daemons.Address(daemon),
                           job.id(),
                           std::nullopt,
                           false,
                           {},
                           {},
                           ""};
      count = std::max(count, job.spec().fleet().count());
      v1::Report report;
      if (daemons.GetReport(daemon, job.id(), &report).ok()) segment.report = std::move(report);
      found.insert_or_assign(segment.index, std::move(segment));
    }
  }
  if (found.empty()) throw InputError("error: NOT_FOUND: no daemon of --fleet has run " + run_id);
  std::vector<FleetSegment> segments;
  for (std::uint32_t index = 0; index < count; ++index) {
    auto it = found.find(index);
    if (it != found.end()) {
      segments.push_back(std::move(it->second));
    } else {
      segments.push_back({index, "", "", std::nullopt, true, {}, {}, "not found on any daemon"});
    }
  }
  return segments;
}

}  // namespace

int Commands::FinishFleet(const std::vector<FleetSegment>& segments, const std::string& run_id,
                          const std::vector<engine::ThresholdPlan>& thresholds,
                          std::optional<std::size_t> aborted_by, const ReportFiles& files) {
  const FleetView view = ComposeFleetView(segments, run_id, thresholds, aborted_by, true);
  const v1::Report& report = view.report;
  out_ << "\n" << api::report::ConsoleReport(report, {.locust_rounding = locust_rounding_});
  out_ << "\nfleet run " << run_id << "\n" << SegmentTable(report.fleet());
  WriteReportFiles(report, files);
  int code = report.verdict() == v1::VERDICT_FAIL ? kExitThresholdsFailed : kExitOk;
  if (report.job().state() == v1::FAILED || report.job().state() == v1::INTERRUPTED) {
    code = kExitError;
  }
  if (report.fleet().lost_segments() > 0 && code == kExitOk) code = kExitError;
  return OutcomeCode(code, !thresholds.empty(), report.aggregated().failures());
}

int Commands::ReportFleet(const std::string& run_id, const FleetArgs& args,
                          const ReportFiles& files) {
  return Guard([&]() -> int {
    FleetDaemons daemons(options_, ResolveFleet(args.addresses));
    const std::vector<FleetSegment> segments = FindSegments(daemons, run_id, err_);
    std::vector<engine::ThresholdPlan> thresholds;
    for (const FleetSegment& segment : segments) {
      if (segment.report && segment.report->job().has_spec()) {
        thresholds = FleetThresholds(segment.report->job().spec());
        break;
      }
    }
    std::optional<std::size_t> aborted_by;  // a fleet abort shows as stopped segments
    return FinishFleet(segments, run_id, thresholds, aborted_by, files);
  });
}

int Commands::UpdateFleet(const std::string& run_id, const FleetArgs& args,
                          const UpdateArgs& update) {
  return Guard([&]() -> int {
    if (!update.users && !update.rate && !update.paused) {
      throw InputError("update: give at least one of --users, --rate, --pause, --resume");
    }
    FleetDaemons daemons(options_, ResolveFleet(args.addresses));
    v1::UpdateJobRequest request;  // the fleet's totals: each daemon applies its share
    if (update.users) request.set_target_users(*update.users);
    if (update.rate) request.set_arrival_rate(*update.rate);
    if (update.paused) request.set_paused(*update.paused);
    int code = kExitOk;
    std::size_t updated = 0;
    for (std::size_t daemon = 0; daemon < daemons.Size(); ++daemon) {
      std::vector<v1::Job> jobs;
      Check(daemons.FindRun(daemon, run_id, &jobs));
      for (const v1::Job& found : jobs) {
        if (api::IsFinal(found.state())) continue;
        v1::Job job;
        const grpc::Status status = daemons.Update(daemon, request, found.id(), &job);
        if (!status.ok()) {
          err_ << "segment " << found.spec().fleet().index() << " (" << daemons.Address(daemon)
               << "): " << StatusCodeName(status.error_code()) << ": " << status.error_message()
               << "\n";
          code = kExitError;
          continue;
        }
        ++updated;
        out_ << "segment " << found.spec().fleet().index() << " " << job.id() << ": "
             << ProgressLine(job.state(), 0, job.totals()) << "\n";
      }
    }
    if (updated == 0) throw InputError("error: NOT_FOUND: no running segment of " + run_id);
    return code;
  });
}

}  // namespace throng::cli
