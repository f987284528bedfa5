#include "throng/api/registry/registered_job.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "throng/api/common/job_messages.h"

namespace throng::api {
namespace {

constexpr std::int64_t kSecondsPerDay = 86400;

/// Floor division: a job created before 1970 still gets the day it was created on.
std::int32_t DayOf(std::int64_t seconds) {
  const std::int64_t day = seconds / kSecondsPerDay - (seconds % kSecondsPerDay < 0 ? 1 : 0);
  return static_cast<std::int32_t>(day);
}

}  // namespace

RegisteredJob::RegisteredJob(v1::Job job) : live_(std::make_unique<v1::Job>(std::move(job))) {
  Reindex();
}

v1::Job& RegisteredJob::Edit(v1::Job stored) {
  if (!live_) live_ = std::make_unique<v1::Job>(std::move(stored));
  return *live_;
}

bool RegisteredJob::Release() {
  if (!live_) return true;
  Reindex();
  if (!IsFinal(state_)) return false;
  live_.reset();
  return true;
}

void RegisteredJob::Reindex() {
  if (!live_) return;
  state_ = live_->state();
  ended_at_seconds_ = live_->ended_at().seconds();
  created_day_ = DayOf(live_->created_at().seconds());
  const std::size_t size = live_->ByteSizeLong();
  byte_size_ = static_cast<std::uint32_t>(
      std::min<std::size_t>(size, std::numeric_limits<std::uint32_t>::max()));
}

std::size_t RegisteredJob::ByteSize() const { return live_ ? live_->ByteSizeLong() : byte_size_; }

}  // namespace throng::api
