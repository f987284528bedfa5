#include "service_options.h"

namespace throng::daemon {

api::ServiceOptions ServiceOptionsOf(const DaemonConfig& config,
                                     const api::Authorizer* authorizer) {
  api::ServiceOptions options;
  options.authorizer = authorizer;
  options.convert.limits = config.limits;
  options.convert.allowed_env = config.allow_env;
  options.convert.feeder_dir = config.feeder_dir;
  options.max_users_per_daemon = config.max_users_per_daemon;
  options.max_jobs_held = config.max_running_jobs + config.max_queued_jobs;
  options.max_list_bytes = config.max_list_bytes;
  options.job_history = config.job_history;
  options.job_history_age = config.job_history_age;
  return options;
}

}  // namespace throng::daemon
