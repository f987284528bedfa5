// Standard process_* metrics read from /proc/self at scrape time.
#pragma once

#include <prometheus/collectable.h>

#include <vector>

namespace throng::daemon {

/// Exposes process_cpu_seconds_total, process_resident_memory_bytes,
/// process_virtual_memory_bytes, process_open_fds and process_start_time_seconds, read from
/// /proc/self on every Collect (so values are current, with no background thread). Stateless:
/// thread-safe. Families a read fails for are left out rather than reported as 0.
class ProcessCollector final : public prometheus::Collectable {
 public:
  std::vector<prometheus::MetricFamily> Collect() const override;
};

}  // namespace throng::daemon
