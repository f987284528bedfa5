// The daemon's own CPU use, for the report's generator_cpu_utilization.
#pragma once

#include <chrono>

namespace throng::api {

/// CPU time (user + system) this process has used so far, in seconds. Thread-safe.
double ProcessCpuSeconds();

/// The share of the machine's cores this process kept busy since `cpu_origin` (a
/// ProcessCpuSeconds() value) over `wall`: 0..1, 0 when `wall` is not positive.
double CpuUtilization(double cpu_origin, std::chrono::nanoseconds wall);

}  // namespace throng::api
