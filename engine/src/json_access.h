// Reading values out of parsed JSON response bodies without building temporaries.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace throng::engine {

/// Resolves an RFC 6901 JSON Pointer ("" is the whole document; "~0" and "~1" escape "~" and "/").
/// Returns nullptr when the pointer is malformed or names nothing; never throws.
const nlohmann::json* FindJsonPointer(const nlohmann::json& document, std::string_view pointer);

/// Appends `value` as a variable holds it: strings unquoted, integral numbers without ".0", other
/// numbers, booleans, arrays and objects as JSON text.
void AppendJsonText(const nlohmann::json& value, std::string& out);

}  // namespace throng::engine
