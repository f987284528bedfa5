// Machine-readable report of a job (seed 004's "results as JSON").
#pragma once

#include <string>

#include "throng/v1/job.pb.h"

namespace throng::api::report {

/// Indented JSON object with: "job" (id, name, state, times, error), "config" (the spec as given in
/// the report, already redacted by the daemon, in protobuf's JSON mapping), "summary", "endpoints"
/// (Locust's row per name, latencies in ms), "errors" (groups) and "errors_by_type" (kind ->
/// occurrences), "thresholds", "verdict" and "timeline". Counts are JSON numbers.
std::string JsonReport(const throng::v1::Report& report);

}  // namespace throng::api::report
