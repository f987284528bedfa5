#include "limit_flags.h"

#include <cstdint>

namespace throng::daemon {
namespace {

template <class T>
void AddLimit(CLI::App& app, const std::string& flag, T& value, const std::string& help) {
  app.add_option(flag, value, help)->check(CLI::PositiveNumber)->capture_default_str();
}

}  // namespace

void AddLimitFlags(CLI::App& app, DaemonConfig& config, std::string& max_job_duration,
                   std::string& job_history_age, const CLI::Validator& check_duration) {
  api::SpecLimits& limits = config.limits;
  AddLimit(app, "--max-spec-bytes", limits.max_spec_bytes, "Serialized size of one job spec");
  AddLimit(app, "--max-users-per-job", limits.max_users_per_job,
           "Users of one job (closed users and stages, open max_users, iteration users)");
  AddLimit(app, "--max-users-per-daemon", config.max_users_per_daemon,
           "Peak users summed over the jobs that have not ended");
  AddLimit(app, "--max-running-jobs", config.max_running_jobs,
           "Jobs running at once; later ones wait QUEUED");
  AddLimit(app, "--max-queued-jobs", config.max_queued_jobs,
           "Jobs waiting QUEUED beyond --max-running-jobs");
  AddLimit(app, "--max-request-names", limits.max_request_names,
           "Distinct request names (with method) of one job");
  AddLimit(app, "--max-histogram-buckets", limits.max_histogram_buckets,
           "Entries of a job's histogram_buckets");
  AddLimit(app, "--max-feeder-rows", limits.max_feeder_rows, "Rows of one feeder");
  AddLimit(app, "--max-label-length", limits.max_label_length,
           "Bytes of a name that becomes a metric label");
  AddLimit(app, "--max-nesting-depth", limits.max_nesting_depth,
           "Levels of messages nested in a job spec");
  AddLimit(app, "--max-list-bytes", config.max_list_bytes, "Bytes of one ListJobs page");
  AddLimit(app, "--job-history", config.job_history,
           "Ended jobs kept in the registry (older ones are forgotten)");
  app.add_option("--max-job-duration", max_job_duration,
                 "Longest load duration, stage, graceful_stop or abort_delay")
      ->check(check_duration)
      ->capture_default_str();
  app.add_option("--job-history-age", job_history_age,
                 "Ended jobs older than this are forgotten (0: no age bound)")
      ->check(check_duration)
      ->capture_default_str();
}

}  // namespace throng::daemon
