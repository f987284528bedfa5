// Templates: strings with {{ expr }} placeholders, parsed once when a job starts and rendered per
// request. Syntax (see proto/throng/v1/job_spec.proto): {{var}}, {{env:NAME}}, {{feed:F.COL}},
// {{user_index}}, {{uuid}}, {{randint:A:B}}, {{len:LIST}}; "{{{{" is a literal "{{".
#pragma once

#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace throng::engine {

/// Thrown by Template::Parse for malformed text; what() says what is wrong (the caller adds the
/// field path).
class TemplateError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// What a template reads while rendering. Implemented by the virtual user's state.
class TemplateScope {
 public:
  virtual ~TemplateScope() = default;
  /// A variable (user-level first, then job-level); nullptr when unset.
  virtual const std::string* Variable(std::string_view name) const = 0;
  /// A column of the row the user drew from a feeder; nullptr when absent.
  virtual const std::string* FeedValue(std::string_view feeder, std::string_view column) const = 0;
  /// Size of a per-user list (0 when absent).
  virtual std::size_t ListSize(std::string_view list) const = 0;
  virtual std::uint64_t UserIndex() const = 0;
  /// The user's random generator (per user, so rendering needs no lock).
  virtual std::mt19937_64& Random() const = 0;
};

/// A parsed template. Immutable after Parse; safe to render from many threads at once.
class Template {
 public:
  /// One parsed piece: literal text or a placeholder.
  struct Part {
    enum class Kind { kLiteral, kVariable, kEnv, kFeed, kUserIndex, kUuid, kRandInt, kListSize };
    Kind kind = Kind::kLiteral;
    std::string text;    // literal text, variable/env/list name, or feeder name
    std::string column;  // feeder column
    std::int64_t low = 0;
    std::int64_t high = 0;
  };

  Template() = default;

  /// Parses `text`. Throws TemplateError naming the problem (unclosed "{{", unknown function, bad
  /// randint bounds). Environment variables are read at render time.
  static Template Parse(std::string_view text);

  /// Renders into `out` (appending). Unset variables render as empty strings.
  void RenderTo(const TemplateScope& scope, std::string& out) const;
  std::string Render(const TemplateScope& scope) const;

  /// True when the template has no placeholders (rendering is a copy of Source()).
  bool IsLiteral() const;
  const std::string& Source() const { return source_; }
  const std::vector<Part>& Parts() const { return parts_; }

 private:
  std::string source_;
  std::vector<Part> parts_;
};

}  // namespace throng::engine
