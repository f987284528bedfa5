#include "throng/engine/template.h"

#include <boost/uuid/random_generator.hpp>
#include <boost/uuid/uuid_io.hpp>
#include <charconv>
#include <cstdlib>
#include <string>

namespace throng::engine {
namespace {

constexpr std::string_view kOpen = "{{";
constexpr std::string_view kClose = "}}";

using Kind = Template::Part::Kind;

[[noreturn]] void Fail(std::string_view what, std::size_t offset) {
  throw TemplateError(std::string(what) + " at offset " + std::to_string(offset));
}

std::string_view Trim(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n";
  const auto first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(kSpace) - first + 1);
}

// Names are restricted so that typos such as "{{ a b }}" or a stray ":" fail at parse time
// instead of silently rendering as empty.
bool IsName(std::string_view name) {
  if (name.empty()) return false;
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

std::string_view RequireName(std::string_view name, std::string_view what, std::size_t offset) {
  if (!IsName(name))
    Fail("invalid " + std::string(what) + " \"" + std::string(name) + "\"", offset);
  return name;
}

std::int64_t ParseInt(std::string_view text, std::size_t offset) {
  std::int64_t value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty()) {
    Fail("randint bound \"" + std::string(text) + "\" is not an integer", offset);
  }
  return value;
}

// Parses the trimmed text between "{{" and "}}"; `offset` is where the "{{" starts.
Template::Part ParseExpression(std::string_view expr, std::size_t offset) {
  Template::Part part;
  if (expr.empty()) Fail("empty placeholder", offset);
  const auto colon = expr.find(':');
  if (colon == std::string_view::npos) {
    if (expr == "user_index") {
      part.kind = Kind::kUserIndex;
    } else if (expr == "uuid") {
      part.kind = Kind::kUuid;
    } else {
      part.kind = Kind::kVariable;
      part.text = RequireName(expr, "variable name", offset);
    }
    return part;
  }
  const auto function = Trim(expr.substr(0, colon));
  const auto argument = Trim(expr.substr(colon + 1));
  if (function == "env") {
    part.kind = Kind::kEnv;
    part.text = RequireName(argument, "environment variable name", offset);
  } else if (function == "len") {
    part.kind = Kind::kListSize;
    part.text = RequireName(argument, "list name", offset);
  } else if (function == "feed") {
    const auto dot = argument.find('.');
    if (dot == std::string_view::npos) Fail("feed needs FEEDER.COLUMN", offset);
    part.kind = Kind::kFeed;
    part.text = RequireName(Trim(argument.substr(0, dot)), "feeder name", offset);
    part.column = RequireName(Trim(argument.substr(dot + 1)), "feeder column", offset);
  } else if (function == "randint") {
    const auto second = argument.find(':');
    if (second == std::string_view::npos) Fail("randint needs A:B", offset);
    part.kind = Kind::kRandInt;
    part.low = ParseInt(Trim(argument.substr(0, second)), offset);
    part.high = ParseInt(Trim(argument.substr(second + 1)), offset);
    if (part.low > part.high) Fail("randint lower bound is above the upper bound", offset);
  } else {
    Fail("unknown function \"" + std::string(function) + "\"", offset);
  }
  return part;
}

void AppendLiteral(std::vector<Template::Part>& parts, std::string_view text) {
  if (text.empty()) return;
  if (parts.empty() || parts.back().kind != Kind::kLiteral) parts.emplace_back();
  parts.back().text.append(text);
}

void AppendUnsigned(std::uint64_t value, std::string& out) {
  char buffer[24];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, end);
}

void AppendSigned(std::int64_t value, std::string& out) {
  char buffer[24];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, end);
}

void AppendIfSet(const std::string* value, std::string& out) {
  if (value != nullptr) out.append(*value);
}

}  // namespace

Template Template::Parse(std::string_view text) {
  Template result;
  result.source_ = std::string(text);
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto open = text.find(kOpen, pos);
    if (open == std::string_view::npos) {
      AppendLiteral(result.parts_, text.substr(pos));
      break;
    }
    AppendLiteral(result.parts_, text.substr(pos, open - pos));
    if (text.compare(open + kOpen.size(), kOpen.size(), kOpen) == 0) {
      AppendLiteral(result.parts_, kOpen);
      pos = open + 2 * kOpen.size();
      continue;
    }
    const auto close = text.find(kClose, open + kOpen.size());
    if (close == std::string_view::npos) Fail("unclosed \"{{\"", open);
    const auto inner = text.substr(open + kOpen.size(), close - open - kOpen.size());
    if (inner.find(kOpen) != std::string_view::npos) Fail("\"{{\" inside a placeholder", open);
    result.parts_.push_back(ParseExpression(Trim(inner), open));
    pos = close + kClose.size();
  }
  return result;
}

void Template::RenderTo(const TemplateScope& scope, std::string& out) const {
  for (const Part& part : parts_) {
    switch (part.kind) {
      case Kind::kLiteral:
        out.append(part.text);
        break;
      case Kind::kVariable:
        AppendIfSet(scope.Variable(part.text), out);
        break;
      case Kind::kEnv:
        // Read at render time so a daemon's environment change is picked up by new requests.
        if (const char* value = std::getenv(part.text.c_str())) out.append(value);
        break;
      case Kind::kFeed:
        AppendIfSet(scope.FeedValue(part.text, part.column), out);
        break;
      case Kind::kUserIndex:
        AppendUnsigned(scope.UserIndex(), out);
        break;
      case Kind::kUuid:
        // A random (version 4) UUID drawn from the user's own generator.
        out.append(boost::uuids::to_string(
            boost::uuids::basic_random_generator<std::mt19937_64>(scope.Random())()));
        break;
      case Kind::kRandInt:
        AppendSigned(
            std::uniform_int_distribution<std::int64_t>(part.low, part.high)(scope.Random()), out);
        break;
      case Kind::kListSize:
        AppendUnsigned(scope.ListSize(part.text), out);
        break;
    }
  }
}

std::string Template::Render(const TemplateScope& scope) const {
  std::string out;
  out.reserve(source_.size());
  RenderTo(scope, out);
  return out;
}

bool Template::IsLiteral() const {
  return parts_.empty() || (parts_.size() == 1 && parts_.front().kind == Kind::kLiteral);
}

}  // namespace throng::engine
