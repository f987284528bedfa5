// /metrics: the Prometheus text exposition of registered collectables.
#pragma once

#include <prometheus/collectable.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace throng::api::http {

/// The collectables /metrics serves (what prometheus::Exposer::RegisterCollectable kept before):
/// only weak_ptrs are held, so the owner keeps each collectable alive. Thread-safe.
class MetricsEndpoint {
 public:
  /// Adds `collectable`; it is read on every scrape until it expires.
  void RegisterCollectable(const std::weak_ptr<prometheus::Collectable>& collectable);
  /// Collects every live collectable and renders prometheus-cpp's text format (version 0.0.4).
  std::string Scrape() const;

 private:
  mutable std::mutex mutex_;
  std::vector<std::weak_ptr<prometheus::Collectable>> collectables_;
};

}  // namespace throng::api::http
