// Plain-text summary of a job report in Locust's shape, for terminals and logs.
#pragma once

#include <string>

#include "throng/v1/job.pb.h"

namespace throng::api::report {

/// How the console tables print latencies.
struct ConsoleOptions {
  /// Whole milliseconds everywhere, exactly like Locust's tables. Off: latencies below 10 ms keep
  /// two decimals ("0.42"), so a sub-millisecond backend does not read as a table of zeros.
  bool locust_rounding = false;
};

/// The stats table (with the Aggregated row), the response time percentiles table, the error
/// report, each threshold with PASS/FAIL and its measured value, and the overall verdict.
/// Latencies in milliseconds (see ConsoleOptions), rates per second over the whole run.
std::string ConsoleReport(const throng::v1::Report& report, const ConsoleOptions& options = {});

}  // namespace throng::api::report
