#include "json_access.h"

#include <charconv>
#include <cmath>

namespace throng::engine {
namespace {

// Decodes one reference token into `key`; false when it holds a "~" not followed by 0 or 1.
bool Unescape(std::string_view token, std::string& key) {
  key.clear();
  for (std::size_t i = 0; i < token.size(); ++i) {
    if (token[i] != '~') {
      key.push_back(token[i]);
    } else if (i + 1 < token.size() && (token[i + 1] == '0' || token[i + 1] == '1')) {
      key.push_back(token[++i] == '0' ? '~' : '/');
    } else {
      return false;
    }
  }
  return true;
}

// RFC 6901 array indices are "0" or digits without a leading zero.
bool ParseIndex(std::string_view token, std::size_t& index) {
  if (token.empty() || (token.size() > 1 && token[0] == '0')) return false;
  const auto* end = token.data() + token.size();
  const auto [ptr, ec] = std::from_chars(token.data(), end, index);
  return ec == std::errc() && ptr == end;
}

}  // namespace

const nlohmann::json* FindJsonPointer(const nlohmann::json& document, std::string_view pointer) {
  if (pointer.empty()) return &document;
  if (pointer.front() != '/') return nullptr;
  const nlohmann::json* current = &document;
  std::string key;
  std::size_t start = 1;
  while (true) {
    const auto slash = pointer.find('/', start);
    const auto token =
        pointer.substr(start, slash == std::string_view::npos ? slash : slash - start);
    if (current->is_object()) {
      if (!Unescape(token, key)) return nullptr;
      const auto it = current->find(key);
      if (it == current->end()) return nullptr;
      current = &*it;
    } else if (current->is_array()) {
      std::size_t index = 0;
      if (!ParseIndex(token, index) || index >= current->size()) return nullptr;
      current = &(*current)[index];
    } else {
      return nullptr;
    }
    if (slash == std::string_view::npos) return current;
    start = slash + 1;
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
