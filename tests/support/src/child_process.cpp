#include "throng/test_support/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <system_error>

extern char** environ;

namespace throng::test_support {
namespace {

std::system_error Errno(const std::string& what) {
  return std::system_error(errno, std::generic_category(), what);
}

std::string MakeStderrPath(const std::string& executable) {
  const char* tmp = std::getenv("TMPDIR");
  std::string dir = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
  std::string base = executable.substr(executable.find_last_of('/') + 1);
  std::string path = dir + "/" + base + "-XXXXXX.stderr.log";
  // mkstemps keeps the ".stderr.log" suffix (11 characters) so names stay readable.
  int fd = mkstemps(path.data(), 11);
  if (fd < 0) throw Errno("cannot create stderr log " + path);
  close(fd);
  return path;
}

}  // namespace

ChildProcess::ChildProcess(std::string executable, std::vector<std::string> args)
    : executable_(std::move(executable)), stderr_path_(MakeStderrPath(executable_)) {
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) {
    unlink(stderr_path_.c_str());
    throw Errno("pipe2");
  }
  if (pipe2(wake_fd_, O_CLOEXEC) != 0) {
    close(out[0]);
    close(out[1]);
    unlink(stderr_path_.c_str());
    throw Errno("pipe2");
  }

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, stderr_path_.c_str(),
                                   O_WRONLY | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);

  std::vector<char*> argv;
  argv.push_back(executable_.data());
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);

  int rc = posix_spawn(&pid_, executable_.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  if (rc != 0) {
    close(out[0]);
    close(wake_fd_[0]);
    close(wake_fd_[1]);
    unlink(stderr_path_.c_str());
    throw std::system_error(rc, std::generic_category(), "cannot start " + executable_);
  }
  reader_ = std::thread([this, fd = out[0]] { ReadLoop(fd); });
}

ChildProcess::~ChildProcess() {
  {
    std::lock_guard lock(wait_mutex_);
    if (!TryReapLocked()) {
      kill(pid_, SIGKILL);
      int status = 0;
      while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
      }
      exit_code_ = 128 + SIGKILL;
    }
  }
  // The child is gone; if a grandchild still holds the pipe, the wake pipe ends the reader.
  char byte = 0;
  (void)!write(wake_fd_[1], &byte, 1);
  reader_.join();
  close(wake_fd_[0]);
  close(wake_fd_[1]);
  // Failures already quote the log; keep it only when asked, so test runs leave no litter.
  if (std::getenv("THRONG_KEEP_CHILD_LOGS") == nullptr) unlink(stderr_path_.c_str());
}

void ChildProcess::ReadLoop(int fd) {
  char buf[4096];
  for (;;) {
    pollfd fds[2] = {{fd, POLLIN, 0}, {wake_fd_[0], POLLIN, 0}};
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (fds[0].revents == 0) break;  // woken by the destructor
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    std::lock_guard lock(mutex_);
    partial_.append(buf, static_cast<size_t>(n));
    size_t start = 0;
    for (size_t nl; (nl = partial_.find('\n', start)) != std::string::npos; start = nl + 1) {
      lines_.push_back(partial_.substr(start, nl - start));
    }
    partial_.erase(0, start);
    cv_.notify_all();
  }
  close(fd);
  std::lock_guard lock(mutex_);
  if (!partial_.empty()) lines_.push_back(std::move(partial_));
  partial_.clear();
  eof_ = true;
  cv_.notify_all();
}

std::string ChildProcess::WaitForLine(const std::regex& pattern,
                                      std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock lock(mutex_);
  for (;;) {
    for (; next_line_ < lines_.size(); ++next_line_) {
      if (std::regex_search(lines_[next_line_], pattern)) return lines_[next_line_++];
    }
    if (eof_) break;
    if (cv_.wait_until(lock, deadline) == std::cv_status::timeout && next_line_ == lines_.size()) {
      break;
    }
  }
  bool closed = eof_;
  lock.unlock();
  throw std::runtime_error(
      (closed ? "stdout closed before a matching line; " : "timed out waiting for a line; ") +
      Describe());
}

void ChildProcess::Signal(int signal) {
  std::lock_guard lock(wait_mutex_);
  if (!TryReapLocked()) kill(pid_, signal);
}

bool ChildProcess::TryReapLocked() {
  if (exit_code_) return true;
  int status = 0;
  pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r != pid_) return false;
  exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return true;
}

void ChildProcess::DrainStdout(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  cv_.wait_until(lock, deadline, [this] { return eof_; });
}

bool ChildProcess::Running() {
  std::lock_guard lock(wait_mutex_);
  return !TryReapLocked();
}

int ChildProcess::Wait(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    {
      std::lock_guard lock(wait_mutex_);
      if (TryReapLocked()) {
        DrainStdout(std::chrono::steady_clock::now() + std::chrono::seconds(2));
        return *exit_code_;
      }
      if (std::chrono::steady_clock::now() >= deadline) {
        kill(pid_, SIGKILL);
        break;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  throw std::runtime_error("child did not exit in time and was killed; " + Describe());
}

std::string ChildProcess::Stdout() const {
  std::lock_guard lock(mutex_);
  std::string all;
  for (const auto& line : lines_) all += line + "\n";
  return all + partial_;
}

std::string ChildProcess::Stderr() const {
  std::ifstream in(stderr_path_);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string ChildProcess::Describe() const {
  return executable_ + " (pid " + std::to_string(pid_) + ")\n--- stdout ---\n" + Stdout() +
         "--- stderr (" + stderr_path_ + ") ---\n" + Stderr();
}

}  // namespace throng::test_support
