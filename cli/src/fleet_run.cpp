// throngctl run --fleet: setup once, one segment per daemon starting together, one merged live
// view with the fleet's thresholds, teardown once, one merged report.
#include <google/protobuf/util/time_util.h>

#include <thread>

#include "commands_internal.h"
#include "fleet_daemons.h"
#include "fleet_figures.h"
#include "fleet_watch.h"
#include "throng/api/common/job_messages.h"
#include "throng/api/spec/spec_redaction.h"
#include "throng/cli/commands.h"
#include "throng/cli/fleet.h"
#include "throng/cli/live_view.h"

namespace throng::cli {
namespace {

using google::protobuf::util::TimeUtil;
constexpr auto kPhasePoll = std::chrono::milliseconds(200);

// Runs `spec` (setup-only or teardown-only) on `daemon` to its end; its final report.
v1::Report RunPhaseJob(FleetDaemons& daemons, std::size_t daemon, const v1::JobSpec& spec,
                       const FleetArgs& args, const char* what) {
  v1::Job job;
  Check(daemons.Submit(daemon, spec, &job));
  const std::string id = job.id();
  auto last_seen = std::chrono::steady_clock::now();
  while (!api::IsFinal(job.state())) {
    std::this_thread::sleep_for(kPhasePoll);
    const grpc::Status status = daemons.GetJob(daemon, id, &job);
    if (status.ok()) {
      last_seen = std::chrono::steady_clock::now();
    } else if (std::chrono::steady_clock::now() - last_seen > args.lost_after) {
      throw InputError(std::string("error: the daemon running the fleet's ") + what + " (" +
                       daemons.Address(daemon) + ") was lost: " + status.error_message());
    }
  }
  v1::Report report;
  // Setup's secrets are "***" in its report; the segments need the real values.
  Check(daemons.GetReport(daemon, id, &report, spec.phases() == v1::JOB_PHASES_SETUP_ONLY));
  return report;
}

v1::JobSpec PhaseSpec(v1::JobSpec spec, v1::JobPhases phases) {
  spec.set_phases(phases);
  spec.clear_thresholds();
  return spec;
}

// What every segment runs: the load only, with setup's variables; thresholds are the fleet's
// (evaluated by throngctl on the merged figures), so no segment aborts on its own figures.
v1::JobSpec SegmentSpec(v1::JobSpec spec, const v1::Report* setup, std::uint32_t index,
                        std::uint32_t count, const std::string& run_id,
                        std::chrono::system_clock::time_point start) {
  spec.clear_setup();
  spec.clear_teardown();
  if (setup) {
    for (const auto& [name, value] : setup->setup_variables())
      (*spec.mutable_variables())[name] = value;
  }
  for (v1::Threshold& threshold : *spec.mutable_thresholds()) threshold.set_abort_on_fail(false);
  v1::FleetSegment& fleet = *spec.mutable_fleet();
  fleet.set_index(index);
  fleet.set_count(count);
  fleet.set_run_id(run_id);
  *fleet.mutable_start_time() = api::ToTimestamp(start);
  return spec;
}

}  // namespace

int Commands::RunFleet(const std::string& file, const Overrides& overrides, const FleetArgs& args,
                       std::chrono::milliseconds interval, const ReportFiles& files) {
  return Guard([&]() -> int {
    v1::JobSpec spec = LoadSpec(file, overrides);
    // What secret setup steps assign stays secret in the segments and teardown, which get it as
    // plain job variables.
    api::ListSetupSecrets(spec);
    const std::vector<engine::ThresholdPlan> thresholds = FleetThresholds(spec);
    const std::vector<std::string> addresses = ResolveFleet(args.addresses);
    const std::string run_id = args.run_id.empty() ? NewRunId() : args.run_id;
    const auto count = static_cast<std::uint32_t>(addresses.size());
    // The daemon's checks for one segment, before anything runs anywhere.
    // Setup stays in the checked spec: what it extracts reaches the segments as job variables.
    v1::JobSpec check = SegmentSpec(spec, nullptr, 0, count, run_id, {});
    *check.mutable_setup() = spec.setup();
    (void)FleetThresholds(check);
    FleetDaemons daemons(options_, addresses);
    out_ << "fleet run " << run_id << ": " << count << " segments\n";

    std::optional<v1::Report> setup;
    if (spec.setup_size() > 0) {
      setup = RunPhaseJob(daemons, 0, PhaseSpec(spec, v1::JOB_PHASES_SETUP_ONLY), args, "setup");
      out_ << "setup ran once on " << addresses[0] << " (job " << setup->job().id() << ")\n";
      if (setup->job().state() != v1::COMPLETED) {
        err_ << "setup failed: " << setup->job().error() << "\n";
        if (spec.teardown_size() > 0) {
          RunPhaseJob(daemons, 0, PhaseSpec(spec, v1::JOB_PHASES_TEARDOWN_ONLY), args, "teardown");
        }
        return kExitError;
      }
    }

    const auto start = std::chrono::system_clock::now() + args.start_delay;
    std::vector<FleetSegment> segments;
    for (std::uint32_t i = 0; i < count; ++i) {
      v1::Job job;
      const grpc::Status status = daemons.Submit(
          i, SegmentSpec(spec, setup ? &*setup : nullptr, i, count, run_id, start), &job);
      if (!status.ok()) {
        err_ << "segment " << i << " (" << addresses[i]
             << ") refused: " << StatusCodeName(status.error_code()) << ": "
             << status.error_message() << "\n";
        for (const FleetSegment& submitted : segments) {
          (void)daemons.Stop(submitted.index, submitted.job_id, true);
        }
        throw RpcError{status};
      }
      segments.push_back(FleetSegment{i, addresses[i], job.id(), std::nullopt, false, {}, {}, ""});
      out_ << "segment " << i << "/" << count << " on " << addresses[i] << ": job " << job.id()
           << "\n";
    }

    LiveView view(out_, terminal_);
    FleetWatch watch(daemons, segments, args, thresholds, run_id, view, err_);
    watch.Run(interval);

    if (spec.teardown_size() > 0) {
      std::vector<v1::Job> unused;
      std::size_t daemon = 0;
      while (daemon + 1 < count && segments[daemon].lost) ++daemon;
      v1::JobSpec teardown = PhaseSpec(spec, v1::JOB_PHASES_TEARDOWN_ONLY);
      if (setup) {
        for (const auto& [name, value] : setup->setup_variables()) {
          (*teardown.mutable_variables())[name] = value;
        }
      }
      const v1::Report done = RunPhaseJob(daemons, daemon, teardown, args, "teardown");
      out_ << "teardown ran once on " << addresses[daemon] << " (job " << done.job().id() << ")\n";
    }
    return FinishFleet(segments, run_id, thresholds, watch.aborted_by(), files);
  });
}

}  // namespace throng::cli
