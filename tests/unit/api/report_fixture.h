// A hand-built Report shared by the report renderer tests: two endpoints, one error group, a
// four-point timeline and one failed threshold.
#pragma once

#include <google/protobuf/util/time_util.h>

#include "throng/v1/job.pb.h"

namespace throng::api::report::testing {

inline void FillPercentiles(double base_ms,
                            google::protobuf::RepeatedPtrField<throng::v1::Percentile>* out) {
  const double quantiles[] = {0.50, 0.66, 0.75, 0.80, 0.90, 0.95, 0.98, 0.99, 0.999, 0.9999, 1.0};
  double ms = base_ms;
  for (double quantile : quantiles) {
    auto* percentile = out->Add();
    percentile->set_quantile(quantile);
    percentile->set_ms(ms);
    ms += base_ms / 2;
  }
}

inline throng::v1::EndpointStats Endpoint(const std::string& method, const std::string& name,
                                          uint64_t requests, uint64_t failures, double p50) {
  throng::v1::EndpointStats stats;
  stats.set_method(method);
  stats.set_name(name);
  stats.set_requests(requests);
  stats.set_failures(failures);
  auto* latency = stats.mutable_latency();
  latency->set_min_ms(p50 / 4);
  latency->set_avg_ms(p50 * 1.25);
  latency->set_p50_ms(p50);
  latency->set_p90_ms(p50 * 2);
  latency->set_p95_ms(p50 * 3);
  latency->set_p99_ms(p50 * 4);
  latency->set_max_ms(p50 * 6);
  FillPercentiles(p50, stats.mutable_percentiles());
  stats.set_avg_content_length(512);
  stats.set_rps(static_cast<double>(requests) / 10);
  stats.set_failures_per_s(static_cast<double>(failures) / 10);
  return stats;
}

inline throng::v1::Report SampleReport() {
  using google::protobuf::util::TimeUtil;
  throng::v1::Report report;
  auto* job = report.mutable_job();
  job->set_id("j-20260101-000001");
  job->mutable_spec()->set_name("shop smoke");
  job->set_state(throng::v1::COMPLETED);
  *report.add_endpoints() = Endpoint("GET", "/products", 900, 0, 12);
  *report.add_endpoints() = Endpoint("POST", "/orders, \"bulk\"", 100, 25, 40);
  *report.mutable_aggregated() = Endpoint("", "Aggregated", 1000, 25, 14);
  auto* error = report.add_errors();
  error->set_method("POST");
  error->set_name("/orders, \"bulk\"");
  error->set_kind(throng::v1::UNEXPECTED_STATUS);
  error->set_message("unexpected status 500");
  error->set_occurrences(25);
  auto* passed = report.add_thresholds();
  passed->set_expr("p95 < 1000ms");
  passed->set_passed(true);
  passed->set_observed(42);
  auto* failed = report.add_thresholds();
  failed->set_expr("fail_rate < 1%");
  failed->set_request_name("/orders, \"bulk\"");
  failed->set_passed(false);
  failed->set_observed(25);
  report.set_verdict(throng::v1::VERDICT_FAIL);
  for (int i = 0; i < 4; ++i) {
    auto* point = report.add_timeline();
    *point->mutable_time() = TimeUtil::SecondsToTimestamp(1767225600 + i);
    *point->mutable_span() = TimeUtil::SecondsToDuration(1);
    point->set_users(10 * (i + 1));
    point->set_rps(100.0 + 50 * i);
    point->set_failures_per_s(i == 3 ? 25 : 0);
    point->mutable_interval()->set_p50_ms(10 + i);
    point->mutable_interval()->set_max_ms(80);
    FillPercentiles(10 + i, point->mutable_interval_percentiles());
    point->set_total_requests(250 * (i + 1));
    point->set_total_failures(i == 3 ? 25 : 0);
    point->mutable_cumulative()->set_p50_ms(14);
    point->mutable_cumulative()->set_avg_ms(17.5);
    point->mutable_cumulative()->set_min_ms(3);
    point->mutable_cumulative()->set_max_ms(240);
    point->set_cumulative_avg_content_length(512);
  }
  *report.mutable_duration() = TimeUtil::SecondsToDuration(10);
  report.set_final(true);
  return report;
}

}  // namespace throng::api::report::testing
