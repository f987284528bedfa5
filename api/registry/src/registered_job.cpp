#include "throng/api/registry/registered_job.h"

#include <utility>

#include "throng/api/common/job_messages.h"

namespace throng::api {

RegisteredJob::RegisteredJob(v1::Job job) : live_(std::move(job)) { SealIfEnded(); }

v1::Job RegisteredJob::Get() const {
  if (sealed_.empty()) return live_;
  v1::Job job;
  job.ParseFromString(sealed_);  // bytes this class wrote
  return job;
}

v1::Job& RegisteredJob::Edit() {
  if (!sealed_.empty()) {
    live_.ParseFromString(sealed_);
    std::string().swap(sealed_);
  }
  return live_;
}

void RegisteredJob::SealIfEnded() {
  if (!sealed_.empty()) return;
  state_ = live_.state();
  ended_at_seconds_ = live_.ended_at().seconds();
  if (!IsFinal(state_)) return;
  sealed_ = live_.SerializeAsString();
  v1::Job().Swap(&live_);  // frees the parsed message's blocks now, not at the next update
}

std::size_t RegisteredJob::ByteSize() const {
  return sealed_.empty() ? live_.ByteSizeLong() : sealed_.size();
}

}  // namespace throng::api
