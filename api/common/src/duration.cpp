#include "throng/api/common/duration.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>

namespace throng::api {
namespace {

struct Unit {
  std::string_view suffix;
  std::int64_t nanos;
};
constexpr Unit kUnits[] = {
    {"ns", 1},         {"us", 1'000},        {"\xC2\xB5s", 1'000},  // µs
    {"ms", 1'000'000}, {"s", 1'000'000'000}, {"m", 60'000'000'000}, {"h", 3'600'000'000'000},
};

constexpr const char* kGrammar =
    "invalid duration: expected a number with a unit (ns, us, ms, s, m, h), e.g. \"15s\", "
    "\"500ms\", \"1m30s\"";

/// The longest unit suffix at the start of `text`.
const Unit* MatchUnit(std::string_view text) {
  const Unit* best = nullptr;
  for (const Unit& unit : kUnits) {
    if (text.starts_with(unit.suffix) &&
        (best == nullptr || unit.suffix.size() > best->suffix.size())) {
      best = &unit;
    }
  }
  return best;
}

}  // namespace

std::optional<std::int64_t> DurationUnitNanos(std::string_view unit) {
  for (const Unit& candidate : kUnits) {
    if (candidate.suffix == unit) return candidate.nanos;
  }
  return std::nullopt;
}

absl::StatusOr<std::chrono::nanoseconds> ParseDuration(std::string_view text) {
  if (text == "0") return std::chrono::nanoseconds{0};
  if (text.empty()) return absl::InvalidArgumentError(kGrammar);
  long double total = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    // from_chars takes neither a sign nor white space: "-1s" and "1 s" fail here.
    if (!std::isdigit(static_cast<unsigned char>(text[pos])) && text[pos] != '.') {
      return absl::InvalidArgumentError(kGrammar);
    }
    long double number = 0;
    const auto [end, ec] = std::from_chars(text.data() + pos, text.data() + text.size(), number);
    if (ec == std::errc::result_out_of_range)
      return absl::OutOfRangeError("invalid duration: too long");
    if (ec != std::errc() || !std::isfinite(number)) return absl::InvalidArgumentError(kGrammar);
    pos = static_cast<std::size_t>(end - text.data());
    const Unit* unit = MatchUnit(text.substr(pos));
    if (unit == nullptr) return absl::InvalidArgumentError(kGrammar);
    pos += unit->suffix.size();
    total += number * static_cast<long double>(unit->nanos);
  }
  if (total >= static_cast<long double>(std::numeric_limits<std::int64_t>::max())) {
    return absl::OutOfRangeError("invalid duration: too long");
  }
  // long double's 64-bit mantissa keeps every duration below ~292 years exact to the nanosecond.
  return std::chrono::nanoseconds{std::llround(total)};
}

std::string ToProtoJsonDuration(std::chrono::nanoseconds value) {
  const std::int64_t ns = value.count();
  std::string out = std::to_string(ns / 1'000'000'000);
  std::int64_t nanos = ns % 1'000'000'000;
  if (nanos != 0) {
    std::string frac = std::to_string(nanos);
    frac.insert(0, 9 - frac.size(), '0');
    while (frac.back() == '0') frac.pop_back();
    out += "." + frac;
  }
  return out + "s";
}

}  // namespace throng::api
