// One job as the registry holds it in memory: parsed while it can change, compact once ended.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "throng/v1/job.pb.h"

namespace throng::api {

/// A registry entry. A job that has not ended is kept as a message the registry updates in
/// place; an ended job is sealed into its serialized bytes, one block instead of the many small
/// ones of a parsed spec, so the --job-history jobs cost little memory and, allocated once at
/// the end, do not pin pages of heaps that running jobs freed (RSS returns to idle after jobs
/// end). Not thread-safe: the registry's mutex guards it.
class RegisteredJob {
 public:
  /// Takes `job`, sealed at once when it has already ended.
  explicit RegisteredJob(v1::Job job);

  /// A copy of the job (parsed from the sealed bytes once ended).
  v1::Job Get() const;
  /// The job to update in place (unsealed first if it had ended); call SealIfEnded() after.
  v1::Job& Edit();
  /// Seals the job when its state is final.
  void SealIfEnded();

  v1::JobState state() const { return state_; }
  /// Seconds of the job's ended_at (0 while it runs).
  std::int64_t ended_at_seconds() const { return ended_at_seconds_; }
  /// The job's serialized size in bytes (what it adds to a ListJobs page).
  std::size_t ByteSize() const;

 private:
  v1::Job live_;        // while not sealed
  std::string sealed_;  // the serialized job once it has ended, else empty
  v1::JobState state_ = v1::JOB_STATE_UNSPECIFIED;
  std::int64_t ended_at_seconds_ = 0;
};

}  // namespace throng::api
