#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "http_types.h"

namespace demo {

/// The backend's own request metrics, rendered in Prometheus text format by prometheus-cpp's
/// TextSerializer.
/// Record() writes to a per-thread shard guarded by that shard's own mutex, so request threads
/// never contend with each other; Render() merges shards at scrape time.
class Metrics {
 public:
  /// Status pseudo-codes for injected transport faults, which have no HTTP status.
  static constexpr int kStatusReset = 0;
  static constexpr int kStatusMalformed = 1;

  void Record(size_t route_id, http::verb method, int status, double seconds);
  /// A request was read (+1), or its answer starts going out or it is abandoned (-1). Keeps the
  /// high-water mark: a lower bound of how many requests the clients ever had in flight at once.
  void AddInFlight(int delta);
  /// Prometheus text exposition; `route_names` maps route ids to route patterns.
  std::string Render(const std::vector<std::string>& route_names) const;

 private:
  static constexpr std::array<double, 14> kBounds = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  struct Histogram {
    std::array<uint64_t, kBounds.size() + 1> buckets{};  // last one is +Inf; not cumulative
    double sum = 0;
  };
  struct Shard {
    std::mutex mutex;
    std::unordered_map<uint64_t, uint64_t> counts;    // key: route, method, status
    std::unordered_map<uint64_t, Histogram> latency;  // key: route, method
  };
  Shard& LocalShard();

  std::atomic<int64_t> in_flight_{0};
  std::atomic<int64_t> in_flight_max_{0};
  mutable std::mutex shards_mutex_;  // taken once per thread, when its shard is created
  std::vector<std::unique_ptr<Shard>> shards_;
};

}  // namespace demo
