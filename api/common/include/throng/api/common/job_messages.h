// Small helpers on the v1 messages that every api part speaks: final states, names, timestamps.
#pragma once

#include <google/protobuf/timestamp.pb.h>

#include <chrono>
#include <string>

#include "throng/v1/job.pb.h"

namespace throng::api {

/// True for COMPLETED, STOPPED, ABORTED, FAILED and INTERRUPTED.
bool IsFinal(v1::JobState state);

/// "PASS", "FAIL" or "NONE".
std::string VerdictName(v1::Verdict verdict);

/// Lower-case failure kind ("unexpected_status"), as in metric labels; "other" when unknown.
std::string KindName(v1::FailureKind kind);

/// A wall-clock time as a protobuf Timestamp (nanosecond precision).
google::protobuf::Timestamp ToTimestamp(std::chrono::system_clock::time_point time);

/// Locust's percentile columns, as fractions (0.5 .. 1.0): the percentiles every report carries.
inline constexpr double kLocustPercentiles[] = {0.50, 0.66, 0.75,  0.80,   0.90, 0.95,
                                                0.98, 0.99, 0.999, 0.9999, 1.0};

}  // namespace throng::api
