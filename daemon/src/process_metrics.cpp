#include "throng/daemon/process_metrics.h"

#include <prometheus/client_metric.h>
#include <prometheus/family.h>
#include <prometheus/metric_family.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

namespace throng::daemon {
namespace {

struct ProcStat {
  double cpu_seconds = 0;
  double start_seconds_after_boot = 0;
  double virtual_bytes = 0;
  double resident_bytes = 0;
};

/// Fields of /proc/self/stat after the command name, which may itself contain spaces and ')'.
std::optional<ProcStat> ReadProcStat() {
  std::ifstream file("/proc/self/stat");
  std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  const auto close = text.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(text.substr(close + 2));
  std::vector<std::string> values;
  for (std::string field; fields >> field;) values.push_back(field);
  // values[0] is field 3 (state) of proc(5); utime is field 14, stime 15, starttime 22, vsize 23,
  // rss 24.
  if (values.size() < 22) return std::nullopt;
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  ProcStat stat;
  stat.cpu_seconds = (std::stod(values[11]) + std::stod(values[12])) / ticks;
  stat.start_seconds_after_boot = std::stod(values[19]) / ticks;
  stat.virtual_bytes = std::stod(values[20]);
  stat.resident_bytes = std::stod(values[21]) * static_cast<double>(sysconf(_SC_PAGESIZE));
  return stat;
}

std::optional<double> BootTimeSeconds() {
  std::ifstream file("/proc/stat");
  for (std::string line; std::getline(file, line);) {
    if (line.rfind("btime ", 0) == 0) return std::stod(line.substr(6));
  }
  return std::nullopt;
}

std::optional<double> OpenFds() {
  std::error_code ec;
  double count = 0;
  for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end;
       it.increment(ec)) {
    ++count;
  }
  if (ec) return std::nullopt;
  return count - 1;  // the directory iterator's own descriptor
}

prometheus::MetricFamily Family(const std::string& name, const std::string& help,
                                prometheus::MetricType type, double value) {
  prometheus::ClientMetric metric;
  if (type == prometheus::MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
  return prometheus::MetricFamily{name, help, type, {metric}};
}

}  // namespace

std::vector<prometheus::MetricFamily> ProcessCollector::Collect() const {
  using prometheus::MetricType;
  std::vector<prometheus::MetricFamily> families;
  try {
    if (const auto stat = ReadProcStat()) {
      families.push_back(Family("process_cpu_seconds_total",
                                "Total user and system CPU time spent in seconds.",
                                MetricType::Counter, stat->cpu_seconds));
      families.push_back(Family("process_resident_memory_bytes", "Resident memory size in bytes.",
                                MetricType::Gauge, stat->resident_bytes));
      families.push_back(Family("process_virtual_memory_bytes", "Virtual memory size in bytes.",
                                MetricType::Gauge, stat->virtual_bytes));
      if (const auto boot = BootTimeSeconds()) {
        families.push_back(Family("process_start_time_seconds",
                                  "Start time of the process since unix epoch in seconds.",
                                  MetricType::Gauge, *boot + stat->start_seconds_after_boot));
      }
    }
    if (const auto fds = OpenFds()) {
      families.push_back(
          Family("process_open_fds", "Number of open file descriptors.", MetricType::Gauge, *fds));
    }
  } catch (const std::exception&) {
    // A malformed /proc line (never seen in practice) must not fail the whole scrape.
  }
  return families;
}

}  // namespace throng::daemon
