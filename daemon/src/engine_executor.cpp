#include "throng/daemon/engine_executor.h"

#include "throng/api/executor/engine_job_executor.h"
#include "throng/api/executor/queueing_job_executor.h"
#include "throng/api/http/metrics_endpoint.h"

namespace throng::daemon {

ExecutorFactory EngineExecutorFactory() {
  return [](const DaemonConfig& config, api::http::MetricsEndpoint& exposer) {
    auto metrics = std::make_shared<api::JobMetricsCollectable>(config.finished_job_retention);
    exposer.RegisterCollectable(metrics);
    api::EngineJobExecutorOptions options;
    options.engine.workers = config.threads;
    options.retention = config.finished_job_retention;
    options.checkpoint_interval = config.checkpoint_interval;
    return std::unique_ptr<api::JobExecutor>(std::make_unique<api::QueueingJobExecutor>(
        std::make_unique<api::EngineJobExecutor>(std::move(options), std::move(metrics)),
        config.max_running_jobs));
  };
}

}  // namespace throng::daemon
