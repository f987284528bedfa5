#include "throng/cli/duration.h"

#include <cctype>
#include <cmath>
#include <cstdint>
#include <limits>

#include "throng/cli/error.h"

namespace throng::cli {
namespace {

// Nanoseconds per unit; longest suffixes first so "ms" is not read as "m".
struct Unit {
  std::string_view suffix;
  std::int64_t nanos;
};
constexpr Unit kUnits[] = {
    {"ns", 1},         {"us", 1'000},        {"\xC2\xB5s", 1'000},  // µs
    {"ms", 1'000'000}, {"s", 1'000'000'000}, {"m", 60'000'000'000}, {"h", 3'600'000'000'000},
};

[[noreturn]] void Invalid() {
  throw InputError(
      "invalid duration: expected a number with a unit (ns, us, ms, s, m, h), e.g. \"15s\", "
      "\"500ms\", \"1m30s\"");
}

}  // namespace

std::chrono::nanoseconds ParseDuration(std::string_view text) {
  if (text == "0") return std::chrono::nanoseconds{0};
  if (text.empty()) Invalid();
  std::int64_t total = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::int64_t whole = 0;
    std::size_t digits = 0;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
      if (whole > std::numeric_limits<std::int64_t>::max() / 10 - 10) Invalid();
      whole = whole * 10 + (text[pos++] - '0');
      ++digits;
    }
    std::int64_t fraction = 0;
    std::int64_t scale = 1;
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
        // Digits beyond nanosecond precision of the largest unit do not matter.
        if (scale < 1'000'000'000'000'000) {
          fraction = fraction * 10 + (text[pos] - '0');
          scale *= 10;
        }
        ++pos;
        ++digits;
      }
    }
    if (digits == 0) Invalid();
    const Unit* unit = nullptr;
    for (const Unit& candidate : kUnits) {
      if (text.substr(pos, candidate.suffix.size()) == candidate.suffix &&
          (unit == nullptr || candidate.suffix.size() > unit->suffix.size())) {
        unit = &candidate;
      }
    }
    if (unit == nullptr) Invalid();
    pos += unit->suffix.size();
    // The fraction is below one unit, so long double's 64-bit mantissa keeps it exact to the ns.
    const auto fraction_nanos = static_cast<std::int64_t>(
        std::llround(static_cast<long double>(fraction) / scale * unit->nanos));
    std::int64_t term = 0;
    if (__builtin_mul_overflow(whole, unit->nanos, &term) ||
        __builtin_add_overflow(term, fraction_nanos, &term) ||
        __builtin_add_overflow(total, term, &total)) {
      throw InputError("invalid duration: too long");
    }
  }
  return std::chrono::nanoseconds{total};
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

}  // namespace throng::cli
