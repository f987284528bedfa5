// A fleet run's segments as throngctl sees them, and what it makes of them together: the merged
// report (exact histograms), the fleet's thresholds and the merged live snapshot.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "throng/engine/plan.h"
#include "throng/engine/threshold_evaluator.h"
#include "throng/v1/job.pb.h"

namespace throng::cli {

/// One segment: where it runs, its last report and whether its daemon was lost.
struct FleetSegment {
  std::uint32_t index = 0;
  std::string address;
  std::string job_id;
  /// The last report received (a final one once the segment has ended).
  std::optional<v1::Report> report;
  bool lost = false;
  std::chrono::steady_clock::time_point last_seen{};
  std::chrono::system_clock::time_point last_seen_wall{};
  std::string error;

  bool Ended() const;
};

/// The fleet's figures at one moment. `thresholds` are the scenario's (converted by the spec
/// library); `aborted_by` the threshold that stopped the fleet, if one did.
struct FleetView {
  v1::Report report;  // merged; thresholds, verdict and fleet section filled in
  engine::ThresholdEvaluation evaluation;
};

/// Merges every segment's last report (lost ones included, with their last figures) and
/// evaluates `thresholds` on the merged statistics. Throws InputError for a malformed report.
FleetView ComposeFleetView(const std::vector<FleetSegment>& segments, const std::string& run_id,
                           const std::vector<engine::ThresholdPlan>& thresholds,
                           std::optional<std::size_t> aborted_by, bool final);

/// The live view's snapshot of the merged report: cumulative latency per endpoint, rates from
/// the requests since `previous` (nullptr: none yet) over `span`.
v1::JobSnapshot FleetSnapshot(const v1::Report& merged, const v1::Report* previous,
                              std::chrono::nanoseconds span);

/// The thresholds of `spec` as the daemon parses them; throws InputError naming the field.
std::vector<engine::ThresholdPlan> FleetThresholds(const v1::JobSpec& spec);

}  // namespace throng::cli
