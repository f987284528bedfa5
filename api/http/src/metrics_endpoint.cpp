#include "throng/api/http/metrics_endpoint.h"

#include <prometheus/text_serializer.h>

namespace throng::api::http {

void MetricsEndpoint::RegisterCollectable(
    const std::weak_ptr<prometheus::Collectable>& collectable) {
  std::lock_guard lock(mutex_);
  collectables_.push_back(collectable);
}

std::string MetricsEndpoint::Scrape() const {
  std::vector<std::shared_ptr<prometheus::Collectable>> live;
  {
    std::lock_guard lock(mutex_);
    for (const auto& weak : collectables_) {
      if (auto collectable = weak.lock()) live.push_back(std::move(collectable));
    }
  }
  // Collected outside the lock: a collectable may take its own locks.
  std::vector<prometheus::MetricFamily> families;
  for (const auto& collectable : live) {
    std::vector<prometheus::MetricFamily> collected = collectable->Collect();
    families.insert(families.end(), std::make_move_iterator(collected.begin()),
                    std::make_move_iterator(collected.end()));
  }
  return prometheus::TextSerializer().Serialize(families);
}

}  // namespace throng::api::http
