// The executor factory throngd uses: the load engine with live Prometheus series.
#pragma once

#include "throng/daemon/daemon.h"

namespace throng::daemon {

/// Builds an api::EngineJobExecutor with `config.threads` engine workers whose jobs' series are
/// exposed on the exposer and kept for `config.finished_job_retention` after each job ends.
ExecutorFactory EngineExecutorFactory();

}  // namespace throng::daemon
