// Compiling extraction regexes. Kept in its own file: GCC 12 at -O1 and above reports a false
// -Wmaybe-uninitialized inside <regex>'s compiler (std::function in _StateT), which -Werror turns
// into a build failure; the pragma confines the suppression to this one use.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include <regex>

#include "spec_parts.h"
#include "spec_support.h"

namespace throng::api::spec {

std::shared_ptr<const std::regex> CompileRegex(const std::string& pattern, const FieldPath& path) {
  try {
    return std::make_shared<const std::regex>(pattern, std::regex::ECMAScript);
  } catch (const std::regex_error& error) {
    Fail(path, std::string("invalid regular expression: ") + error.what());
  }
}

}  // namespace throng::api::spec
