#include "spec_support.h"

#include <cmath>

#include "throng/api/spec/spec_converter.h"

namespace throng::api {

SpecError::SpecError(std::string field_path, std::string message)
    : std::runtime_error(field_path + ": " + message),
      field_path_(std::move(field_path)),
      message_(std::move(message)) {}

SpecLimitError::SpecLimitError(std::string field_path, std::string message, std::string limit)
    : SpecError(std::move(field_path), std::move(message)), limit_(std::move(limit)) {}

namespace spec {

void Fail(const FieldPath& path, const std::string& message) {
  throw SpecError(path.str(), message);
}

engine::Duration NonNegativeDuration(const google::protobuf::Duration& value,
                                     const FieldPath& path) {
  if (value.nanos() <= -1'000'000'000 || value.nanos() >= 1'000'000'000 ||
      (value.seconds() > 0 && value.nanos() < 0) || (value.seconds() < 0 && value.nanos() > 0)) {
    Fail(path, "malformed duration (nanos out of range or of another sign than seconds)");
  }
  if (value.seconds() < 0 || value.nanos() < 0) Fail(path, "must be >= 0");
  // Beyond ~292 years nanoseconds overflow int64; nobody means that.
  if (value.seconds() > 100LL * 365 * 24 * 3600) Fail(path, "must be at most 100 years");
  return std::chrono::seconds(value.seconds()) + std::chrono::nanoseconds(value.nanos());
}

engine::Duration PositiveDuration(const google::protobuf::Duration& value, const FieldPath& path) {
  const engine::Duration result = NonNegativeDuration(value, path);
  if (result.count() == 0) Fail(path, "must be > 0");
  return result;
}

engine::Duration PositiveDurationOr(bool has_value, const google::protobuf::Duration& value,
                                    const FieldPath& path, engine::Duration fallback) {
  return has_value ? PositiveDuration(value, path) : fallback;
}

engine::DurationRange ToRange(const v1::Between& between, const FieldPath& path) {
  engine::DurationRange range{NonNegativeDuration(between.min(), path.Field("min")),
                              NonNegativeDuration(between.max(), path.Field("max"))};
  if (range.min > range.max) Fail(path.Field("max"), "must be >= min");
  return range;
}

double NonNegativeNumber(double value, const FieldPath& path) {
  if (!std::isfinite(value) || value < 0) Fail(path, "must be a finite number >= 0");
  return value;
}

double RateNumber(double value, double max, const FieldPath& path) {
  if (!std::isfinite(value) || value < 0 || value > max) {
    Fail(path, "must be a finite number >= 0 and at most " + std::to_string(std::llround(max)) +
                   " per second (the engine's maximum)");
  }
  return value;
}

void Require(const std::string& value, const FieldPath& path) {
  if (value.empty()) Fail(path, "required");
}

}  // namespace spec
}  // namespace throng::api
