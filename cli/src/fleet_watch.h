// Follows a fleet run's segments until all have ended: polls every daemon, merges, shows one live
// view, evaluates the fleet's thresholds every interval and stops every segment on an abort or,
// when asked, on a lost daemon.
#pragma once

#include <chrono>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "fleet_daemons.h"
#include "fleet_figures.h"
#include "throng/cli/fleet.h"
#include "throng/cli/live_view.h"

namespace throng::cli {

/// Borrows everything it is given for the duration of Run(). Not thread-safe.
class FleetWatch {
 public:
  FleetWatch(FleetDaemons& daemons, std::vector<FleetSegment>& segments, const FleetArgs& args,
             const std::vector<engine::ThresholdPlan>& thresholds, const std::string& run_id,
             LiveView& view, std::ostream& err);

  /// Returns when every segment has ended or was lost. The threshold that aborted the fleet, if
  /// one did, is aborted_by().
  void Run(std::chrono::milliseconds interval);
  std::optional<std::size_t> aborted_by() const { return aborted_by_; }

 private:
  void Poll(FleetSegment& segment);
  void StopAll(const std::string& reason);

  FleetDaemons& daemons_;
  std::vector<FleetSegment>& segments_;
  const FleetArgs& args_;
  const std::vector<engine::ThresholdPlan>& thresholds_;
  const std::string& run_id_;
  LiveView& view_;
  std::ostream& err_;
  std::optional<std::size_t> aborted_by_;
  bool stopping_ = false;
};

}  // namespace throng::cli
