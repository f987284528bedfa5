#include "registry_schema.h"

#include <sqlite3.h>

#include <array>
#include <string>

#include "sqlite_statement.h"

namespace throng::api {
namespace {

/// The table as throngd wrote it before schema versions; never changed, only migrated.
constexpr const char* kSchemaVersion0 = R"sql(
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
  warnings BLOB,
  report BLOB
);)sql";

/// kMigrations[v] takes the schema from version v to v + 1.
constexpr std::array<const char*, kRegistrySchemaVersion> kMigrations = {
    // 1: the column holds a serialized v1.Job of the executor's fields (warnings, totals,
    // threshold results), not just warnings.
    "ALTER TABLE jobs RENAME COLUMN warnings TO live_fields;",
    // 2: when the report column was last written by a running job's checkpoint (NULL: never,
    // or the report is final).
    "ALTER TABLE jobs ADD COLUMN checkpointed_at_ns INTEGER;",
};

}  // namespace

void ExecSql(sqlite3* db, const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    const std::string message = error ? error : sqlite3_errmsg(db);
    sqlite3_free(error);
    throw StoreError("registry store: " + message);
  }
}

int RegistrySchemaVersion(sqlite3* db) {
  Statement stmt(db, "PRAGMA user_version");
  return stmt.Step() ? static_cast<int>(stmt.Int(0)) : 0;
}

void MigrateRegistrySchema(sqlite3* db) {
  int version = RegistrySchemaVersion(db);
  if (version > kRegistrySchemaVersion) {
    throw StoreError("registry store: schema version " + std::to_string(version) +
                     " was written by a newer throngd (this one knows up to " +
                     std::to_string(kRegistrySchemaVersion) + ")");
  }
  if (version == 0) ExecSql(db, kSchemaVersion0);
  for (; version < kRegistrySchemaVersion; ++version) {
    ExecSql(db, "BEGIN IMMEDIATE");
    try {
      ExecSql(db, kMigrations[static_cast<std::size_t>(version)]);
      ExecSql(db, ("PRAGMA user_version = " + std::to_string(version + 1)).c_str());
      ExecSql(db, "COMMIT");
    } catch (const StoreError& e) {
      sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
      throw StoreError("registry store: migration to schema version " +
                       std::to_string(version + 1) + " failed: " + e.what());
    }
  }
}

}  // namespace throng::api
