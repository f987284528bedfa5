// Per-thread recording of request statistics, merged when read.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "throng/engine/failure_kind.h"
#include "throng/engine/histogram.h"
#include "throng/engine/plan.h"
#include "throng/engine/stats_snapshot.h"

namespace throng::engine {

/// One finished (or failed) request as the worker measured it.
struct RequestSample {
  /// As measured for reports (coordinated-omission corrected in the open model).
  std::chrono::nanoseconds latency{0};
  /// Uncorrected send->response time (== latency in the closed model).
  std::chrono::nanoseconds service_time{0};
  FailureKind failure = FailureKind::kNone;
  unsigned status = 0;  // 0 when no response
  std::uint64_t bytes_sent = 0;
  std::uint64_t bytes_received = 0;
  /// Redirect hops followed to get the response.
  std::uint32_t redirects = 0;
};

/// Per-status request counts of one endpoint on one worker: the first kInline distinct statuses
/// in a small table, any others in lazily allocated chunks (a few hundred bytes instead of one
/// counter per possible status). Single writer (Record), readers on any thread (AddTo).
class StatusCounts {
 public:
  void Record(std::size_t slot);
  /// Adds the counts into `into`.
  void AddTo(StatusTally& into) const;
  std::size_t AllocatedBytes() const { return overflow_.AllocatedBytes(); }

 private:
  static constexpr std::size_t kInline = 6;
  static constexpr std::size_t kOverflowLength = 512;        // >= kStatusSlotCount, chunk multiple
  std::array<std::atomic<std::uint16_t>, kInline> slots_{};  // slot + 1; 0 while unused
  std::array<RelaxedCounter, kInline> counts_;
  ChunkedCounts<RelaxedCounter, kOverflowLength> overflow_;
};

/// One worker thread's cumulative figures. Single writer: only the owning worker thread calls
/// the Record/Add methods (no lock, no read-modify-write: relaxed load + store). Any thread may
/// read concurrently through JobStats::Snapshot(). Cache-line aligned so that neighbouring
/// workers' blocks never share a line. Memory per endpoint: about 0.5 KiB plus the histograms'
/// chunks in use (a sample whose latency and service time are equal, as in the closed model, is
/// recorded once for both).
class alignas(128) ThreadStats {
 public:
  explicit ThreadStats(std::size_t endpoints);

  /// `endpoint` indexes JobStats::Endpoints(); out-of-range indices are ignored.
  void RecordRequest(std::uint32_t endpoint, const RequestSample& sample);
  void RecordIteration() { Bump(iterations_, 1); }
  /// An iteration that sent no request (it is paced; see kNoRequestPause).
  void RecordIterationWithoutRequest() { Bump(iterations_without_requests_, 1); }
  /// An open-model iteration that could not start in time.
  void RecordDroppedIteration() { Bump(dropped_iterations_, 1); }
  /// An open-model iteration that found every user busy and waited in the queue (its latency
  /// includes the wait). It still runs, or is dropped later and counted there too.
  void RecordLateIteration() { Bump(late_iterations_, 1); }
  /// `delta` users started (positive) or stopped (negative) on this worker.
  void AddActiveUsers(int delta) {
    active_users_.Set(active_users_.Get() + static_cast<std::uint64_t>(std::int64_t{delta}));
  }

  /// Adds this worker's figures into `into` (which has one entry per endpoint).
  void AddTo(StatsSnapshot& into) const;
  /// Heap bytes held for endpoint statistics (blocks, status overflow, histogram chunks).
  std::size_t AllocatedBytes() const;

 private:
  struct alignas(128) Endpoint {  // aligned: no line shared with another worker's block
    // Requests are not counted apart: each has one sample in `same` or `latency_only`.
    RelaxedCounter failures;
    std::array<RelaxedCounter, kFailureKindCount> failures_by_kind;
    StatusCounts by_status;
    RelaxedCounter bytes_sent;
    RelaxedCounter bytes_received;
    RelaxedCounter redirects;
    // latency = same + latency_only; service time = same + service_only.
    RecordingHistogram same;
    RecordingHistogram latency_only;
    RecordingHistogram service_only;
  };
  static void Bump(RelaxedCounter& c, std::uint64_t n) { c.Set(c.Get() + n); }

  std::vector<std::unique_ptr<Endpoint>> endpoints_;
  RelaxedCounter iterations_;
  RelaxedCounter iterations_without_requests_;
  RelaxedCounter dropped_iterations_;
  RelaxedCounter late_iterations_;
  RelaxedCounter active_users_;  // two's complement int64
};

/// All statistics of one job: one ThreadStats per worker; reads merge them. Snapshot() and
/// Endpoints() are thread-safe; ForWorker(i) hands worker i its recorder (the JobStats must
/// outlive every worker that records).
class JobStats {
 public:
  JobStats(std::vector<EndpointKey> endpoints, std::size_t workers);

  ThreadStats& ForWorker(std::size_t worker) { return *workers_.at(worker); }
  /// Merges all workers' cumulative figures. Costs O(workers x endpoints x occupied buckets).
  StatsSnapshot Snapshot() const;
  const std::vector<EndpointKey>& Endpoints() const { return endpoints_; }
  std::size_t Workers() const { return workers_.size(); }

 private:
  std::vector<EndpointKey> endpoints_;
  std::vector<std::unique_ptr<ThreadStats>> workers_;
};

}  // namespace throng::engine
