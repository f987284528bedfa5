// JobControl::RevealSetupVariables: the one way setup's real values leave the daemon (to the
// operator running a fleet, whose segments need them).
#include "throng/api/common/job_messages.h"
#include "throng/api/service/job_control.h"

namespace throng::api {

grpc::Status JobControl::RevealSetupVariables(const std::string& id, v1::Report& report) const {
  v1::Job job;
  if (grpc::Status status = Find(id, job); !status.ok()) return status;
  if (job.spec().phases() != v1::JOB_PHASES_SETUP_ONLY) {
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                        "reveal_setup_variables: job " + id + " is not a setup-only job");
  }
  std::optional<v1::Report> live = executor_ ? executor_->Report(id) : std::nullopt;
  if (!live || !live->final()) {
    const std::string why = IsFinal(job.state())
                                ? " is no longer held: setup variables are kept in memory only, "
                                  "for --finished-job-retention after the job ends and not across "
                                  "a restart of the daemon"
                                : " has not ended yet";
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                        "reveal_setup_variables: job " + id + why);
  }
  *report.mutable_setup_variables() = live->setup_variables();
  return grpc::Status::OK;
}

}  // namespace throng::api
