// A prepared SQLite statement that is finalized on every path (the registry store's helper).
#pragma once

#include <google/protobuf/timestamp.pb.h>
#include <google/protobuf/util/time_util.h>
#include <sqlite3.h>

#include <cstdint>
#include <string>

#include "throng/api/registry/registry_store.h"

namespace throng::api {

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
  void BindTime(int index, bool has, const google::protobuf::Timestamp& time) {
    if (has) {
      BindInt(index, google::protobuf::util::TimeUtil::TimestampToNanoseconds(time));
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

/// Runs `sql` (one or more statements without results). Throws StoreError.
void ExecSql(sqlite3* db, const char* sql);

}  // namespace throng::api
