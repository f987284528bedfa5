#include "throng/engine/stats.h"

#include <utility>

namespace throng::engine {

ThreadStats::ThreadStats(std::size_t endpoints) {
  endpoints_.reserve(endpoints);
  for (std::size_t i = 0; i < endpoints; ++i) endpoints_.push_back(std::make_unique<Endpoint>());
}

void StatusCounts::Record(std::size_t slot) {
  const auto tag = static_cast<std::uint16_t>(slot + 1);
  for (std::size_t k = 0; k < kInline; ++k) {
    const std::uint16_t held = slots_[k].load(std::memory_order_relaxed);
    if (held == tag) {
      counts_[k].Set(counts_[k].Get() + 1);
      return;
    }
    if (held == 0) {
      counts_[k].Set(1);
      slots_[k].store(tag, std::memory_order_release);  // a reader seeing the tag sees the count
      return;
    }
  }
  RelaxedCounter& cell = overflow_.Cell(slot);
  cell.Set(cell.Get() + 1);
}

void StatusCounts::AddTo(StatusTally& into) const {
  for (std::size_t k = 0; k < kInline; ++k) {
    const std::uint16_t tag = slots_[k].load(std::memory_order_acquire);
    if (tag == 0) break;
    into.Add(tag - 1u, counts_[k].Get());
  }
  if (overflow_.AllocatedBytes() == 0) return;
  for (std::size_t slot = 0; slot < kStatusSlotCount; ++slot) into.Add(slot, overflow_.Get(slot));
}

void ThreadStats::RecordRequest(std::uint32_t endpoint, const RequestSample& sample) {
  if (endpoint >= endpoints_.size()) return;
  Endpoint& e = *endpoints_[endpoint];
  if (sample.failure != FailureKind::kNone) {
    Bump(e.failures, 1);
    const auto kind = static_cast<std::size_t>(sample.failure);
    Bump(e.failures_by_kind[kind < kFailureKindCount ? kind : kFailureKindCount - 1], 1);
  }
  e.by_status.Record(StatusSlot(sample.status));
  Bump(e.bytes_sent, sample.bytes_sent);
  Bump(e.bytes_received, sample.bytes_received);
  if (sample.redirects != 0) Bump(e.redirects, sample.redirects);
  const std::uint64_t latency = RecordingHistogram::ToMicros(sample.latency);
  const std::uint64_t service_time = RecordingHistogram::ToMicros(sample.service_time);
  if (latency == service_time) {
    e.same.Record(latency);
  } else {
    e.latency_only.Record(latency);
    e.service_only.Record(service_time);
  }
}

std::size_t ThreadStats::AllocatedBytes() const {
  std::size_t bytes = endpoints_.capacity() * sizeof(endpoints_[0]);
  for (const auto& e : endpoints_) {
    bytes += sizeof(Endpoint) + e->by_status.AllocatedBytes() + e->same.AllocatedBytes() +
             e->latency_only.AllocatedBytes() + e->service_only.AllocatedBytes();
  }
  return bytes;
}

void ThreadStats::AddTo(StatsSnapshot& into) const {
  const std::size_t n = std::min(endpoints_.size(), into.endpoints.size());
  for (std::size_t i = 0; i < n; ++i) {
    const Endpoint& e = *endpoints_[i];
    EndpointStats& out = into.endpoints[i];
    out.failures += e.failures.Get();
    for (std::size_t k = 0; k < kFailureKindCount; ++k) {
      out.failures_by_kind[k] += e.failures_by_kind[k].Get();
    }
    e.by_status.AddTo(out.by_status);
    out.bytes_sent += e.bytes_sent.Get();
    out.bytes_received += e.bytes_received.Get();
    out.redirects += e.redirects.Get();
    // Every request has one latency sample, and the requests are counted from the samples
    // this read took: a snapshot taken while the worker records never shows a request
    // without its sample or a sample without its request (a fleet merge checks that).
    // A request whose latency and service time differ (the open model) has its two samples in
    // latency_only and service_only; until one does, the service time is the latency and the
    // snapshot holds that histogram once. Read before the samples, so that a request recorded
    // meanwhile counts in the next snapshot, not with one of its two samples.
    const bool differs = e.latency_only.Count() != 0 || e.service_only.Count() != 0;
    if (differs) out.DistinctServiceTime();  // a copy of the latency so far, before it changes
    const std::uint64_t samples_before = out.latency.Count();
    out.latency.Add(e.same);
    if (differs) out.latency.Add(e.latency_only);
    out.requests += out.latency.Count() - samples_before;
    if (out.distinct_service_time) {
      out.distinct_service_time->Add(e.same);
      if (differs) out.distinct_service_time->Add(e.service_only);
    }
  }
  into.iterations += iterations_.Get();
  into.iterations_without_requests += iterations_without_requests_.Get();
  into.dropped_iterations += dropped_iterations_.Get();
  into.late_iterations += late_iterations_.Get();
  into.active_users += static_cast<std::int64_t>(active_users_.Get());
}

JobStats::JobStats(std::vector<EndpointKey> endpoints, std::size_t workers)
    : endpoints_(std::move(endpoints)) {
  workers_.reserve(workers);
  for (std::size_t i = 0; i < workers; ++i) {
    workers_.push_back(std::make_unique<ThreadStats>(endpoints_.size()));
  }
}

StatsSnapshot JobStats::Snapshot() const {
  StatsSnapshot snapshot;
  snapshot.endpoints.resize(endpoints_.size());
  for (std::size_t i = 0; i < endpoints_.size(); ++i) snapshot.endpoints[i].key = endpoints_[i];
  for (const auto& worker : workers_) worker->AddTo(snapshot);
  return snapshot;
}

}  // namespace throng::engine
