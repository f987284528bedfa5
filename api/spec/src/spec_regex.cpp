// Compiling extraction regexes with RE2 (linear time, no recursion), once at submit.
#include "spec_parts.h"
#include "spec_support.h"
#include "throng/engine/regex.h"

namespace throng::api::spec {

std::shared_ptr<const engine::Regex> CompileRegex(const std::string& pattern,
                                                  const FieldPath& path) {
  try {
    return std::make_shared<const engine::Regex>(pattern);
  } catch (const engine::RegexError& error) {
    Fail(path, std::string("invalid regular expression (RE2 syntax): ") + error.what());
  }
}

}  // namespace throng::api::spec
