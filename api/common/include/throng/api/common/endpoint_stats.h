// One endpoint's engine figures <-> its v1 report row, both ways: the daemon writes report rows
// with it, and throngctl reads rows back to merge a fleet's reports with the same code.
#pragma once

#include <absl/status/statusor.h>

#include <chrono>

#include "throng/engine/stats_snapshot.h"
#include "throng/v1/job.pb.h"

namespace throng::api {

v1::LatencySummary ToProto(const engine::LatencySummary& latency);

/// The report row of one endpoint over a whole run: counts, latency summary and Locust's
/// percentile columns read from its histogram, rates over `elapsed`, bytes, failures by kind,
/// and the histogram itself (so rows can be merged exactly).
v1::EndpointStats EndpointReportOf(const engine::EndpointStats& stats,
                                   std::chrono::nanoseconds elapsed);
/// The same, written into `out` (a fresh row; on out's arena, so a report on an arena is built
/// without a copy).
void FillEndpointReport(const engine::EndpointStats& stats, std::chrono::nanoseconds elapsed,
                        v1::EndpointStats& out);

/// The engine figures a report row was written from: counts, bytes, failures by kind and the
/// latency histogram (exactly). Not carried by a row, so left empty: the per-status counts and
/// the uncorrected service-time histogram. InvalidArgument naming the field for a row no daemon
/// could have written (a malformed histogram, an unknown failure kind).
absl::StatusOr<engine::EndpointStats> EndpointStatsFromReport(const v1::EndpointStats& row);

}  // namespace throng::api
