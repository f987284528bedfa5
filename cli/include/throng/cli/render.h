#pragma once

#include <google/protobuf/message.h>

#include <string>

#include "throng/v1/job.pb.h"

namespace throng::cli {

/// Indented JSON of `message` with proto (snake_case) field names.
std::string ToJson(const google::protobuf::Message& message);

/// One progress line: state, elapsed, users, requests, failures, rps, stage.
std::string ProgressLine(throng::v1::JobState state, double elapsed_seconds,
                         const throng::v1::JobTotals& totals);

/// One row of `throngctl list`; `Header` is its heading.
std::string ListHeader();
std::string ListRow(const throng::v1::Job& job);

/// True for states a job never leaves.
bool IsTerminal(throng::v1::JobState state);

/// The exit code a finished job earns: 2 failed/interrupted, 1 verdict FAIL, else 0.
int ExitCodeFor(const throng::v1::Job& job);

/// "PASS", "FAIL", "NONE" (the enum name without its prefix).
std::string VerdictLabel(throng::v1::Verdict verdict);

/// Closing summary of a finished job: state, verdict, totals, the error, and each threshold's
/// result unless `with_thresholds` is false (the console report already listed them).
std::string Summary(const throng::v1::Job& job, bool with_thresholds = true);

}  // namespace throng::cli
