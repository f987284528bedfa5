#include "fleet_watch.h"

#include <thread>

#include "throng/cli/client.h"

namespace throng::cli {

FleetWatch::FleetWatch(FleetDaemons& daemons, std::vector<FleetSegment>& segments,
                       const FleetArgs& args, const std::vector<engine::ThresholdPlan>& thresholds,
                       const std::string& run_id, LiveView& view, std::ostream& err)
    : daemons_(daemons),
      segments_(segments),
      args_(args),
      thresholds_(thresholds),
      run_id_(run_id),
      view_(view),
      err_(err) {}

void FleetWatch::Poll(FleetSegment& segment) {
  v1::Report report;
  const grpc::Status status = daemons_.GetReport(segment.index, segment.job_id, &report);
  const auto now = std::chrono::steady_clock::now();
  if (status.ok()) {
    segment.report = std::move(report);
    segment.last_seen = now;
    segment.last_seen_wall = std::chrono::system_clock::now();
    return;
  }
  if (now - segment.last_seen < args_.lost_after) return;  // a blip: ask again next time
  segment.lost = true;
  segment.error =
      "daemon lost: " + StatusCodeName(status.error_code()) + ": " + status.error_message();
  err_ << "segment " << segment.index << " (" << segment.address
       << ") lost: " << StatusCodeName(status.error_code()) << "\n";
  if (args_.abort_on_lost) {
    StopAll("segment " + std::to_string(segment.index) + " lost (--on-lost abort)");
  }
}

void FleetWatch::StopAll(const std::string& reason) {
  if (stopping_) return;
  stopping_ = true;
  err_ << "stopping every segment: " << reason << "\n";
  for (FleetSegment& segment : segments_) {
    if (segment.Ended()) continue;
    const grpc::Status status = daemons_.Stop(segment.index, segment.job_id, false);
    if (!status.ok()) {
      err_ << "segment " << segment.index
           << ": stop failed: " << StatusCodeName(status.error_code()) << "\n";
    }
  }
}

void FleetWatch::Run(std::chrono::milliseconds interval) {
  const auto now = std::chrono::steady_clock::now();
  for (FleetSegment& segment : segments_) segment.last_seen = now;
  std::optional<v1::Report> previous;
  auto previous_at = now;
  for (;;) {
    const auto round_start = std::chrono::steady_clock::now();
    for (FleetSegment& segment : segments_) {
      if (!segment.Ended()) Poll(segment);
    }
    const bool all_ended =
        std::all_of(segments_.begin(), segments_.end(), [](const auto& s) { return s.Ended(); });
    FleetView fleet = ComposeFleetView(segments_, run_id_, thresholds_, aborted_by_, false);
    if (!aborted_by_ && fleet.evaluation.abort_index) {
      aborted_by_ = fleet.evaluation.abort_index;
      StopAll("threshold \"" + thresholds_[*aborted_by_].expr + "\" failed on the fleet's figures");
    }
    const auto taken = std::chrono::steady_clock::now();
    view_.Show(FleetSnapshot(fleet.report, previous ? &*previous : nullptr, taken - previous_at));
    previous = std::move(fleet.report);
    previous_at = taken;
    if (all_ended) return;
    std::this_thread::sleep_until(round_start + interval);
  }
}

}  // namespace throng::cli
