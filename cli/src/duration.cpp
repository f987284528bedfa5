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
  const std::int64_t ns = value.count();
  std::string out = std::to_string(ns / 1'000'000'000);
  std::int64_t nanos = ns % 1'000'000'000;
  if (nanos != 0) {
    std::string frac = std::to_string(nanos);
    frac.insert(0, 9 - frac.size(), '0');
    while (frac.back() == '0') frac.pop_back();
    out += "." + frac;
  }
  return out + "s";
}

}  // namespace throng::cli
