// Durable storage of the job registry: one SQLite database in the daemon's data directory.
#pragma once

#include <google/protobuf/timestamp.pb.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "throng/v1/job.pb.h"

struct sqlite3;

namespace throng::api {

/// Raised when the database cannot be opened, read or written.
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A job as stored, with its creation sequence number (monotonic across restarts).
struct StoredJob {
  std::int64_t seq = 0;
  v1::Job job;
  /// Why the row could not be decoded (LoadAll and Load); empty for a sound row. `job` then holds
  /// what could be read: at least the sequence number and the id.
  std::string corrupt;
  /// When the report column was written by a running job's checkpoint (LoadAll and Load).
  std::optional<google::protobuf::Timestamp> checkpointed_at;
};

/// The `jobs` table: id, sequence, spec (serialized, already redacted proto), state, timestamps,
/// error, verdict, the executor's live fields, and the report blob (final, or a running job's
/// last checkpoint). WAL journal, 2 s busy timeout, schema versioned and migrated on open (see
/// registry_schema.h). Not thread-safe: the JobRegistry serializes access.
class RegistryStore {
 public:
  /// Opens (creating when needed) `<data_dir>/registry.sqlite3`; creates `data_dir` too.
  explicit RegistryStore(const std::filesystem::path& data_dir);
  ~RegistryStore();
  RegistryStore(const RegistryStore&) = delete;
  RegistryStore& operator=(const RegistryStore&) = delete;

  /// Every job, oldest first, with the executor's totals, threshold results and warnings (kept in
  /// the `live_fields` column as a serialized v1.Job). A row that cannot be decoded is returned
  /// with StoredJob::corrupt set, never thrown.
  std::vector<StoredJob> LoadAll();
  /// The job stored under sequence number `seq` (decoded as LoadAll does), if there is one.
  std::optional<StoredJob> Load(std::int64_t seq);
  /// Inserts or replaces the job's row (the report column is kept).
  void Save(const StoredJob& job);
  /// Save and the job's final report (a serialized throng.v1.Report) in one transaction: an
  /// ended job is never stored without its report.
  void SaveEnded(const StoredJob& job, const std::string& report_blob);
  /// Save and the report so far of a running job, taken at `at`, in one transaction.
  void SaveCheckpoint(const StoredJob& job, const std::string& report_blob,
                      const google::protobuf::Timestamp& at);
  /// Removes job `id`'s row (and its report); false when there was none.
  bool Delete(const std::string& id);
  /// The stored report blob of job `id`, if any.
  std::optional<std::string> LoadReport(const std::string& id);

 private:
  void WriteReport(const std::string& id, const std::string& report_blob,
                   const google::protobuf::Timestamp* checkpointed_at);
  void SaveWithReport(const StoredJob& job, const std::string& report_blob,
                      const google::protobuf::Timestamp* checkpointed_at);

  sqlite3* db_ = nullptr;
};

}  // namespace throng::api
