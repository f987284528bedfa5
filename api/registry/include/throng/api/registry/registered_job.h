// One job as the registry holds it in memory: parsed while it can change, an index entry once
// ended and stored.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "throng/v1/job.pb.h"

namespace throng::api {

/// A registry entry. A job that has not ended is kept as a message the registry updates in
/// place. Once it has ended and its row is in the store, Release() drops the message and keeps
/// only what listing and pruning need (state, end time, serialized size, creation day: about 80
/// bytes with the map node), so the --job-history jobs cost the daemon almost no memory and pin
/// no pages of the heaps that running jobs freed; the registry reads such a job back from its
/// store. Not thread-safe: the registry's mutex guards it.
class RegisteredJob {
 public:
  /// Takes `job`, kept in memory until Release().
  explicit RegisteredJob(v1::Job job);

  /// The job in memory, or null once released.
  const v1::Job* live() const { return live_.get(); }
  /// The job to update in place: the job in memory, or `stored` (the registry's copy read back
  /// from its store) taken back into memory. Call Release() after, once it is stored.
  v1::Job& Edit(v1::Job stored);
  /// Drops the job's message when its state is final, keeping the index fields; false (the job
  /// stays in memory) while it has not ended.
  bool Release();
  /// Copies the index fields (state, times, size) from the job in memory, after an edit.
  void Reindex();

  v1::JobState state() const { return state_; }
  /// Seconds of the job's ended_at (0 while it runs).
  std::int64_t ended_at_seconds() const { return ended_at_seconds_; }
  /// Days since 1970-01-01 (UTC) of the job's created_at: with the sequence number, its id.
  std::int32_t created_day() const { return created_day_; }
  /// The job's serialized size in bytes (what it adds to a ListJobs page).
  std::size_t ByteSize() const;

 private:
  std::unique_ptr<v1::Job> live_;  // null once released
  v1::JobState state_ = v1::JOB_STATE_UNSPECIFIED;
  std::int32_t created_day_ = 0;
  std::uint32_t byte_size_ = 0;
  std::int64_t ended_at_seconds_ = 0;
};

}  // namespace throng::api
