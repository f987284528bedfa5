#include "throng/api/metrics/job_metrics.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "job_metrics_families.h"

namespace throng::api {

const std::vector<double> kDefaultLatencyBuckets = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

std::string ThresholdLabel(const engine::ThresholdPlan& threshold) {
  if (threshold.request_name.empty()) return threshold.expr;
  return threshold.expr + " [" + threshold.request_name + "]";
}

JobMetricsCollectable::JobMetricsCollectable(std::chrono::nanoseconds retention,
                                             const engine::Clock* clock)
    : retention_(retention), clock_(clock != nullptr ? *clock : steady_clock_) {}

void JobMetricsCollectable::Add(const std::string& id, JobMetricsSource source) {
  if (!source.snapshot) throw std::invalid_argument("JobMetricsSource.snapshot is required");
  // Prometheus requires increasing `le` bounds; a job's own list may come unsorted.
  std::sort(source.buckets.begin(), source.buckets.end());
  source.buckets.erase(std::unique(source.buckets.begin(), source.buckets.end()),
                       source.buckets.end());
  auto shared = std::make_shared<const JobMetricsSource>(std::move(source));
  std::lock_guard lock(mutex_);
  entries_[id] = Entry{std::move(shared), std::nullopt};
}

void JobMetricsCollectable::MarkFinished(const std::string& id, engine::TimePoint finished_at) {
  std::lock_guard lock(mutex_);
  const auto it = entries_.find(id);
  if (it != entries_.end()) it->second.finished_at = finished_at;
}

void JobMetricsCollectable::Remove(const std::string& id) {
  std::lock_guard lock(mutex_);
  entries_.erase(id);
}

void JobMetricsCollectable::Prune() {
  std::lock_guard lock(mutex_);
  PruneLocked();
}

std::size_t JobMetricsCollectable::Size() const {
  std::lock_guard lock(mutex_);
  PruneLocked();
  return entries_.size();
}

void JobMetricsCollectable::PruneLocked() const {
  const engine::TimePoint now = clock_.Now();
  std::erase_if(entries_, [&](const auto& item) {
    const auto& finished_at = item.second.finished_at;
    return finished_at && now - *finished_at >= retention_;
  });
}

std::vector<prometheus::MetricFamily> JobMetricsCollectable::Collect() const {
  std::vector<std::shared_ptr<const JobMetricsSource>> sources;
  {
    std::lock_guard lock(mutex_);
    PruneLocked();
    sources.reserve(entries_.size());
    for (const auto& [id, entry] : entries_) sources.push_back(entry.source);
  }
  // Merging a job's per-thread stats is the slow part: do it outside the lock so Add and
  // MarkFinished never wait for a scrape.
  detail::JobFamilies families;
  for (const auto& source : sources) families.AddJob(*source);
  return families.Take();
}

}  // namespace throng::api
