// Direct SQL on a registry database, for tests that change rows under a JobRegistry.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <string>

namespace throng::api {

/// Runs `sql` on `<data_dir>/registry.sqlite3` through a connection of its own; a failure is a
/// test failure naming SQLite's message.
inline void RunRegistrySql(const std::filesystem::path& data_dir, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((data_dir / "registry.sqlite3").c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
      << (error ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
}

}  // namespace throng::api
