// JobSpec.fleet and JobSpec.phases -> the plan's segment, start instant, run id and phases.
#include <google/protobuf/util/time_util.h>

#include <chrono>
#include <string>

#include "spec_parts.h"
#include "spec_support.h"
#include "throng/engine/execution_segment.h"

namespace throng::api::spec {
namespace {

constexpr std::size_t kMaxRunIdLength = 64;
constexpr auto kMaxStartAhead = std::chrono::hours(1);

bool IsRunIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.';
}

void CheckRunId(const std::string& run_id, const FieldPath& path) {
  Require(run_id, path);
  if (run_id.size() > kMaxRunIdLength) {
    Fail(path, "at most " + std::to_string(kMaxRunIdLength) + " characters");
  }
  for (char c : run_id) {
    if (!IsRunIdChar(c)) Fail(path, "only letters, digits, '_', '-' and '.' are allowed");
  }
}

std::chrono::system_clock::time_point StartTime(const google::protobuf::Timestamp& time,
                                                const FieldPath& path) {
  using google::protobuf::util::TimeUtil;
  if (time.seconds() < TimeUtil::kTimestampMinSeconds ||
      time.seconds() > TimeUtil::kTimestampMaxSeconds || time.nanos() < 0 ||
      time.nanos() > 999'999'999) {
    Fail(path, "not a valid timestamp");
  }
  const auto at = std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::seconds(time.seconds()) + std::chrono::nanoseconds(time.nanos())));
  if (at > std::chrono::system_clock::now() + kMaxStartAhead) {
    Fail(path, "at most 1h ahead of the daemon's clock");
  }
  return at;
}

// A segment needs at least one user for every share of work it can get.
void CheckSplittable(const engine::LoadPlan& load, std::uint32_t count, const FieldPath& path) {
  if (const auto* open = std::get_if<engine::OpenModelPlan>(&load.model);
      open != nullptr && open->max_users < count) {
    Fail(path, "the fleet has " + std::to_string(count) + " segments but load.open.max_users is " +
                   std::to_string(open->max_users) + ": every segment needs at least one user");
  }
  if (const auto* shared = std::get_if<engine::SharedIterationsPlan>(&load.model);
      shared != nullptr && shared->users < count) {
    Fail(path, "the fleet has " + std::to_string(count) +
                   " segments but load.shared_iterations.users is " +
                   std::to_string(shared->users) + ": every segment needs at least one user");
  }
}

}  // namespace

void ConvertFleet(const v1::JobSpec& spec, engine::Plan& plan) {
  const FieldPath root;
  switch (spec.phases()) {
    case v1::JOB_PHASES_ALL:
      plan.phases = engine::JobPhases::kAll;
      break;
    case v1::JOB_PHASES_SETUP_ONLY:
      plan.phases = engine::JobPhases::kSetupOnly;
      break;
    case v1::JOB_PHASES_TEARDOWN_ONLY:
      plan.phases = engine::JobPhases::kTeardownOnly;
      break;
    default:
      Fail(root.Field("phases"), "unknown value " + std::to_string(spec.phases()));
  }
  if (!spec.has_fleet()) return;
  const FieldPath path = root.Field("fleet");
  const v1::FleetSegment& fleet = spec.fleet();
  if (fleet.count() < 1 || fleet.count() > engine::kMaxFleetSegments) {
    Fail(path.Field("count"),
         "must be from 1 to " + std::to_string(engine::kMaxFleetSegments) + " segments");
  }
  if (fleet.index() >= fleet.count()) {
    Fail(path.Field("index"), "must be below count (" + std::to_string(fleet.count()) + ")");
  }
  CheckRunId(fleet.run_id(), path.Field("run_id"));
  CheckSplittable(plan.load, fleet.count(), path.Field("count"));
  plan.load.segment = {fleet.index(), fleet.count()};
  plan.fleet_run_id = fleet.run_id();
  if (fleet.has_start_time()) {
    plan.load_start_at = StartTime(fleet.start_time(), path.Field("start_time"));
  }
}

}  // namespace throng::api::spec
