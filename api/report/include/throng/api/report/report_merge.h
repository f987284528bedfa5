// One exact report of a fleet run from its segments' reports.
#pragma once

#include <absl/status/statusor.h>

#include <chrono>
#include <vector>

#include "throng/engine/stats_snapshot.h"
#include "throng/v1/job.pb.h"

namespace throng::api::report {

/// A fleet run's figures merged from its segments' reports.
struct MergedFigures {
  /// Endpoints by (name, method), in order of first appearance; histograms added bucket by
  /// bucket, so every percentile is that of one histogram holding every segment's samples.
  /// Iterations, dropped and late iterations summed from the segments' totals.
  engine::StatsSnapshot stats;
  /// The longest segment's load time (the rate denominator).
  std::chrono::nanoseconds elapsed{0};
};

/// Merges the segments' endpoint rows exactly. InvalidArgument naming the segment (its position
/// in `reports`) and the field for a row no daemon could have written.
absl::StatusOr<MergedFigures> MergeFigures(const std::vector<v1::Report>& reports);

/// The fleet's report: endpoint and aggregated rows rebuilt from `merged` with the daemon's own
/// row code (percentiles from the merged histograms, never averaged), errors summed by (name,
/// method, kind), job totals summed, the timeline summed per second (counts and rates; its
/// latency columns stay empty, snapshots carry no histograms), the job's state the most severe
/// of the segments' and its times the widest. The caller sets the job id, thresholds, verdict
/// and the fleet section. The spec is the first segment's.
v1::Report BuildMergedReport(const std::vector<v1::Report>& reports, const MergedFigures& merged);

}  // namespace throng::api::report
