#include "throng/engine/regex.h"

#include <re2/re2.h>

#include <algorithm>

namespace throng::engine {
namespace {

RE2::Options Options() {
  RE2::Options options;
  options.set_log_errors(false);  // errors are reported to the caller, not to stderr
  return options;
}

}  // namespace

Regex::Regex(const std::string& pattern)
    : pattern_(pattern), re_(std::make_unique<re2::RE2>(pattern, Options())) {
  if (!re_->ok()) throw RegexError(re_->error());
}

Regex::~Regex() = default;

std::optional<std::string_view> Regex::Search(std::string_view text, std::size_t max_bytes) const {
  const re2::StringPiece input(text.data(), std::min(text.size(), max_bytes));
  re2::StringPiece groups[2];
  const int wanted = re_->NumberOfCapturingGroups() > 0 ? 2 : 1;
  if (!re_->Match(input, 0, input.size(), RE2::UNANCHORED, groups, wanted)) return std::nullopt;
  const re2::StringPiece& found =
      wanted == 2 && groups[1].data() != nullptr ? groups[1] : groups[0];
  return std::string_view(found.data(), found.size());
}

}  // namespace throng::engine
