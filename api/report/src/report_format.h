// Small formatting helpers shared by the report renderers (not part of the public API).
#pragma once

#include <string>
#include <string_view>

#include "throng/api/common/job_messages.h"
#include "throng/v1/job.pb.h"

namespace throng::api::report {

/// "50%", "99.9%", "100%": Locust's readable percentile label of a fraction.
std::string PercentileLabel(double quantile);

/// Latency in ms at `quantile` from `percentiles`; `fallback` when the quantile is absent.
/// Accepts quantiles given as fractions (0.95) or as percents (95).
double PercentileMs(const google::protobuf::RepeatedPtrField<throng::v1::Percentile>& percentiles,
                    double quantile, double fallback);

/// A latency for people: 2 decimals below 10 ms, 1 below 100 ms, whole ms above ("0.12",
/// "42.5", "1250"), so a sub-millisecond backend does not read as all zeros.
std::string ReadableMs(double ms);

/// Failures as a percentage of requests; 0 when there were none.
double FailPercent(uint64_t requests, uint64_t failures);

/// "METHOD name", or just the name when it already starts with the method ("GET /todos/").
std::string EndpointLabel(const throng::v1::EndpointStats& stats);

/// The "Aggregated" label used when the aggregated row has no name.
std::string AggregatedName(const throng::v1::EndpointStats& aggregated);

}  // namespace throng::api::report
