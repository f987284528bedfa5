#include "throng/engine/execution_segment.h"

#include <algorithm>
#include <utility>

#include "overloaded.h"
#include "throng/engine/plan.h"

namespace throng::engine {

std::uint64_t ExecutionSegment::ShareOf(std::uint64_t whole) const {
  if (IsWhole()) return whole;
  // Items index, index + count, ... below whole (k6's ScaleInt64 for equal segments).
  return whole / count + (whole % count > index ? 1 : 0);
}

namespace {

// A share of a "how many at once" bound: never 0 while the segment has work, so a segment with
// users can always run one.
std::uint32_t BoundShare(const ExecutionSegment& segment, std::uint32_t bound) {
  if (bound == 0) return 0;  // 0 means "no bound" / "default"
  return std::max<std::uint32_t>(1, segment.ShareOf32(bound));
}

void StripeRows(const ExecutionSegment& segment, FeederPlan& feeder) {
  std::vector<std::vector<std::string>> kept;
  kept.reserve(segment.ShareOf(feeder.rows.size()));
  for (std::size_t row = segment.index; row < feeder.rows.size(); row += segment.count) {
    kept.push_back(std::move(feeder.rows[row]));
  }
  feeder.rows = std::move(kept);
}

}  // namespace

void ApplyExecutionSegment(Plan& plan) {
  const ExecutionSegment segment = plan.load.segment;
  if (segment.IsWhole()) return;
  std::visit(Overloaded{
                 [](ClosedModelPlan&) {},  // striped over time by ClosedLoadSchedule
                 [&](OpenModelPlan& open) {
                   open.max_users = BoundShare(segment, open.max_users);
                   open.pre_allocated_users =
                       std::min(open.max_users, segment.ShareOf32(open.pre_allocated_users));
                   open.max_queue = BoundShare(segment, open.max_queue);
                 },
                 [&](PerUserIterationsPlan& per_user) {
                   per_user.users = segment.ShareOf32(per_user.users);
                   per_user.max_concurrency = BoundShare(segment, per_user.max_concurrency);
                 },
                 [&](SharedIterationsPlan& shared) {
                   shared.users = segment.ShareOf32(shared.users);
                   shared.iterations = segment.ShareOf32(shared.iterations);
                 },
             },
             plan.load.model);
  for (FeederPlan& feeder : plan.feeders) {
    if (feeder.mode == FeederPlan::Mode::kUnique) StripeRows(segment, feeder);
  }
}

}  // namespace throng::engine
