#pragma once

#include <string>

namespace demo {

/// Prometheus text for the backend process itself, named as prometheus_client and the
/// instrumented FastAPI/Django backends name it: `process_cpu_seconds_total` (user + system CPU
/// seconds) and `process_resident_memory_bytes`. Reads /proc/self at each call (Linux only; on
/// a read failure the series are left out). Thread-safe: it keeps no state.
std::string RenderProcessMetrics();

}  // namespace demo
