// Builds the Prometheus families of docs/metrics.md from jobs' statistics.
#pragma once

#include <prometheus/metric_family.h>

#include <array>
#include <vector>

#include "throng/api/metrics/job_metrics.h"

namespace throng::api::detail {

/// Accumulates the series of several jobs into one family per metric name. Not synchronised.
class JobFamilies {
 public:
  JobFamilies();
  /// Calls the source's callbacks and appends its series.
  void AddJob(const JobMetricsSource& source);
  /// The families that have at least one series.
  std::vector<prometheus::MetricFamily> Take();

 private:
  enum Family {
    kRequests,
    kFailures,
    kDuration,
    kServiceTime,
    kSentBytes,
    kReceivedBytes,
    kRedirects,
    kChecks,
    kIterations,
    kDroppedIterations,
    kLateIterations,
    kActiveUsers,
    kTargetUsers,
    kTargetRate,
    kThresholdPassing,
    kRunInfo,
    kFamilyCount
  };
  void AddEndpoint(const JobMetricsSource& source, const engine::EndpointStats& endpoint,
                   const std::vector<double>& buckets);

  std::array<prometheus::MetricFamily, kFamilyCount> families_;
};

}  // namespace throng::api::detail
