// The bounds a submitted JobSpec must stay within (docs/limits.md lists each with its flag).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace throng::api {

/// Upper bounds checked by ConvertSpec (and by the service for the daemon-wide ones). Every
/// field is a throngd flag; the defaults keep one daemon safe on a small machine. Plain value
/// type: copy it freely.
struct SpecLimits {
  /// --max-spec-bytes: serialized size of the JobSpec (well below gRPC's 4 MB message, so any
  /// job fits a ListJobs page).
  std::size_t max_spec_bytes = 1024 * 1024;
  /// --max-users-per-job: closed users (and each stage's), open max_users, iteration users.
  std::uint32_t max_users_per_job = 100'000;
  /// --max-request-names: distinct (name, method) stats keys of one job; each costs about 1 MB.
  std::size_t max_request_names = 200;
  /// --max-histogram-buckets: entries of histogram_buckets.
  std::size_t max_histogram_buckets = 64;
  /// --max-feeder-rows: rows of one feeder (inline, CSV or generated).
  std::size_t max_feeder_rows = 100'000;
  /// --max-label-length: bytes of any name that becomes a metric label (job, request, user
  /// class, task names; threshold expressions).
  std::size_t max_label_length = 256;
  /// --max-job-duration: load duration, each stage's duration, graceful_stop and abort_delay.
  std::chrono::seconds max_job_duration = std::chrono::hours(24 * 7);
  /// --max-nesting-depth: levels of messages inside each other (a JSON body object costs two);
  /// below protobuf's own parse limit of 100, so a too-deep spec gets a message naming the depth.
  std::size_t max_nesting_depth = 64;
};

}  // namespace throng::api
