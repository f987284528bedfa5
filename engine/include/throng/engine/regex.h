// Regular expressions for extraction: RE2 (linear time in the input, no recursion).
#pragma once

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace re2 {
class RE2;
}

namespace throng::engine {

/// A pattern RE2 cannot compile; what() is RE2's explanation, e.g. "missing ): (a".
class RegexError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// A compiled RE2 expression (RE2 syntax: no backreferences or lookaround). Compile once (the
/// spec layer does it at submit) and share: immutable and thread-safe.
class Regex {
 public:
  /// Throws RegexError when `pattern` is not valid RE2 syntax.
  explicit Regex(const std::string& pattern);
  ~Regex();
  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;

  const std::string& Pattern() const { return pattern_; }
  /// Searches the first `max_bytes` of `text`. On a match returns the first group when the
  /// expression has one and it took part, else the whole match; nullopt when nothing matched.
  /// The view points into `text`.
  std::optional<std::string_view> Search(std::string_view text, std::size_t max_bytes) const;

 private:
  std::string pattern_;
  std::unique_ptr<re2::RE2> re_;
};

}  // namespace throng::engine
