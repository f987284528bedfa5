#include "throng/api/registry/registry_store.h"

#include <google/protobuf/util/time_util.h>
#include <sqlite3.h>

#include <system_error>

namespace throng::api {
namespace {

using google::protobuf::Timestamp;
using google::protobuf::util::TimeUtil;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS jobs (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  spec BLOB NOT NULL,
  state INTEGER NOT NULL,
  created_at_ns INTEGER,
  started_at_ns INTEGER,
  ended_at_ns INTEGER,
  error TEXT NOT NULL DEFAULT '',
  verdict INTEGER NOT NULL DEFAULT 0,
  warnings BLOB,  -- a serialized v1.Job holding the executor's fields: warnings, totals, thresholds
  report BLOB
);)sql";

/// Finalizes a statement on every path, including exceptions.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) {
      throw StoreError(std::string("registry store: ") + sqlite3_errmsg(db));
    }
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  void BindText(int index, const std::string& text) {
    sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  }
  void BindBlob(int index, const std::string& blob) {
    sqlite3_bind_blob(stmt_, index, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
  }
  void BindInt(int index, std::int64_t value) { sqlite3_bind_int64(stmt_, index, value); }
  /// Unset timestamps are stored as NULL.
  void BindTime(int index, bool has, const Timestamp& time) {
    if (has) {
      BindInt(index, TimeUtil::TimestampToNanoseconds(time));
    } else {
      sqlite3_bind_null(stmt_, index);
    }
  }
  /// True while rows remain.
  bool Step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw StoreError(std::string("registry store: ") + sqlite3_errmsg(db_));
  }
  std::int64_t Int(int column) const { return sqlite3_column_int64(stmt_, column); }
  bool IsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
  std::string Blob(int column) const {
    const void* data = sqlite3_column_blob(stmt_, column);
    const int size = sqlite3_column_bytes(stmt_, column);
    return data ? std::string(static_cast<const char*>(data), static_cast<std::size_t>(size))
                : std::string();
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

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
    Exec("PRAGMA journal_mode=WAL;");
    Exec("PRAGMA synchronous=NORMAL;");
    Exec(kSchema);
  } catch (...) {
    sqlite3_close(db_);
    throw;
  }
}

RegistryStore::~RegistryStore() { sqlite3_close(db_); }

void RegistryStore::Exec(const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    const std::string message = error ? error : sqlite3_errmsg(db_);
    sqlite3_free(error);
    throw StoreError("registry store: " + message);
  }
}

std::vector<StoredJob> RegistryStore::LoadAll() {
  Statement stmt(db_,
                 "SELECT seq, id, spec, state, created_at_ns, started_at_ns, ended_at_ns, error, "
                 "verdict, warnings FROM jobs ORDER BY seq");
  std::vector<StoredJob> jobs;
  while (stmt.Step()) {
    StoredJob stored;
    stored.seq = stmt.Int(0);
    v1::Job& job = stored.job;
    job.set_id(stmt.Blob(1));
    if (!job.mutable_spec()->ParseFromString(stmt.Blob(2))) {
      throw StoreError("registry store: job " + job.id() + " has a corrupt spec");
    }
    job.set_state(static_cast<v1::JobState>(stmt.Int(3)));
    if (!stmt.IsNull(4)) *job.mutable_created_at() = TimeUtil::NanosecondsToTimestamp(stmt.Int(4));
    if (!stmt.IsNull(5)) *job.mutable_started_at() = TimeUtil::NanosecondsToTimestamp(stmt.Int(5));
    if (!stmt.IsNull(6)) *job.mutable_ended_at() = TimeUtil::NanosecondsToTimestamp(stmt.Int(6));
    job.set_error(stmt.Blob(7));
    job.set_verdict(static_cast<v1::Verdict>(stmt.Int(8)));
    v1::Job live;
    if (live.ParseFromString(stmt.Blob(9))) {
      *job.mutable_warnings() = live.warnings();
      *job.mutable_totals() = live.totals();
      *job.mutable_thresholds() = live.thresholds();
    }
    jobs.push_back(std::move(stored));
  }
  return jobs;
}

void RegistryStore::Save(const StoredJob& stored) {
  const v1::Job& job = stored.job;
  Statement stmt(db_,
                 "INSERT INTO jobs (seq, id, name, spec, state, created_at_ns, started_at_ns, "
                 "ended_at_ns, error, verdict, warnings) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
                 "?9, ?10, ?11) ON CONFLICT(seq) DO UPDATE SET spec = excluded.spec, "
                 "state = excluded.state, started_at_ns = excluded.started_at_ns, "
                 "ended_at_ns = excluded.ended_at_ns, error = excluded.error, "
                 "verdict = excluded.verdict, warnings = excluded.warnings");
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

void RegistryStore::SaveReport(const std::string& id, const std::string& report_blob) {
  Statement stmt(db_, "UPDATE jobs SET report = ?1 WHERE id = ?2");
  stmt.BindBlob(1, report_blob);
  stmt.BindText(2, id);
  stmt.Step();
  if (sqlite3_changes(db_) == 0) throw StoreError("registry store: no job " + id);
}

void RegistryStore::SaveEnded(const StoredJob& job, const std::string& report_blob) {
  Exec("BEGIN IMMEDIATE");
  try {
    Save(job);
    SaveReport(job.job.id(), report_blob);
    Exec("COMMIT");
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

std::optional<std::string> RegistryStore::LoadReport(const std::string& id) {
  Statement stmt(db_, "SELECT report FROM jobs WHERE id = ?1 AND report IS NOT NULL");
  stmt.BindText(1, id);
  if (!stmt.Step()) return std::nullopt;
  return stmt.Blob(0);
}

}  // namespace throng::api
