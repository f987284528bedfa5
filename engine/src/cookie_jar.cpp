#include "throng/engine/cookie_jar.h"

#include <algorithm>
#include <array>
#include <boost/algorithm/string/case_conv.hpp>
#include <boost/beast/core/string.hpp>
#include <charconv>
#include <locale>

namespace throng::engine {
namespace {

using TimePoint = std::chrono::system_clock::time_point;

using boost::beast::iequals;

std::string ToLower(std::string_view text) {
  return boost::algorithm::to_lower_copy(std::string(text), std::locale::classic());
}

std::string_view Trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// RFC 6265 5.1.1 delimiters.
bool IsDateDelimiter(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u == 0x09 || (u >= 0x20 && u <= 0x2F) || (u >= 0x3B && u <= 0x40) ||
         (u >= 0x5B && u <= 0x60) || (u >= 0x7B && u <= 0x7E);
}

// Reads 1..max_digits leading digits; `rest` receives what follows them.
std::optional<int> LeadingNumber(std::string_view token, std::size_t min_digits,
                                 std::size_t max_digits, std::string_view& rest) {
  std::size_t n = 0;
  while (n < token.size() && IsDigit(token[n])) ++n;
  if (n < min_digits || n > max_digits) return std::nullopt;
  int value = 0;
  std::from_chars(token.data(), token.data() + n, value);
  rest = token.substr(n);
  return value;
}

bool ParseTime(std::string_view token, int& h, int& m, int& s) {
  std::string_view rest;
  auto hh = LeadingNumber(token, 1, 2, rest);
  if (!hh || rest.empty() || rest[0] != ':') return false;
  auto mm = LeadingNumber(rest.substr(1), 1, 2, rest);
  if (!mm || rest.empty() || rest[0] != ':') return false;
  auto ss = LeadingNumber(rest.substr(1), 1, 2, rest);
  if (!ss || (!rest.empty() && IsDigit(rest[0]))) return false;
  h = *hh;
  m = *mm;
  s = *ss;
  return true;
}

std::optional<unsigned> ParseMonth(std::string_view token) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  if (token.size() < 3) return std::nullopt;
  for (unsigned i = 0; i < kMonths.size(); ++i) {
    if (iequals(token.substr(0, 3), kMonths[i])) return i + 1;
  }
  return std::nullopt;
}

// RFC 6265 5.1.3.
bool DomainMatches(std::string_view host, std::string_view domain) {
  if (host == domain) return true;
  return host.size() > domain.size() && host.ends_with(domain) &&
         host[host.size() - domain.size() - 1] == '.' &&
         host.find_first_not_of("0123456789.") != std::string_view::npos;
}

// RFC 6265 5.1.4.
bool PathMatches(std::string_view request_path, std::string_view cookie_path) {
  if (!request_path.starts_with(cookie_path)) return false;
  return request_path.size() == cookie_path.size() || cookie_path.ends_with('/') ||
         request_path[cookie_path.size()] == '/';
}

std::string_view PathOnly(std::string_view target) {
  return target.substr(0, std::min(target.find('?'), target.find('#')));
}

std::string DefaultPath(std::string_view request_path) {
  request_path = PathOnly(request_path);
  if (request_path.empty() || request_path[0] != '/') return "/";
  const auto slash = request_path.rfind('/');
  return slash == 0 ? "/" : std::string(request_path.substr(0, slash));
}

}  // namespace

std::optional<TimePoint> ParseCookieDate(std::string_view text) {
  int hour = -1, minute = 0, second = 0, day = -1, year = -1;
  unsigned month = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && IsDateDelimiter(text[i])) ++i;
    std::size_t end = i;
    while (end < text.size() && !IsDateDelimiter(text[end])) ++end;
    const std::string_view token = text.substr(i, end - i);
    i = end;
    if (token.empty()) continue;
    std::string_view rest;
    if (hour < 0 && ParseTime(token, hour, minute, second)) continue;
    if (day < 0) {
      if (auto d = LeadingNumber(token, 1, 2, rest); d && (rest.empty() || !IsDigit(rest[0]))) {
        day = *d;
        continue;
      }
    }
    if (month == 0) {
      if (auto m = ParseMonth(token)) {
        month = *m;
        continue;
      }
    }
    if (year < 0) {
      if (auto y = LeadingNumber(token, 2, 4, rest); y && (rest.empty() || !IsDigit(rest[0]))) {
        year = *y;
      }
    }
  }
  if (year >= 70 && year <= 99) year += 1900;
  if (year >= 0 && year <= 69) year += 2000;
  if (hour < 0 || day < 1 || day > 31 || month == 0 || year < 1601 || hour > 23 || minute > 59 ||
      second > 59) {
    return std::nullopt;
  }
  const std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{month},
                                        std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return std::nullopt;
  return TimePoint{std::chrono::sys_days{ymd}} + std::chrono::hours{hour} +
         std::chrono::minutes{minute} + std::chrono::seconds{second};
}

CookieJar::CookieJar(NowFunction now) : now_(std::move(now)) {}

bool CookieJar::Expired(const Cookie& cookie, Clock::time_point now) const {
  return cookie.expires && *cookie.expires <= now;
}

void CookieJar::SetFromHeader(std::string_view set_cookie, std::string_view host,
                              std::string_view request_path) {
  const auto semi = set_cookie.find(';');
  const std::string_view pair = set_cookie.substr(0, semi);
  const auto eq = pair.find('=');
  if (eq == std::string_view::npos) return;  // RFC 6265 5.2 step 2: ignore the whole header
  Cookie cookie;
  cookie.name = std::string(Trim(pair.substr(0, eq)));
  cookie.value = std::string(Trim(pair.substr(eq + 1)));
  if (cookie.name.empty()) return;
  const std::string lower_host = ToLower(host);

  const TimePoint now = now_();
  std::optional<TimePoint> max_age_expiry;
  std::optional<TimePoint> expires_attr;
  std::string domain_attr;
  std::string path_attr;
  std::string_view attributes = semi == std::string_view::npos ? "" : set_cookie.substr(semi + 1);
  while (!attributes.empty()) {
    const auto next = attributes.find(';');
    const std::string_view attr = attributes.substr(0, next);
    attributes = next == std::string_view::npos ? "" : attributes.substr(next + 1);
    const auto attr_eq = attr.find('=');
    const std::string_view key = Trim(attr.substr(0, attr_eq));
    const std::string_view value =
        attr_eq == std::string_view::npos ? "" : Trim(attr.substr(attr_eq + 1));
    if (iequals(key, "expires")) {
      expires_attr = ParseCookieDate(value);
    } else if (iequals(key, "max-age")) {
      long long seconds = 0;
      const auto* first = value.data();
      const auto* last = value.data() + value.size();
      if (!value.empty() && (IsDigit(value[0]) || value[0] == '-') &&
          std::from_chars(first, last, seconds).ptr == last) {
        // Clamp so the addition cannot overflow the clock's representation.
        constexpr long long kMaxSeconds = 100LL * 365 * 24 * 3600;
        seconds = std::clamp(seconds, -kMaxSeconds, kMaxSeconds);
        max_age_expiry = seconds <= 0 ? TimePoint::min() : now + std::chrono::seconds{seconds};
      }
    } else if (iequals(key, "domain")) {
      std::string_view d = value;
      if (d.starts_with('.')) d.remove_prefix(1);
      domain_attr = ToLower(d);
    } else if (iequals(key, "path")) {
      path_attr = std::string(value);
    } else if (iequals(key, "secure")) {
      cookie.secure = true;
    } else if (iequals(key, "httponly")) {
      cookie.http_only = true;
    }
  }

  cookie.expires = max_age_expiry ? max_age_expiry : expires_attr;  // Max-Age wins (5.3 step 3)
  if (domain_attr.empty()) {
    cookie.domain = lower_host;
  } else {
    if (!DomainMatches(lower_host, domain_attr)) return;  // a foreign domain: ignore
    cookie.domain = std::move(domain_attr);
    cookie.host_only = false;
  }
  cookie.path = path_attr.starts_with('/') ? std::move(path_attr) : DefaultPath(request_path);

  auto same = std::find_if(cookies_.begin(), cookies_.end(), [&](const Cookie& c) {
    return c.name == cookie.name && c.domain == cookie.domain && c.path == cookie.path;
  });
  if (Expired(cookie, now)) {
    if (same != cookies_.end()) cookies_.erase(same);
    return;
  }
  if (same != cookies_.end()) {
    *same = std::move(cookie);
  } else {
    cookies_.push_back(std::move(cookie));
  }
}

bool CookieJar::BuildHeader(std::string_view host, std::string_view path, bool secure_channel,
                            std::string& out) const {
  out.clear();
  if (cookies_.empty()) return false;
  const TimePoint now = now_();
  path = PathOnly(path);
  if (path.empty()) path = "/";
  // Hosts are compared lower-case; avoid allocating when the caller already passes lower-case.
  std::string lowered;
  if (std::any_of(host.begin(), host.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
    lowered = ToLower(host);
    host = lowered;
  }
  // RFC 6265 5.4 step 2: longer paths first. Jars are small, so an index sort is cheap enough.
  std::array<const Cookie*, 64> stack_matches{};
  std::vector<const Cookie*> heap_matches;
  std::size_t count = 0;
  bool withheld = false;
  for (const Cookie& cookie : cookies_) {
    if (Expired(cookie, now)) continue;
    const bool domain_ok =
        cookie.host_only ? host == cookie.domain : DomainMatches(host, cookie.domain);
    if (!domain_ok || !PathMatches(path, cookie.path)) continue;
    if (cookie.secure && !secure_channel) {
      withheld = true;
      continue;
    }
    if (count < stack_matches.size()) {
      stack_matches[count] = &cookie;
    } else {
      if (heap_matches.empty()) heap_matches.assign(stack_matches.begin(), stack_matches.end());
      heap_matches.push_back(&cookie);
    }
    ++count;
  }
  const Cookie** first = heap_matches.empty() ? stack_matches.data() : heap_matches.data();
  std::stable_sort(first, first + count, [](const Cookie* a, const Cookie* b) {
    return a->path.size() > b->path.size();
  });
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) out += "; ";
    out += first[i]->name;
    out += '=';
    out += first[i]->value;
  }
  return withheld;
}

std::string CookieJar::Value(std::string_view name) const {
  const TimePoint now = now_();
  for (const Cookie& cookie : cookies_) {
    if (cookie.name == name && !Expired(cookie, now)) return cookie.value;
  }
  return {};
}

std::size_t CookieJar::Size() const {
  const TimePoint now = now_();
  return static_cast<std::size_t>(std::count_if(cookies_.begin(), cookies_.end(),
                                                [&](const Cookie& c) { return !Expired(c, now); }));
}

}  // namespace throng::engine
