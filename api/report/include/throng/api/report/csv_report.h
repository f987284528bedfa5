// Locust-compatible CSV files of a job report (same file names, headers and column order as
// `locust --csv PREFIX`), so existing spreadsheets and scripts keep working.
#pragma once

#include <string>

#include "throng/v1/job.pb.h"

namespace throng::api::report {

/// <prefix>_stats.csv: one row per endpoint (sorted as given) then the Aggregated row.
std::string StatsCsv(const throng::v1::Report& report);

/// <prefix>_stats_history.csv: one Aggregated row per timeline point (Timestamp in Unix seconds).
std::string StatsHistoryCsv(const throng::v1::Report& report);

/// <prefix>_failures.csv: one row per error group.
std::string FailuresCsv(const throng::v1::Report& report);

/// <prefix>_exceptions.csv: Locust's header only; Throng has no user-code exceptions.
std::string ExceptionsCsv();

/// Writes the four files above next to `prefix` (e.g. "out/run1" -> "out/run1_stats.csv").
/// Throws std::runtime_error naming the file that could not be written.
void WriteCsvFiles(const throng::v1::Report& report, const std::string& prefix);

}  // namespace throng::api::report
