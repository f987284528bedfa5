// Reading values out of parsed JSON response bodies.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace throng::engine {

/// Resolves a JSON Pointer with nlohmann's json_pointer (the engine's one implementation).
/// Returns nullptr when it names nothing (a missing key, an index out of range or into a
/// non-container); never throws.
const nlohmann::json* FindJsonPointer(const nlohmann::json& document,
                                      const nlohmann::json::json_pointer& pointer);
/// The same for pointer text parsed on the spot (hand-built plans); nullptr when malformed.
const nlohmann::json* FindJsonPointer(const nlohmann::json& document, const std::string& pointer);

/// Appends `value` as a variable holds it: strings unquoted, integral numbers without ".0", other
/// numbers, booleans, arrays and objects as JSON text.
void AppendJsonText(const nlohmann::json& value, std::string& out);

}  // namespace throng::engine
