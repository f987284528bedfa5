#include "throng/engine/engine.h"

#include <algorithm>

#include "job_runner.h"
#include "throng/engine/http_client.h"
#include "worker_pool.h"

namespace throng::engine {
namespace {

// Teardown after an immediate stop may still wait on its requests' timeouts.
constexpr auto kShutdownWait = std::chrono::minutes(2);

std::unique_ptr<RequestSenderFactory> MakeBeastFactory(boost::asio::io_context& io,
                                                       const HttpPlan& http) {
  HttpClientOptions options;
  options.scheme = http.scheme;
  options.host = http.host;
  options.port = http.port;
  options.connect_timeout = http.connect_timeout;
  options.request_timeout = http.request_timeout;
  options.insecure_skip_verify = http.insecure_skip_verify;
  options.max_body_bytes = http.max_body_bytes;
  options.keep_alive = http.keep_alive;
  options.max_redirects = http.max_redirects;
  options.target_guard = http.target_guard;
  return std::make_unique<BeastSenderFactory>(io, std::move(options));
}

}  // namespace

Engine::Engine(EngineOptions options) : options_(std::move(options)) {
  if (options_.workers == 0) options_.workers = 1;
  if (!options_.sender_factory) options_.sender_factory = MakeBeastFactory;
  if (!options_.clock) options_.clock = std::make_shared<SteadyClock>();
  pool_ = std::make_unique<WorkerPool>(options_.workers);
}

Engine::~Engine() {
  std::vector<std::shared_ptr<RunningJob>> jobs;
  {
    std::lock_guard lock(mutex_);
    for (auto& weak : jobs_) {
      if (auto job = weak.lock()) jobs.push_back(std::move(job));
    }
  }
  for (auto& job : jobs) job->Stop(true, std::nullopt);
  for (auto& job : jobs) job->WaitUntilDone(kShutdownWait);
  jobs.clear();
  pool_.reset();
}

std::size_t Engine::Workers() const { return pool_->Size(); }

std::shared_ptr<RunningJob> Engine::Start(Plan plan) {
  std::shared_ptr<JobRunner> job;
  try {
    job = std::make_shared<JobRunner>(std::move(plan), *pool_, options_.sender_factory,
                                      options_.clock);
  } catch (const JobError&) {
    throw;
  } catch (const std::exception& e) {
    throw JobError(e.what());  // e.g. the HTTP client rejecting the target
  }
  job->Launch();
  std::lock_guard lock(mutex_);
  std::erase_if(jobs_, [](const std::weak_ptr<RunningJob>& weak) { return weak.expired(); });
  jobs_.push_back(job);
  return job;
}

}  // namespace throng::engine
