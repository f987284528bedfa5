// The load engine: worker threads that run jobs.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "throng/engine/clock.h"
#include "throng/engine/plan.h"
#include "throng/engine/request_sender.h"
#include "throng/engine/running_job.h"

namespace boost::asio {
class io_context;
}

namespace throng::engine {

/// Builds the request sender factory of one worker for a job. The default makes a
/// BeastSenderFactory from plan.http; tests inject fakes.
using SenderFactoryMaker =
    std::function<std::unique_ptr<RequestSenderFactory>(boost::asio::io_context&, const HttpPlan&)>;

struct EngineOptions {
  std::size_t workers = std::thread::hardware_concurrency();
  /// Empty: BeastSenderFactory.
  SenderFactoryMaker sender_factory;
  /// Null: SteadyClock. Drives elapsed time, stages and durations.
  std::shared_ptr<const Clock> clock;
};

class WorkerPool;

/// Owns N worker threads, one io_context each, shared by all jobs. Thread-safe.
class Engine {
 public:
  explicit Engine(EngineOptions options = {});
  /// Stops every job immediately, waits for them (teardown included) and joins the threads.
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  /// Validates runtime preconditions (e.g. unique feeder capacity, a supported load model)
  /// synchronously, throwing JobError; then runs setup, load and teardown asynchronously.
  std::shared_ptr<RunningJob> Start(Plan plan);

  std::size_t Workers() const;

 private:
  EngineOptions options_;
  std::unique_ptr<WorkerPool> pool_;
  std::mutex mutex_;
  std::vector<std::weak_ptr<RunningJob>> jobs_;
};

}  // namespace throng::engine
