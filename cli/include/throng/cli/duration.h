#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace throng::cli {

/// Parses a duration in Throng's one grammar (throng::api::ParseDuration: "15s", "500ms",
/// "1m30s", "1.5h", "0"). Throws InputError (without echoing the text) on anything else.
std::chrono::nanoseconds ParseDuration(std::string_view text);

/// Formats a duration the way protobuf's JSON mapping wants it: "15s", "0.500s" -> "0.5s".
std::string ToProtoJsonDuration(std::chrono::nanoseconds value);

}  // namespace throng::cli
