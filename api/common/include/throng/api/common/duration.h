// The one duration grammar of Throng: scenario files, throngctl flags, throngd flags and the
// latencies in threshold expressions all read durations through it.
#pragma once

#include <absl/status/statusor.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace throng::api {

/// Nanoseconds in one `unit` ("ns", "us" or "µs", "ms", "s", "m", "h"); nullopt for anything else.
std::optional<std::int64_t> DurationUnitNanos(std::string_view unit);

/// Parses one or more `<number><unit>` terms ("15s", "500ms", "1m30s", "1.5h", "1.5e3ms"), or
/// "0". Numbers are non-negative decimals; every term needs a unit. InvalidArgument (whose
/// message never echoes the text) for anything else, OutOfRange past about 292 years.
absl::StatusOr<std::chrono::nanoseconds> ParseDuration(std::string_view text);

/// Formats a duration the way protobuf's JSON mapping wants it: "15s", "0.500s" -> "0.5s".
std::string ToProtoJsonDuration(std::chrono::nanoseconds value);

}  // namespace throng::api
