#include "throng/api/common/job_messages.h"

#include <google/protobuf/util/time_util.h>

#include <boost/algorithm/string/case_conv.hpp>

namespace throng::api {

bool IsFinal(v1::JobState state) {
  switch (state) {
    case v1::COMPLETED:
    case v1::STOPPED:
    case v1::ABORTED:
    case v1::FAILED:
    case v1::INTERRUPTED:
      return true;
    default:
      return false;
  }
}

std::string VerdictName(v1::Verdict verdict) {
  switch (verdict) {
    case v1::VERDICT_PASS:
      return "PASS";
    case v1::VERDICT_FAIL:
      return "FAIL";
    default:
      return "NONE";
  }
}

std::string KindName(v1::FailureKind kind) {
  const std::string name = boost::algorithm::to_lower_copy(v1::FailureKind_Name(kind));
  return name.empty() ? "other" : name;
}

google::protobuf::Timestamp ToTimestamp(std::chrono::system_clock::time_point time) {
  return google::protobuf::util::TimeUtil::NanosecondsToTimestamp(
      std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count());
}

}  // namespace throng::api
