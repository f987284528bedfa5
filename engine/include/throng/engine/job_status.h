// A job's lifecycle phase and the live status snapshot shown by WatchJob and throngctl.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "throng/engine/plan.h"

namespace throng::engine {

/// kStarting: setup running. kRunning/kPaused: load. kStopping: users finishing, teardown.
/// The last four are final: kCompleted (ran its course), kStopped (Stop), kAborted (Abort,
/// e.g. a threshold), kFailed (setup failed or an internal error).
enum class JobPhase {
  kStarting,
  kRunning,
  kPaused,
  kStopping,
  kCompleted,
  kStopped,
  kAborted,
  kFailed
};

/// Lower-case name, e.g. "running".
std::string_view JobPhaseName(JobPhase phase);
/// True for the final phases.
bool IsFinal(JobPhase phase);

/// A consistent copy of a job's live state.
struct JobStatus {
  JobPhase phase = JobPhase::kStarting;
  std::uint32_t active_users = 0;
  std::uint32_t target_users = 0;
  double target_rate = 0;  // open model only
  std::string stage;
  double progress = -1;  // 0..1; -1 when unbounded
  Duration elapsed{0};   // load time, pauses excluded
  std::chrono::system_clock::time_point started_at{};
  std::chrono::system_clock::time_point ended_at{};  // epoch until final
  std::string error;
  std::vector<std::string> warnings;
  /// The variables setup extracted or set (a fleet's setup job hands them to its segments).
  std::map<std::string, std::string> setup_variables;
};

}  // namespace throng::engine
