#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

namespace throng::test_support {

/// A child process started with posix_spawn whose stdout is captured line by line and whose
/// stderr is captured to a log file (path in StderrLogPath(); deleted by the destructor unless
/// THRONG_KEEP_CHILD_LOGS is set).
/// Thread-safety: all methods may be called from any thread; one background thread reads the
/// pipes. The destructor SIGKILLs the child if it is still running and reaps it.
class ChildProcess {
 public:
  /// Starts `executable` with `args` (argv[1..]). Throws std::runtime_error if it cannot start.
  ChildProcess(std::string executable, std::vector<std::string> args);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  /// Returns the first stdout line (without '\n') matching `pattern` (std::regex_search) after
  /// the line returned by the previous call. Throws std::runtime_error, quoting the output so
  /// far, on timeout or when the child's stdout closes first.
  std::string WaitForLine(const std::regex& pattern, std::chrono::milliseconds timeout);

  /// Sends `signal` to the child; a no-op once the child has been reaped.
  void Signal(int signal);

  /// Waits for the child to exit and returns its exit code (128 + signal number when killed by a
  /// signal). On return Stdout() holds all the child wrote (unless a grandchild keeps the pipe
  /// open for more than 2 s). On timeout the child is SIGKILLed and std::runtime_error is thrown.
  int Wait(std::chrono::milliseconds timeout);

  /// True while the child has not exited.
  bool Running();

  pid_t pid() const { return pid_; }
  const std::string& StderrLogPath() const { return stderr_path_; }
  /// Everything the child wrote to stdout so far.
  std::string Stdout() const;
  /// Everything the child wrote to stderr so far (read back from the log file).
  std::string Stderr() const;

 private:
  void ReadLoop(int stdout_fd);
  // Non-blocking reap; returns true once the exit status is known. Caller holds wait_mutex_.
  bool TryReapLocked();
  std::string Describe() const;
  // Waits until the reader has seen end-of-file on stdout, or `deadline`.
  void DrainStdout(std::chrono::steady_clock::time_point deadline);

  std::string executable_;
  pid_t pid_ = -1;
  std::string stderr_path_;

  mutable std::mutex mutex_;  // guards lines_, partial_, eof_
  std::condition_variable cv_;
  std::vector<std::string> lines_;
  std::string partial_;
  bool eof_ = false;
  size_t next_line_ = 0;

  std::mutex wait_mutex_;  // guards exit_code_ and serializes waitpid
  std::optional<int> exit_code_;

  int wake_fd_[2] = {-1, -1};  // lets the destructor stop the reader if a grandchild holds stdout
  std::thread reader_;
};

}  // namespace throng::test_support
