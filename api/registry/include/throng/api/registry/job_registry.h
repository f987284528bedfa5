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
#include <vector>

#include "throng/api/common/job_event_sink.h"
#include "throng/api/common/job_messages.h"
#include "throng/api/registry/registered_job.h"
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

/// All jobs the daemon knows, written through to a RegistryStore on every change. Jobs that have
/// not ended are kept in memory; an ended, stored job keeps only an index entry and is read back
/// from the store when asked for (see RegisteredJob), so the history costs almost no memory. Ids
/// look like "j-20261121-000042": UTC creation date and a sequence number that keeps growing
/// across restarts. Specs are redacted before they are stored or returned. Thread-safe.
class JobRegistry final : public JobEventSink {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;

  /// Loads every stored job. A job found unfinished (the daemon died while it ran) becomes
  /// INTERRUPTED; when it had checkpointed, its report is the last checkpoint and it ended at
  /// that checkpoint. A row that cannot be decoded becomes a FAILED job whose error gives the
  /// reason; its row is left as it is. Throws StoreError when the store fails.
  explicit JobRegistry(std::unique_ptr<RegistryStore> store, Clock clock = {});

  /// Registers a new QUEUED job for `spec` (redacted here) and returns it with its id.
  v1::Job Create(v1::JobSpec spec);
  /// The job as it would be registered, without id or timestamps (SubmitJob's validate_only).
  static v1::Job Preview(v1::JobSpec spec);
  std::optional<v1::Job> Get(const std::string& id) const;
  /// Jobs newest first, only those in `states` (all when empty). `page_size` 0 means 50; more than
  /// 500 means 500. InvalidArgument naming page_token for a token ListJobs did not return.
  /// A page also ends before its jobs' serialized size would pass `max_bytes` (it holds at least
  /// one job), so a page always fits a gRPC message.
  absl::StatusOr<JobPage> List(const std::vector<v1::JobState>& states, std::uint32_t page_size,
                               const std::string& page_token,
                               std::size_t max_bytes = SIZE_MAX) const;
  /// Ids of jobs that have not ended, oldest first.
  std::vector<std::string> UnfinishedIds() const;
  /// The stored report of job `id` once it has ended, if it has one (a running job's
  /// checkpoint is not returned).
  std::optional<v1::Report> FinalReport(const std::string& id) const;
  /// The same, parsed straight into `into` (on its arena, without a copy). False when there is
  /// none: `into` is untouched, or cleared when the stored report does not parse.
  bool FinalReportInto(const std::string& id, v1::Report& into) const;
  /// The same as stored: a serialized v1::Report (unchecked), for a transport that sends bytes.
  std::optional<std::string> FinalReportBytes(const std::string& id) const;
  /// Forgets job `id` (memory and store). NotFound for an unknown id, FailedPrecondition while
  /// the job has not ended.
  absl::Status Delete(const std::string& id);
  /// Forgets ended jobs beyond the newest `keep` ended ones and those that ended more than
  /// `max_age` ago (0: no age bound); returns how many went. The --job-history bound.
  std::size_t PruneEnded(std::size_t keep, std::chrono::seconds max_age);
  /// How many jobs were marked INTERRUPTED when the registry was opened.
  std::size_t interrupted_on_open() const { return interrupted_on_open_; }
  /// How many rows could not be decoded when the registry was opened.
  std::size_t corrupt_on_open() const { return corrupt_on_open_; }

  /// Records a state change; changes after a final state are ignored (a job ends once).
  void OnStateChanged(const std::string& job_id, v1::JobState state, const std::string& error = {},
                      v1::Verdict verdict = v1::VERDICT_UNSPECIFIED) override;
  /// Applies the final state of `report.job()`, keeps the report's totals and threshold results
  /// on the job and stores the report with the registry's job (spec included), all at once.
  void OnFinalReport(const std::string& job_id, const v1::Report& report) override;
  /// Keeps the report's totals on the job and stores the job with the report, in one
  /// transaction, as the job's checkpoint (what survives a crash). Ignored once the job ended.
  void OnCheckpoint(const std::string& job_id, const v1::Report& report) override;
  void OnSerializedFinalReport(const std::string& job_id, const SerializedReport& report) override;
  void OnSerializedCheckpoint(const std::string& job_id, const SerializedReport& report) override;

 private:
  static std::string NewId(std::int64_t seq, std::chrono::system_clock::time_point now);
  static std::chrono::sys_days CreationDay(const RegisteredJob& entry);
  /// The id of the job registered under `seq`.
  static std::string IdLocked(std::int64_t seq, const RegisteredJob& entry);
  /// The sequence number of job `id`, if the registry has it. Requires mutex_.
  std::optional<std::int64_t> FindLocked(const std::string& id) const;
  /// The job registered under `seq`: from memory, or read back from the store (a row that cannot
  /// be read gives the job's id and state and an error naming why). Requires mutex_.
  v1::Job JobLocked(std::int64_t seq, const RegisteredJob& entry) const;
  /// The job to update in place, read back from the store first when it was released.
  v1::Job& EditLocked(std::int64_t seq, RegisteredJob& entry);
  /// Refreshes the entry's index and, once the job has ended (and was just stored), lets its
  /// message go when its id can be found again from `seq`.
  void ReleaseIfStoredLocked(std::int64_t seq, RegisteredJob& entry);
  /// Applies a state change to `job`; false when the job had already ended. Requires mutex_.
  bool ApplyStateLocked(v1::Job& job, v1::JobState state, const std::string& error,
                        v1::Verdict verdict);
  /// Writes `job` through to the store; false (logged, not thrown) when the store failed.
  bool SaveLocked(std::int64_t seq, const v1::Job& job);
  /// Makes a job found unfinished on open INTERRUPTED (ended at its checkpoint, if any).
  void InterruptOnOpen(StoredJob& stored, const google::protobuf::Timestamp& now);
  /// Makes a row that cannot be decoded a FAILED job naming the reason (nothing is written).
  static void MarkCorrupt(StoredJob& stored);

  mutable std::mutex mutex_;
  std::unique_ptr<RegistryStore> store_;
  Clock clock_;
  std::map<std::int64_t, RegisteredJob> jobs_;  // by sequence number (an id ends with it)
  std::int64_t next_seq_ = 1;
  std::size_t interrupted_on_open_ = 0;
  std::size_t corrupt_on_open_ = 0;
};

}  // namespace throng::api
