// A job's share of a fleet run: k6's striped execution segments for N equal segments.
#pragma once

#include <cstdint>

namespace throng::engine {

/// Most segments one fleet run may have (the API refuses more).
inline constexpr std::uint32_t kMaxFleetSegments = 1000;

/// Segment `index` of `count` equal segments of a fleet run. Item j of any whole (user j,
/// arrival j, iteration j, feeder row j) belongs to segment j mod count: the items are striped,
/// so every share is computed from the segment alone, the shares of a whole sum exactly to it,
/// two shares differ by at most one, and at every instant a schedule's segments together follow
/// the whole schedule. The default {0, 1} is the whole. A plain value.
struct ExecutionSegment {
  std::uint32_t index = 0;
  std::uint32_t count = 1;

  bool IsWhole() const { return count <= 1; }
  /// How many of the items 0 .. whole-1 belong to this segment.
  std::uint64_t ShareOf(std::uint64_t whole) const;
  /// ShareOf for 32-bit counts (a share never exceeds its whole).
  std::uint32_t ShareOf32(std::uint32_t whole) const {
    return static_cast<std::uint32_t>(ShareOf(whole));
  }
  /// True when item `item` of a whole belongs to this segment.
  bool Owns(std::uint64_t item) const { return IsWhole() || item % count == index; }
  /// The whole's index of this segment's `local`-th item (local * count + index).
  std::uint64_t GlobalIndex(std::uint64_t local) const {
    return IsWhole() ? local : local * count + index;
  }
};

struct Plan;

/// Cuts `plan` down to its segment's share (plan.load.segment), in place, for what is fixed at
/// the start: open max/pre-allocated users and queue, per-user iterations' users and
/// concurrency, shared iterations' users and iterations, and the rows of unique feeders (a
/// unique feeder keeps the rows it owns, in order, so its local row k is global row
/// GlobalIndex(k)). Closed user counts, spawn rates, stages and arrival rates change over time:
/// the schedules stripe them (ClosedLoadSchedule, ArrivalSchedule). A whole segment changes
/// nothing.
void ApplyExecutionSegment(Plan& plan);

}  // namespace throng::engine
