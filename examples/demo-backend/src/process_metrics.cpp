#include "process_metrics.h"

#include <unistd.h>

#include <fstream>
#include <optional>
#include <sstream>

namespace demo {
namespace {

// utime + stime from /proc/self/stat, in seconds. Fields 14 and 15 follow the command name,
// which is in parentheses and may contain spaces: parse from the last ')'.
std::optional<double> CpuSeconds() {
  std::ifstream in("/proc/self/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::size_t end_of_name = stat.rfind(')');
  if (end_of_name == std::string::npos) return std::nullopt;
  std::istringstream fields(stat.substr(end_of_name + 1));
  std::string skipped;
  for (int field = 3; field <= 13; ++field) fields >> skipped;
  unsigned long long user_ticks = 0;
  unsigned long long system_ticks = 0;
  if (!(fields >> user_ticks >> system_ticks)) return std::nullopt;
  const long ticks_per_second = sysconf(_SC_CLK_TCK);
  if (ticks_per_second <= 0) return std::nullopt;
  return static_cast<double>(user_ticks + system_ticks) / static_cast<double>(ticks_per_second);
}

// Resident pages (second field of /proc/self/statm) times the page size.
std::optional<double> ResidentBytes() {
  std::ifstream in("/proc/self/statm");
  unsigned long long size_pages = 0;
  unsigned long long resident_pages = 0;
  if (!(in >> size_pages >> resident_pages)) return std::nullopt;
  return static_cast<double>(resident_pages) * static_cast<double>(sysconf(_SC_PAGESIZE));
}

}  // namespace

std::string RenderProcessMetrics() {
  std::ostringstream out;
  out.precision(12);  // CPU seconds of a long-lived process keep their 10 ms resolution
  if (const std::optional<double> cpu = CpuSeconds()) {
    out << "# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.\n"
           "# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total "
        << *cpu << "\n";
  }
  if (const std::optional<double> rss = ResidentBytes()) {
    out << "# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
           "# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes "
        << static_cast<unsigned long long>(*rss) << "\n";
  }
  return out.str();
}

}  // namespace demo
