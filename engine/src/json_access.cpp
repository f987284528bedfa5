#include "json_access.h"

#include <charconv>
#include <cmath>
#include <cstdint>

namespace throng::engine {
const nlohmann::json* FindJsonPointer(const nlohmann::json& document,
                                      const nlohmann::json::json_pointer& pointer) {
  try {
    return document.contains(pointer) ? &document.at(pointer) : nullptr;
  } catch (const nlohmann::json::exception&) {
    return nullptr;  // e.g. an array index too large for size_t
  }
}

const nlohmann::json* FindJsonPointer(const nlohmann::json& document, const std::string& pointer) {
  try {
    return FindJsonPointer(document, nlohmann::json::json_pointer(pointer));
  } catch (const nlohmann::json::exception&) {
    return nullptr;  // malformed: names nothing
  }
}

void AppendJsonText(const nlohmann::json& value, std::string& out) {
  char buffer[32];
  if (value.is_string()) {
    out.append(value.get_ref<const std::string&>());
  } else if (value.is_number_integer()) {
    // Covers signed and unsigned: is_number_integer() is true for both.
    const auto [end, ec] =
        value.is_number_unsigned()
            ? std::to_chars(buffer, buffer + sizeof buffer, value.get<std::uint64_t>())
            : std::to_chars(buffer, buffer + sizeof buffer, value.get<std::int64_t>());
    out.append(buffer, end);
  } else if (value.is_number_float() && std::trunc(value.get<double>()) == value.get<double>() &&
             std::fabs(value.get<double>()) < 9.0e15) {
    // Below 2^53 every integral double is exact, so "7.0" can safely become "7".
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer,
                                         static_cast<std::int64_t>(value.get<double>()));
    out.append(buffer, end);
  } else {
    out.append(value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
}

}  // namespace throng::engine
