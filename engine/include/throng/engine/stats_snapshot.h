// Merged, copyable statistics of a job at one moment (cumulative) or over an interval.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "throng/engine/failure_kind.h"
#include "throng/engine/histogram.h"
#include "throng/engine/plan.h"

namespace throng::engine {

/// HTTP status slots: slot 0 is "no response" (status 0, or any status outside 100..599);
/// slot s - 99 is status s.
inline constexpr std::size_t kStatusSlotCount = 501;
inline std::size_t StatusSlot(unsigned status) {
  return status >= 100 && status <= 599 ? status - 99 : 0;
}
/// Status code of a slot (0 for the "no response" slot).
inline unsigned StatusOfSlot(std::size_t slot) {
  return slot == 0 ? 0 : static_cast<unsigned>(slot + 99);
}

/// Request counts by status slot, holding only the slots seen, in increasing slot order (an
/// endpoint sees a handful of statuses; a table of every slot would be 4 KB per endpoint in every
/// snapshot). A plain value; not synchronised.
class StatusTally {
 public:
  std::uint64_t Get(std::size_t slot) const;
  /// Adds `n` requests to `slot` (< kStatusSlotCount; others are ignored).
  void Add(std::size_t slot, std::uint64_t n);
  void Add(const StatusTally& other);
  /// Removes an earlier state of the same counts (saturating at 0; emptied slots are dropped).
  void Subtract(const StatusTally& earlier);
  /// Calls fn(slot, count) for each slot with a non-zero count, in increasing slot order.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    for (const auto& [slot, count] : counts_) fn(std::size_t{slot}, count);
  }
  bool operator==(const StatusTally&) const = default;

 private:
  std::vector<std::pair<std::uint16_t, std::uint64_t>> counts_;  // count > 0
};

/// Min/avg/percentiles/max of a latency histogram, in milliseconds (0 when empty).
struct LatencySummary {
  double min_ms = 0;
  double avg_ms = 0;
  double p50_ms = 0;
  double p90_ms = 0;
  double p95_ms = 0;
  double p99_ms = 0;
  double max_ms = 0;
};
LatencySummary Summarize(const LatencyHistogram& histogram);

/// Events per second over `span`; 0 for an empty span.
double PerSecond(std::uint64_t count, std::chrono::nanoseconds span);

/// One endpoint's figures. All counters are cumulative in a cumulative snapshot and per
/// interval in an interval snapshot.
struct EndpointStats {
  EndpointKey key;
  std::uint64_t requests = 0;
  std::uint64_t failures = 0;
  std::array<std::uint64_t, kFailureKindCount> failures_by_kind{};
  StatusTally by_status;
  std::uint64_t bytes_sent = 0;
  std::uint64_t bytes_received = 0;
  /// Redirect hops followed (http.max_redirects), summed over requests.
  std::uint64_t redirects = 0;
  /// Latency as reported (coordinated-omission corrected in the open model), microseconds.
  LatencyHistogram latency;
  /// Uncorrected send-to-response time, microseconds, once it differs from `latency` for some
  /// request (the open model); nullopt while it equals `latency` (the closed model), which then
  /// is not held twice. Read it through ServiceTime().
  std::optional<LatencyHistogram> distinct_service_time;

  /// Uncorrected send-to-response time, microseconds.
  const LatencyHistogram& ServiceTime() const {
    return distinct_service_time ? *distinct_service_time : latency;
  }
  /// The service-time histogram to add to, made distinct from `latency` first (a copy of it).
  LatencyHistogram& DistinctServiceTime();

  std::uint64_t FailuresOf(FailureKind kind) const {
    return failures_by_kind[static_cast<std::size_t>(kind)];
  }
  std::uint64_t RequestsWithStatus(unsigned status) const {
    return by_status.Get(StatusSlot(status));
  }
  /// Fraction of requests that failed, 0..1 (0 when there were none).
  double FailureRatio() const;
  /// Mean response size in bytes (0 when there were no requests).
  double AvgContentLength() const;
  /// Set once the histograms were dropped (StatsSnapshot::DropHistograms): their summary.
  std::optional<LatencySummary> latency_summary;
  LatencySummary Latency() const { return latency_summary ? *latency_summary : Summarize(latency); }

  /// Keeps the Latency() summary in latency_summary and frees the histograms.
  void DropHistograms();
  /// Adds `other`'s counters and histograms (the key is kept).
  void Add(const EndpointStats& other);
  /// Removes an earlier state of the same cumulative figures (saturating at 0).
  void Subtract(const EndpointStats& earlier);
  /// This minus `earlier`, as Subtract computes it, without copying this endpoint's histograms.
  EndpointStats Since(const EndpointStats& earlier) const;
};

/// Statistics of a job: one entry per endpoint (same order as Plan::endpoints) plus job-wide
/// counters. A plain value: copy it, keep it, diff it; not synchronised.
struct StatsSnapshot {
  std::vector<EndpointStats> endpoints;
  std::uint64_t iterations = 0;
  /// Iterations that sent no request (a task of only `set`, skipped requests...): each was
  /// followed by a pause; the API shows them as a warning.
  std::uint64_t iterations_without_requests = 0;
  std::uint64_t dropped_iterations = 0;
  /// Open model: iterations that waited in the queue for a free user (late, not lost).
  std::uint64_t late_iterations = 0;
  /// A gauge: the users active when the snapshot was taken (not diffed by Minus).
  std::int64_t active_users = 0;

  /// Set by DropHistograms(): the merged endpoint as it was, summarized.
  std::optional<EndpointStats> aggregated_summary;

  /// All endpoints merged, keyed {"Aggregated", ""} (the kept one after DropHistograms()).
  EndpointStats Aggregated() const;
  /// For a snapshot whose readers want counts, rates and latency summaries only (the interval
  /// tracker's interval): each endpoint, and the aggregate, keeps its Latency() summary and
  /// drops its histograms, so the snapshot holds a few hundred bytes per endpoint instead of its
  /// histograms' chunks. Percentiles beyond the summary, Add, Subtract and Minus are then
  /// meaningless on it (its histograms are empty).
  void DropHistograms();
  /// The interval between `earlier` and this snapshot of the same job (same endpoints).
  StatsSnapshot Minus(const StatsSnapshot& earlier) const;
};

}  // namespace throng::engine
