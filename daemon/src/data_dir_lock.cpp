#include "throng/daemon/data_dir_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>

namespace throng::daemon {
namespace {

/// The pid written in the lock file ("unknown" when it cannot be read).
std::string HolderOf(int fd) {
  char buffer[32] = {};
  const ssize_t n = pread(fd, buffer, sizeof buffer - 1, 0);
  std::string text = n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : std::string();
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  const bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
  return digits ? "pid " + text : "an unknown pid";
}

}  // namespace

DataDirLock::DataDirLock(const std::filesystem::path& data_dir) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) {
    throw std::runtime_error("data dir " + data_dir.string() + ": cannot create: " + ec.message());
  }
  const std::string file = (data_dir / kFileName).string();
  fd_ = open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    throw std::runtime_error("data dir lock " + file + ": " + std::strerror(errno));
  }
  if (flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    const std::string holder = error == EWOULDBLOCK ? HolderOf(fd_) : std::string();
    close(fd_);
    if (error == EWOULDBLOCK) {
      throw DataDirLockedError("data dir " + data_dir.string() + " is in use by another throngd (" +
                               holder + ", lock " + file + ")");
    }
    throw std::runtime_error("data dir lock " + file + ": " + std::strerror(error));
  }
  const std::string pid = std::to_string(getpid()) + "\n";
  if (ftruncate(fd_, 0) != 0 || pwrite(fd_, pid.data(), pid.size(), 0) < 0) {
    // The lock holds all the same; only the holder's name in a rival's message is lost.
  }
}

DataDirLock::~DataDirLock() {
  if (fd_ >= 0) close(fd_);  // releases the flock
}

}  // namespace throng::daemon
