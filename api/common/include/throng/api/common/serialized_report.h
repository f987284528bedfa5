// A report handed over serialized, with the few parts its receiver reads beside it.
#pragma once

#include <string>

#include "throng/v1/job.pb.h"

namespace throng::api {

/// A job's report as the executor hands it to the registry: the whole v1::Report serialized (a
/// report with hundreds of endpoints is megabytes as a message, a fifth of that serialized, and
/// the executor writes it row by row without ever holding it as one message), beside the
/// parts the registry reads. A plain value.
struct SerializedReport {
  /// The report's job: state, error, live totals, phase times.
  v1::Job job;
  v1::Verdict verdict = v1::VERDICT_UNSPECIFIED;
  /// The report's setup variables with their real values (they are in `bytes` too).
  google::protobuf::Map<std::string, std::string> setup_variables;
  /// The whole report, serialized.
  std::string bytes;

  static SerializedReport Of(const v1::Report& report);
  /// `bytes` parsed; an empty report (with `job`) if they do not parse.
  v1::Report Parse() const;
};

/// Appends to `out` the field `field_number` holding `message` (tag, length, bytes): how a
/// repeated message field is written one element at a time.
void AppendMessageField(int field_number, const google::protobuf::MessageLite& message,
                        std::string& out);

}  // namespace throng::api
