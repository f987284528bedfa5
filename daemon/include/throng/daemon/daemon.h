// throngd's lifecycle: lock the data dir, bind, serve, reload on SIGHUP, and shut down cleanly
// on SIGINT/SIGTERM.
#pragma once

#include <functional>
#include <memory>
#include <stdexcept>

#include "throng/api/executor/job_executor.h"
#include "throng/daemon/config.h"

namespace throng::api::http {
class MetricsEndpoint;
}

namespace throng::daemon {

/// A listen address could not be bound (taken port, unknown host). throngd exits with 3.
class BindError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A flag value is malformed (e.g. a listen address that is not host:port). throngd exits with 2,
/// like for every other bad flag.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Builds the job executor (the load engine) once the metrics endpoint is up, so the executor can
/// register its collectables on `metrics` (it must keep their shared_ptrs alive). May return null:
/// jobs are then registered but not run.
using ExecutorFactory = std::function<std::unique_ptr<api::JobExecutor>(
    const DaemonConfig& config, api::http::MetricsEndpoint& metrics)>;

/// Exit codes of throngd.
/// kExitDataDirLocked: another throngd holds --data-dir (see DataDirLock).
enum ExitCode : int {
  kExitOk = 0,
  kExitFailure = 1,
  kExitUsage = 2,
  kExitBind = 3,
  kExitDataDirLocked = 3,
};

/// Runs the daemon until SIGINT or SIGTERM (reloading on SIGHUP, see Reloader) and returns the
/// process exit code. Prints "grpc listening on HOST:PORT", "metrics listening on
/// http://HOST:PORT" and, when the console is served, "console at http://HOST:PORT/" to stdout
/// once both ports are bound. Must be called from the main thread before any other thread exists
/// (it blocks the termination signals for every thread it starts). Never throws.
int RunDaemon(const DaemonConfig& config, const ExecutorFactory& make_executor);

/// throngd's main: parses flags, sets up logging, runs the daemon.
int DaemonMain(int argc, const char* const* argv, const ExecutorFactory& make_executor);

}  // namespace throng::daemon
