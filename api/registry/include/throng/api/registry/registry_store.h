// Durable storage of the job registry: one SQLite database in the daemon's data directory.
#pragma once

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
};

/// The `jobs` table: id, sequence, spec (serialized, already redacted proto), state, timestamps,
/// error, verdict and the final report blob. Not thread-safe: the JobRegistry serializes access.
class RegistryStore {
 public:
  /// Opens (creating when needed) `<data_dir>/registry.sqlite3`; creates `data_dir` too.
  explicit RegistryStore(const std::filesystem::path& data_dir);
  ~RegistryStore();
  RegistryStore(const RegistryStore&) = delete;
  RegistryStore& operator=(const RegistryStore&) = delete;

  /// Every job, oldest first, with the executor's totals, threshold results and warnings (kept in
  /// the `warnings` column as a serialized v1.Job).
  std::vector<StoredJob> LoadAll();
  /// Inserts or replaces the job's row (the report column is kept).
  void Save(const StoredJob& job);
  /// Stores the final report of job `id` (a serialized throng.v1.Report).
  void SaveReport(const std::string& id, const std::string& report_blob);
  /// Save and SaveReport in one transaction: an ended job is never stored without its report.
  void SaveEnded(const StoredJob& job, const std::string& report_blob);
  /// The stored report blob of job `id`, if any.
  std::optional<std::string> LoadReport(const std::string& id);

 private:
  void Exec(const char* sql);

  sqlite3* db_ = nullptr;
};

}  // namespace throng::api
