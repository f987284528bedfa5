#include "event_stream.h"

#include "proto_json.h"

namespace throng::api::http {
namespace {

class JobEventSource final : public EventSource {
 public:
  JobEventSource(JobControl& control, std::string job_id)
      : control_(control), job_id_(std::move(job_id)) {}

  ServerEvent Next() override {
    const v1::JobSnapshot snapshot = control_.Snapshot(job_id_);
    return {snapshot.final() ? "final" : "snapshot", ToJson(snapshot), snapshot.final()};
  }

 private:
  JobControl& control_;
  const std::string job_id_;
};

}  // namespace

std::unique_ptr<EventSource> MakeJobEventSource(JobControl& control, std::string job_id) {
  return std::make_unique<JobEventSource>(control, std::move(job_id));
}

}  // namespace throng::api::http
