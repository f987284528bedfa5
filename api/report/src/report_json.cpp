#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>

#include <nlohmann/json.hpp>

#include "report_format.h"
#include "throng/api/report/json_report.h"

namespace throng::api::report {
namespace {

using google::protobuf::util::TimeUtil;
using nlohmann::json;

json Latency(const throng::v1::LatencySummary& latency) {
  return {{"min", latency.min_ms()}, {"avg", latency.avg_ms()}, {"p50", latency.p50_ms()},
          {"p90", latency.p90_ms()}, {"p95", latency.p95_ms()}, {"p99", latency.p99_ms()},
          {"max", latency.max_ms()}};
}

json Percentiles(const google::protobuf::RepeatedPtrField<throng::v1::Percentile>& percentiles) {
  json out = json::object();
  for (double quantile : kLocustPercentiles) {
    if (PercentileMs(percentiles, quantile, -1) >= 0) {
      out[PercentileLabel(quantile)] = PercentileMs(percentiles, quantile, 0);
    }
  }
  return out;
}

// The HDR histogram the row was read from (delta-coded bucket indices of the engine's layout),
// so a JSON report can be merged or re-bucketed exactly.
json Histogram(const throng::v1::HistogramBuckets& histogram) {
  return {{"index_delta", json(std::vector<std::uint32_t>(histogram.index_delta().begin(),
                                                          histogram.index_delta().end()))},
          {"counts",
           json(std::vector<std::uint64_t>(histogram.counts().begin(), histogram.counts().end()))},
          {"sum_us", histogram.sum_us()},
          {"min_us", histogram.min_us()},
          {"max_us", histogram.max_us()}};
}

json Endpoint(const throng::v1::EndpointStats& stats) {
  json kinds = json::object();
  for (const auto& [kind, count] : stats.failures_by_kind()) kinds[kind] = count;
  return {{"name", stats.name()},
          {"method", stats.method()},
          {"requests", stats.requests()},
          {"failures", stats.failures()},
          {"fail_percent", FailPercent(stats.requests(), stats.failures())},
          {"rps", stats.rps()},
          {"failures_per_s", stats.failures_per_s()},
          {"latency_ms", Latency(stats.latency())},
          {"percentiles_ms", Percentiles(stats.percentiles())},
          {"avg_content_length", stats.avg_content_length()},
          {"bytes_sent", stats.bytes_sent()},
          {"bytes_received", stats.bytes_received()},
          {"failures_by_kind", kinds},
          {"redirects", stats.redirects()},
          {"latency_histogram", Histogram(stats.latency_histogram())}};
}

json Config(const throng::v1::JobSpec& spec) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string text;
  if (!google::protobuf::util::MessageToJsonString(spec, &text, options).ok()) return nullptr;
  return json::parse(text, nullptr, false);
}

json Job(const throng::v1::Job& job) {
  json out = {
      {"id", job.id()},
      {"name", job.spec().name()},
      {"state", throng::v1::JobState_Name(job.state())},
      {"error", job.error()},
      {"warnings", json(std::vector<std::string>(job.warnings().begin(), job.warnings().end()))}};
  if (job.has_started_at()) out["started_at"] = TimeUtil::ToString(job.started_at());
  if (job.has_ended_at()) out["ended_at"] = TimeUtil::ToString(job.ended_at());
  return out;
}

json Errors(const throng::v1::Report& report, json* by_type) {
  json groups = json::array();
  *by_type = json::object();
  for (const auto& error : report.errors()) {
    const std::string kind = KindName(error.kind());
    groups.push_back({{"name", error.name()},
                      {"method", error.method()},
                      {"type", kind},
                      {"message", error.message()},
                      {"occurrences", error.occurrences()}});
    (*by_type)[kind] = by_type->value(kind, uint64_t{0}) + error.occurrences();
  }
  return groups;
}

json Thresholds(const throng::v1::Report& report) {
  json out = json::array();
  for (const auto& threshold : report.thresholds()) {
    out.push_back({{"expr", threshold.expr()},
                   {"request_name", threshold.request_name()},
                   {"passed", threshold.passed()},
                   {"observed", threshold.observed()},
                   {"aborted", threshold.aborted()}});
  }
  return out;
}

json Timeline(const throng::v1::Report& report) {
  json out = json::array();
  for (const auto& point : report.timeline()) {
    out.push_back({{"time", TimeUtil::ToString(point.time())},
                   {"unix_ms", TimeUtil::TimestampToMilliseconds(point.time())},
                   {"span_s", TimeUtil::DurationToMilliseconds(point.span()) / 1000.0},
                   {"users", point.users()},
                   {"rps", point.rps()},
                   {"failures_per_s", point.failures_per_s()},
                   {"latency_ms", Latency(point.interval())},
                   {"percentiles_ms", Percentiles(point.interval_percentiles())},
                   {"total_requests", point.total_requests()},
                   {"total_failures", point.total_failures()},
                   {"dropped_iterations", point.dropped_iterations()}});
  }
  return out;
}

json Summary(const throng::v1::Report& report) {
  const auto& total = report.aggregated();
  return {{"requests", total.requests()},
          {"failures", total.failures()},
          {"fail_percent", FailPercent(total.requests(), total.failures())},
          {"rps", total.rps()},
          {"latency_ms", Latency(total.latency())},
          {"duration_s", TimeUtil::DurationToMilliseconds(report.duration()) / 1000.0},
          {"iterations", report.job().totals().iterations()},
          {"dropped_iterations", report.job().totals().dropped_iterations()},
          {"late_iterations", report.job().totals().late_iterations()},
          {"verdict", VerdictName(report.verdict())},
          {"final", report.final()}};
}

// A fleet run's segments: where each ran, how it ended, its figures (the last ones of a lost one).
json Fleet(const throng::v1::FleetReport& fleet) {
  json segments = json::array();
  for (const auto& segment : fleet.segments()) {
    segments.push_back({{"index", segment.index()},
                        {"daemon", segment.address()},
                        {"job_id", segment.job_id()},
                        {"state", throng::v1::JobState_Name(segment.state())},
                        {"lost", segment.lost()},
                        {"error", segment.error()},
                        {"requests", segment.totals().requests()},
                        {"failures", segment.totals().failures()},
                        {"iterations", segment.totals().iterations()},
                        {"target_users", segment.totals().target_users()},
                        {"target_rate", segment.totals().target_rate()}});
  }
  return {
      {"run_id", fleet.run_id()}, {"lost_segments", fleet.lost_segments()}, {"segments", segments}};
}

}  // namespace

std::string JsonReport(const throng::v1::Report& report) {
  json endpoints = json::array();
  for (const auto& endpoint : report.endpoints()) endpoints.push_back(Endpoint(endpoint));
  json by_type;
  json errors = Errors(report, &by_type);
  json out = {{"job", Job(report.job())},
              {"config", Config(report.job().spec())},
              {"summary", Summary(report)},
              {"endpoints", endpoints},
              {"aggregated", Endpoint(report.aggregated())},
              {"errors", errors},
              {"errors_by_type", by_type},
              {"thresholds", Thresholds(report)},
              {"verdict", VerdictName(report.verdict())},
              {"timeline", Timeline(report)}};
  if (report.has_fleet()) out["fleet"] = Fleet(report.fleet());
  // Replace, not throw, on invalid UTF-8: a target's error text must not lose the whole report.
  return out.dump(2, ' ', false, json::error_handler_t::replace);
}

}  // namespace throng::api::report
