#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace throng::cli {

/// Looks up an environment variable; nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

/// The process environment (getenv).
EnvLookup ProcessEnv();

/// Replaces `${NAME}` and `${NAME:-default}` (default used when NAME is unset or empty) in `text`;
/// `$${` stands for a literal `${`. An unset variable without a default throws InputError naming
/// `source_name`, the line and the variable, never any value.
std::string SubstituteEnv(std::string_view text, const std::string& source_name,
                          const EnvLookup& env);

}  // namespace throng::cli
