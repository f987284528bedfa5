// What the daemon lets the control plane do: who may call, what a spec may ask for, daemon-wide
// limits.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

#include "throng/api/service/authorizer.h"
#include "throng/api/spec/spec_converter.h"

namespace throng::api {

/// The daemon's settings for the service: who may call (authorizer), what a spec may ask for
/// and read (convert: limits and policy) and the daemon-wide limits (docs/limits.md,
/// docs/security.md). Plain value type; the authorizer must outlive the service.
struct ServiceOptions {
  /// Asked first by every RPC, streams included; null allows every call (tests, and the daemon
  /// without --auth-token-file, which it permits on loopback only).
  const Authorizer* authorizer = nullptr;
  /// Per-spec limits and what submitted specs may read (--allow-env, --feeder-dir), handed to
  /// ConvertSpec.
  ConvertOptions convert;
  /// --max-users-per-daemon: peak users summed over jobs that have not ended.
  std::uint64_t max_users_per_daemon = 200'000;
  /// Jobs running or queued at once (--max-running-jobs + --max-queued-jobs).
  std::size_t max_jobs_held = 8 + 256;
  /// --max-list-bytes: a ListJobs page stops before its jobs exceed this many bytes.
  std::size_t max_list_bytes = 3 * 1024 * 1024;
  /// --job-history / --job-history-age: ended jobs kept (newest first) and for how long (0: no
  /// age bound); older ones are forgotten at the next SubmitJob or ListJobs.
  std::size_t job_history = 1000;
  std::chrono::seconds job_history_age{0};
};

}  // namespace throng::api
