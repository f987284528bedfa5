// Shared helpers of the spec converter: failing with a field path, durations, sorted map entries.
#pragma once

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "spec_field_path.h"
#include "throng/engine/plan.h"
#include "throng/v1/job_spec.pb.h"

namespace throng::api::spec {

/// Throws SpecError for `path`.
[[noreturn]] void Fail(const FieldPath& path, const std::string& message);

/// A well-formed, non-negative duration (seconds and nanos agree in sign, nanos < 1 s).
engine::Duration NonNegativeDuration(const google::protobuf::Duration& value,
                                     const FieldPath& path);
/// As NonNegativeDuration, and also > 0.
engine::Duration PositiveDuration(const google::protobuf::Duration& value, const FieldPath& path);
/// `value` when set (> 0), else `fallback`.
engine::Duration PositiveDurationOr(bool has_value, const google::protobuf::Duration& value,
                                    const FieldPath& path, engine::Duration fallback);
/// min <= max, both non-negative.
engine::DurationRange ToRange(const v1::Between& between, const FieldPath& path);

/// A finite number >= 0.
double NonNegativeNumber(double value, const FieldPath& path);
/// A rate per second in [0, max] (max: engine::kMaxArrivalRate or kMaxSpawnRate).
double RateNumber(double value, double max, const FieldPath& path);

/// Fails unless `value` is non-empty.
void Require(const std::string& value, const FieldPath& path);

/// Proto maps iterate in no fixed order; plans list entries sorted by key to stay deterministic.
template <class Map>
std::vector<std::pair<std::string, std::string>> SortedEntries(const Map& map) {
  std::vector<std::pair<std::string, std::string>> entries(map.begin(), map.end());
  std::sort(entries.begin(), entries.end());
  return entries;
}

/// `weight`, or 1 when unset (0).
inline std::uint32_t WeightOrDefault(std::uint32_t weight) { return weight == 0 ? 1 : weight; }

}  // namespace throng::api::spec
