#include "throng/engine/job_status.h"

namespace throng::engine {

std::string_view JobPhaseName(JobPhase phase) {
  switch (phase) {
    case JobPhase::kStarting:
      return "starting";
    case JobPhase::kRunning:
      return "running";
    case JobPhase::kPaused:
      return "paused";
    case JobPhase::kStopping:
      return "stopping";
    case JobPhase::kCompleted:
      return "completed";
    case JobPhase::kStopped:
      return "stopped";
    case JobPhase::kAborted:
      return "aborted";
    case JobPhase::kFailed:
      return "failed";
  }
  return "unknown";
}

bool IsFinal(JobPhase phase) {
  return phase == JobPhase::kCompleted || phase == JobPhase::kStopped ||
         phase == JobPhase::kAborted || phase == JobPhase::kFailed;
}

}  // namespace throng::engine
