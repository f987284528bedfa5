// Plain-text summary of a job report in Locust's shape, for terminals and logs.
#pragma once

#include <string>

#include "throng/v1/job.pb.h"

namespace throng::api::report {

/// The stats table (with the Aggregated row), the response time percentiles table, the error
/// report, each threshold with PASS/FAIL and its measured value, and the overall verdict.
/// Latencies are whole milliseconds, rates per second over the whole run.
std::string ConsoleReport(const throng::v1::Report& report);

}  // namespace throng::api::report
