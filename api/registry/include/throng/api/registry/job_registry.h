// The daemon's jobs: ids, states, listing and persistence.
#pragma once

#include <absl/status/statusor.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "throng/api/common/job_event_sink.h"
#include "throng/api/common/job_messages.h"
#include "throng/api/registry/registry_store.h"
#include "throng/v1/job.pb.h"

namespace throng::api {

/// One page of ListJobs.
struct JobPage {
  std::vector<v1::Job> jobs;
  /// Empty on the last page.
  std::string next_page_token;
};

/// Copies what only the executor knows of a job (totals, threshold results, warnings, and the
/// verdict when set) from `live` into `job`.
void MergeLiveFields(const v1::Job& live, v1::Job& job);

/// All jobs the daemon knows, kept in memory and written through to a RegistryStore on every
/// change. Ids look like "j-20261121-000042": UTC creation date and a sequence number that keeps
/// growing across restarts. Specs are redacted before they are stored or returned. Thread-safe.
class JobRegistry final : public JobEventSink {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;

  /// Loads every stored job; jobs found unfinished (the daemon died while they ran) become
  /// INTERRUPTED. Throws StoreError when the store fails.
  explicit JobRegistry(std::unique_ptr<RegistryStore> store, Clock clock = {});

  /// Registers a new QUEUED job for `spec` (redacted here) and returns it with its id.
  v1::Job Create(v1::JobSpec spec);
  /// The job as it would be registered, without id or timestamps (SubmitJob's validate_only).
  static v1::Job Preview(v1::JobSpec spec);
  std::optional<v1::Job> Get(const std::string& id) const;
  /// Jobs newest first, only those in `states` (all when empty). `page_size` 0 means 50; more than
  /// 500 means 500. InvalidArgument naming page_token for a token ListJobs did not return.
  absl::StatusOr<JobPage> List(const std::vector<v1::JobState>& states, std::uint32_t page_size,
                               const std::string& page_token) const;
  /// Ids of jobs that have not ended, oldest first.
  std::vector<std::string> UnfinishedIds() const;
  /// The stored final report of job `id`, if it has one.
  std::optional<v1::Report> FinalReport(const std::string& id) const;
  /// How many jobs were marked INTERRUPTED when the registry was opened.
  std::size_t interrupted_on_open() const { return interrupted_on_open_; }

  /// Records a state change; changes after a final state are ignored (a job ends once).
  void OnStateChanged(const std::string& job_id, v1::JobState state, const std::string& error = {},
                      v1::Verdict verdict = v1::VERDICT_UNSPECIFIED) override;
  /// Applies the final state of `report.job()`, keeps the report's totals and threshold results
  /// on the job and stores the report with the registry's job (spec included), all at once.
  void OnFinalReport(const std::string& job_id, const v1::Report& report) override;

 private:
  std::string NewId(std::int64_t seq, std::chrono::system_clock::time_point now) const;
  /// Applies a state change to `job`; false when the job had already ended. Requires mutex_.
  bool ApplyStateLocked(v1::Job& job, v1::JobState state, const std::string& error,
                        v1::Verdict verdict);
  /// Writes `job` through to the store, logging (not throwing) a store failure.
  void SaveLocked(std::int64_t seq, const v1::Job& job);

  mutable std::mutex mutex_;
  std::unique_ptr<RegistryStore> store_;
  Clock clock_;
  std::map<std::int64_t, v1::Job> jobs_;  // by sequence number
  std::unordered_map<std::string, std::int64_t> seq_by_id_;
  std::int64_t next_seq_ = 1;
  std::size_t interrupted_on_open_ = 0;
};

}  // namespace throng::api
