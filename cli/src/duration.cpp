#include "throng/cli/duration.h"

#include <cstdint>
#include <string>

#include "throng/api/common/duration.h"
#include "throng/cli/error.h"

namespace throng::cli {

std::chrono::nanoseconds ParseDuration(std::string_view text) {
  absl::StatusOr<std::chrono::nanoseconds> parsed = api::ParseDuration(text);
  if (!parsed.ok()) throw InputError(std::string(parsed.status().message()));
  return *parsed;
}

std::string ToProtoJsonDuration(std::chrono::nanoseconds value) {
  return api::ToProtoJsonDuration(value);
}

}  // namespace throng::cli
