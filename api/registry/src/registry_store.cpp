#include "throng/api/registry/registry_store.h"

#include <google/protobuf/util/time_util.h>
#include <sqlite3.h>

#include <cstdint>
#include <system_error>

#include "registry_schema.h"
#include "sqlite_statement.h"

namespace throng::api {
namespace {

using google::protobuf::Timestamp;
using google::protobuf::util::TimeUtil;

/// Blobs larger than this are not decoded (a row that big was not written by throngd).
constexpr int kMaxBlobBytes = 256 << 20;

/// Decodes `blob` into `message`; the reason it cannot, or empty.
std::string Decode(const std::string& column, const std::string& blob,
                   google::protobuf::Message& message) {
  if (blob.size() > static_cast<std::size_t>(kMaxBlobBytes)) {
    return column + ": " + std::to_string(blob.size()) + " bytes, over the " +
           std::to_string(kMaxBlobBytes) + "-byte limit";
  }
  if (!message.ParseFromString(blob)) {
    return column + ": not a serialized " + message.GetTypeName() + " (" +
           std::to_string(blob.size()) + " bytes)";
  }
  return {};
}

}  // namespace

RegistryStore::RegistryStore(const std::filesystem::path& data_dir) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) {
    throw StoreError("data dir " + data_dir.string() + ": cannot create: " + ec.message());
  }
  const std::string file = (data_dir / "registry.sqlite3").string();
  if (sqlite3_open(file.c_str(), &db_) != SQLITE_OK) {
    const std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw StoreError("registry store " + file + ": " + message);
  }
  sqlite3_busy_timeout(db_, 2000);
  try {
    // WAL keeps readers (backups, sqlite3 CLI) from blocking the daemon's writes.
    ExecSql(db_, "PRAGMA journal_mode=WAL;");
    ExecSql(db_, "PRAGMA synchronous=NORMAL;");
    // Checkpoints rewrite running jobs' rows every few seconds: the WAL is truncated back to
    // this size after each of SQLite's automatic checkpoints, so it stays bounded.
    ExecSql(db_, "PRAGMA journal_size_limit=8388608;");
    // The registry reads back one page of ended jobs at a time and their reports rarely, so a
    // small page cache: SQLite's default of 2 MB filled as the history grew, and stayed (256 KiB
    // still left 300 KiB more resident after 200 jobs than 32 KiB did).
    ExecSql(db_, "PRAGMA cache_size=-64;");
    MigrateRegistrySchema(db_);
  } catch (...) {
    sqlite3_close(db_);
    throw;
  }
}

RegistryStore::~RegistryStore() { sqlite3_close(db_); }

namespace {

/// The columns ReadJobRow reads, in its order.
constexpr const char* kJobColumns =
    "SELECT seq, id, spec, state, created_at_ns, started_at_ns, ended_at_ns, error, verdict, "
    "live_fields, checkpointed_at_ns FROM jobs ";

/// The job in the current row of a statement selecting kJobColumns.
StoredJob ReadJobRow(const Statement& stmt) {
  StoredJob stored;
  stored.seq = stmt.Int(0);
  v1::Job& job = stored.job;
  job.set_id(stmt.Blob(1));
  stored.corrupt = Decode("spec", stmt.Blob(2), *job.mutable_spec());
  const std::int64_t state = stmt.Int(3);
  if (state >= INT32_MIN && state <= INT32_MAX && v1::JobState_IsValid(static_cast<int>(state))) {
    job.set_state(static_cast<v1::JobState>(state));
  } else {
    stored.corrupt = "state: " + std::to_string(state) + " is not a job state";
  }
  if (!stmt.IsNull(4)) *job.mutable_created_at() = TimeUtil::NanosecondsToTimestamp(stmt.Int(4));
  if (!stmt.IsNull(5)) *job.mutable_started_at() = TimeUtil::NanosecondsToTimestamp(stmt.Int(5));
  if (!stmt.IsNull(6)) *job.mutable_ended_at() = TimeUtil::NanosecondsToTimestamp(stmt.Int(6));
  job.set_error(stmt.Blob(7));
  job.set_verdict(static_cast<v1::Verdict>(stmt.Int(8)));
  v1::Job live;
  if (std::string reason = Decode("live_fields", stmt.Blob(9), live); !reason.empty()) {
    if (stored.corrupt.empty()) stored.corrupt = std::move(reason);
  } else {
    *job.mutable_warnings() = live.warnings();
    *job.mutable_totals() = live.totals();
    *job.mutable_thresholds() = live.thresholds();
  }
  if (!stmt.IsNull(10)) stored.checkpointed_at = TimeUtil::NanosecondsToTimestamp(stmt.Int(10));
  return stored;
}

}  // namespace

std::vector<StoredJob> RegistryStore::LoadAll() {
  Statement stmt(db_, (std::string(kJobColumns) + "ORDER BY seq").c_str());
  std::vector<StoredJob> jobs;
  while (stmt.Step()) jobs.push_back(ReadJobRow(stmt));
  return jobs;
}

std::optional<StoredJob> RegistryStore::Load(std::int64_t seq) {
  Statement stmt(db_, (std::string(kJobColumns) + "WHERE seq = ?1").c_str());
  stmt.BindInt(1, seq);
  if (!stmt.Step()) return std::nullopt;
  return ReadJobRow(stmt);
}

void RegistryStore::Save(const StoredJob& stored) {
  const v1::Job& job = stored.job;
  Statement stmt(
      db_,
      "INSERT INTO jobs (seq, id, name, spec, state, created_at_ns, started_at_ns, "
      "ended_at_ns, error, verdict, live_fields) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
      "?9, ?10, ?11) ON CONFLICT(seq) DO UPDATE SET spec = excluded.spec, "
      "state = excluded.state, started_at_ns = excluded.started_at_ns, "
      "ended_at_ns = excluded.ended_at_ns, error = excluded.error, "
      "verdict = excluded.verdict, live_fields = excluded.live_fields");
  stmt.BindInt(1, stored.seq);
  stmt.BindText(2, job.id());
  stmt.BindText(3, job.spec().name());
  stmt.BindBlob(4, job.spec().SerializeAsString());
  stmt.BindInt(5, job.state());
  stmt.BindTime(6, job.has_created_at(), job.created_at());
  stmt.BindTime(7, job.has_started_at(), job.started_at());
  stmt.BindTime(8, job.has_ended_at(), job.ended_at());
  stmt.BindText(9, job.error());
  stmt.BindInt(10, job.verdict());
  v1::Job live;
  *live.mutable_warnings() = job.warnings();
  *live.mutable_totals() = job.totals();
  *live.mutable_thresholds() = job.thresholds();
  stmt.BindBlob(11, live.SerializeAsString());
  stmt.Step();
}

void RegistryStore::WriteReport(const std::string& id, const std::string& report_blob,
                                const Timestamp* checkpointed_at) {
  Statement stmt(db_, "UPDATE jobs SET report = ?1, checkpointed_at_ns = ?2 WHERE id = ?3");
  stmt.BindBlob(1, report_blob);
  stmt.BindTime(2, checkpointed_at != nullptr, checkpointed_at ? *checkpointed_at : Timestamp());
  stmt.BindText(3, id);
  stmt.Step();
  if (sqlite3_changes(db_) == 0) throw StoreError("registry store: no job " + id);
}

void RegistryStore::SaveWithReport(const StoredJob& job, const std::string& report_blob,
                                   const Timestamp* checkpointed_at) {
  ExecSql(db_, "BEGIN IMMEDIATE");
  try {
    Save(job);
    WriteReport(job.job.id(), report_blob, checkpointed_at);
    ExecSql(db_, "COMMIT");
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

void RegistryStore::SaveEnded(const StoredJob& job, const std::string& report_blob) {
  SaveWithReport(job, report_blob, nullptr);
}

void RegistryStore::SaveCheckpoint(const StoredJob& job, const std::string& report_blob,
                                   const Timestamp& at) {
  SaveWithReport(job, report_blob, &at);
}

bool RegistryStore::Delete(const std::string& id) {
  Statement stmt(db_, "DELETE FROM jobs WHERE id = ?1");
  stmt.BindText(1, id);
  stmt.Step();
  return sqlite3_changes(db_) > 0;
}

std::optional<std::string> RegistryStore::LoadReport(const std::string& id) {
  Statement stmt(db_, "SELECT report FROM jobs WHERE id = ?1 AND report IS NOT NULL");
  stmt.BindText(1, id);
  if (!stmt.Step()) return std::nullopt;
  return stmt.Blob(0);
}

}  // namespace throng::api
