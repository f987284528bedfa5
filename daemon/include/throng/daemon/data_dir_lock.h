// One throngd per data directory: an exclusive flock on <data_dir>/throngd.lock.
#pragma once

#include <filesystem>
#include <stdexcept>

namespace throng::daemon {

/// Another process holds the data directory. throngd exits with 3.
class DataDirLockedError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Holds an exclusive flock on `<data_dir>/throngd.lock` (created, with the data directory, when
/// missing) for its lifetime; the file holds the holder's pid. The kernel drops the lock when
/// the process dies, however it dies, so a crashed daemon never leaves a stale lock. Not
/// copyable; thread-compatible.
class DataDirLock {
 public:
  /// Takes the lock without waiting. Throws DataDirLockedError naming the holder's pid when
  /// another process holds it, std::runtime_error when the file cannot be created.
  explicit DataDirLock(const std::filesystem::path& data_dir);
  ~DataDirLock();
  DataDirLock(const DataDirLock&) = delete;
  DataDirLock& operator=(const DataDirLock&) = delete;

  static constexpr const char* kFileName = "throngd.lock";

 private:
  int fd_ = -1;
};

}  // namespace throng::daemon
