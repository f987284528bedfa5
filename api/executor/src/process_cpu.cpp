#include "process_cpu.h"

#include <sys/resource.h>

#include <algorithm>
#include <thread>

namespace throng::api {
namespace {

double Seconds(const timeval& time) {
  return static_cast<double>(time.tv_sec) + static_cast<double>(time.tv_usec) / 1e6;
}

}  // namespace

double ProcessCpuSeconds() {
  rusage usage{};
  if (::getrusage(RUSAGE_SELF, &usage) != 0) return 0;
  return Seconds(usage.ru_utime) + Seconds(usage.ru_stime);
}

double CpuUtilization(double cpu_origin, std::chrono::nanoseconds wall) {
  const double wall_seconds = std::chrono::duration<double>(wall).count();
  if (wall_seconds <= 0) return 0;
  const double cores = std::max(1u, std::thread::hardware_concurrency());
  return std::clamp((ProcessCpuSeconds() - cpu_origin) / (wall_seconds * cores), 0.0, 1.0);
}

}  // namespace throng::api
