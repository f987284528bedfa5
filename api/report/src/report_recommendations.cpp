#include "report_recommendations.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "report_format.h"

namespace throng::api::report {
namespace {

// p95 counts as climbing when it is this many times its value at the lowest user count, and at
// least this much higher (sub-millisecond jitter is not a trend).
constexpr double kClimbFactor = 2.0;
constexpr double kClimbMinMs = 5.0;
// Failures are concentrated when one endpoint has this share of them.
constexpr double kConcentratedShare = 0.8;
// The generator is near saturation above this share of its CPU.
constexpr double kCpuSaturation = 0.85;

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

void LatencyByUsers(const throng::v1::Report& report, std::vector<Recommendation>* out) {
  std::map<std::uint32_t, std::vector<double>> p95_by_users;
  for (const auto& point : report.timeline()) {
    if (point.users() == 0 || point.rps() <= 0) continue;
    p95_by_users[point.users()].push_back(point.interval().p95_ms());
  }
  if (p95_by_users.size() < 2) return;
  const std::uint32_t lowest_users = p95_by_users.begin()->first;
  const double lowest = Median(p95_by_users.begin()->second);
  const std::uint32_t highest_users = p95_by_users.rbegin()->first;
  const double highest = Median(p95_by_users.rbegin()->second);
  const auto climbed = [&](double p95) {
    return p95 >= lowest * kClimbFactor && p95 - lowest >= kClimbMinMs;
  };
  if (!climbed(highest)) return;
  std::uint32_t started = highest_users;
  for (const auto& [users, values] : p95_by_users) {
    if (climbed(Median(values))) {
      started = users;
      break;
    }
  }
  out->push_back(
      {fmt::format("p95 climbs with the user count, from {} users on", started),
       fmt::format("p95 was {} ms at {} users and {} ms at {} users. The target "
                   "saturates around {} users: look at its CPU, database and "
                   "connection pools at that load, or plan capacity below it.",
                   ReadableMs(lowest), lowest_users, ReadableMs(highest), highest_users, started)});
}

void ConcentratedFailures(const throng::v1::Report& report, std::vector<Recommendation>* out) {
  const std::uint64_t total = report.aggregated().failures();
  if (total == 0 || report.endpoints_size() < 2) return;
  const auto worst =
      std::max_element(report.endpoints().begin(), report.endpoints().end(),
                       [](const auto& a, const auto& b) { return a.failures() < b.failures(); });
  const double share = static_cast<double>(worst->failures()) / static_cast<double>(total);
  if (share < kConcentratedShare) return;
  std::string kinds;
  for (const auto& [kind, count] : worst->failures_by_kind()) {
    kinds += fmt::format("{}{} {}", kinds.empty() ? "" : ", ", count, kind);
  }
  out->push_back({"Failures are concentrated on " + EndpointLabel(*worst),
                  fmt::format("{:.0f}% of the failures ({} of {}) are on this endpoint ({}). "
                              "Fix or investigate it first; the other endpoints are healthy.",
                              share * 100, worst->failures(), total, kinds)});
}

void ScheduleKeeping(const throng::v1::Report& report, std::vector<Recommendation>* out) {
  const auto& totals = report.job().totals();
  if (totals.dropped_iterations() == 0 && totals.late_iterations() == 0) return;
  const auto& load = report.job().spec().load();
  const std::string now = load.has_open() && load.open().max_users() > 0
                              ? fmt::format(" (now {})", load.open().max_users())
                              : std::string();
  out->push_back({"Iterations were dropped or started late: raise max_users",
                  fmt::format("{} iterations were dropped and {} started late because no user "
                              "was free: the latency of late ones includes the wait. Raise "
                              "load.open.max_users{} so the schedule is kept.",
                              totals.dropped_iterations(), totals.late_iterations(), now)});
}

void GeneratorCpu(const throng::v1::Report& report, std::vector<Recommendation>* out) {
  const double share = report.generator_cpu_utilization();
  if (share < kCpuSaturation) return;
  out->push_back({"The generator was near CPU saturation",
                  fmt::format("throngd used {:.0f}% of the CPU it was given during the run: the "
                              "generator, not the target, may have been the bottleneck. Give "
                              "throngd more --threads or cores, or run a fleet.",
                              share * 100)});
}

}  // namespace

std::vector<Recommendation> Recommend(const throng::v1::Report& report) {
  std::vector<Recommendation> out;
  LatencyByUsers(report, &out);
  ConcentratedFailures(report, &out);
  ScheduleKeeping(report, &out);
  GeneratorCpu(report, &out);
  return out;
}

}  // namespace throng::api::report
