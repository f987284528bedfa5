#include "throng/cli/env_substitution.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "throng/cli/error.h"

namespace throng::cli {
namespace {

bool IsNameChar(char c, bool first) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_' ||
         (!first && std::isdigit(static_cast<unsigned char>(c)));
}

std::string Where(std::string_view text, std::size_t pos, const std::string& source_name) {
  const auto line = std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(pos), '\n');
  return source_name + ":" + std::to_string(line + 1);
}

}  // namespace

EnvLookup ProcessEnv() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

std::string SubstituteEnv(std::string_view text, const std::string& source_name,
                          const EnvLookup& env) {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t dollar = text.find('$', pos);
    if (dollar == std::string_view::npos) {
      out.append(text.substr(pos));
      break;
    }
    out.append(text.substr(pos, dollar - pos));
    if (text.substr(dollar, 3) == "$${") {
      out.append("${");
      pos = dollar + 3;
      continue;
    }
    if (text.substr(dollar, 2) != "${") {
      out.push_back('$');
      pos = dollar + 1;
      continue;
    }
    const std::size_t close = text.find('}', dollar);
    const std::size_t newline = text.find('\n', dollar);
    if (close == std::string_view::npos || close > newline) {
      throw InputError(Where(text, dollar, source_name) + ": unterminated \"${\" (write \"$${\" " +
                       "for a literal \"${\")");
    }
    const std::string_view body = text.substr(dollar + 2, close - dollar - 2);
    const std::size_t default_at = body.find(":-");
    const std::string name(body.substr(0, default_at));
    bool valid_name = !name.empty();
    for (std::size_t i = 0; i < name.size() && valid_name; ++i) {
      valid_name = IsNameChar(name[i], i == 0);
    }
    if (!valid_name) {
      throw InputError(Where(text, dollar, source_name) +
                       ": invalid environment variable reference: expected ${NAME} or "
                       "${NAME:-default} with NAME made of letters, digits and '_'");
    }
    std::optional<std::string> value = env(name);
    if (default_at != std::string_view::npos && (!value || value->empty())) {
      value = std::string(body.substr(default_at + 2));
    }
    if (!value) {
      throw InputError(Where(text, dollar, source_name) + ": environment variable \"" + name +
                       "\" is not set (set it, or give a default: ${" + name + ":-default})");
    }
    out.append(*value);
    pos = close + 1;
  }
  return out;
}

}  // namespace throng::cli
