#include "simple_response.h"

#include <array>
#include <cstdint>
#include <optional>

namespace throng::engine {
namespace {

constexpr std::string_view kStatusLinePrefix = "HTTP/1.1 ";
constexpr std::size_t kMaxLengthDigits = 18;  // below 2^63: no overflow

using OctetTable = std::array<bool, 256>;

// RFC 9110 tchar: "!#$%&'*+-.^_`|~", digits and letters.
constexpr OctetTable MakeTokenTable() {
  OctetTable table{};
  for (unsigned c = '0'; c <= '9'; ++c) table[c] = true;
  for (unsigned c = 'a'; c <= 'z'; ++c) table[c] = true;
  for (unsigned c = 'A'; c <= 'Z'; ++c) table[c] = true;
  for (const char c : std::string_view("!#$%&'*+-.^_`|~"))
    table[static_cast<unsigned char>(c)] = true;
  return table;
}

// Field-value and reason-phrase octets: HTAB, SP, VCHAR, obs-text (no other control, no DEL).
constexpr OctetTable MakeTextTable() {
  OctetTable table{};
  for (unsigned c = 0x20; c < 0x100; ++c) table[c] = c != 0x7f;
  table['\t'] = true;
  return table;
}

constexpr OctetTable kTokenChar = MakeTokenTable();
constexpr OctetTable kTextChar = MakeTextTable();

// Reads a head from `begin`, never past `end`. Not thread-safe.
class HeadCursor {
 public:
  HeadCursor(const char* begin, const char* end) : begin_(begin), p_(begin), end_(end) {}

  std::size_t consumed() const { return static_cast<std::size_t>(p_ - begin_); }
  /// Steps over `literal` when the head continues with it.
  bool Skip(std::string_view literal) {
    if (static_cast<std::size_t>(end_ - p_) < literal.size() ||
        std::string_view(p_, literal.size()) != literal) {
      return false;
    }
    p_ += literal.size();
    return true;
  }
  /// Steps over the octets `allowed` holds, returning them.
  std::string_view Take(const OctetTable& allowed) {
    const char* first = p_;
    // Four octets a step while they last: one bound check for four table reads.
    while (end_ - p_ >= 4 && allowed[Octet(0)] && allowed[Octet(1)] && allowed[Octet(2)] &&
           allowed[Octet(3)]) {
      p_ += 4;
    }
    while (p_ < end_ && allowed[Octet(0)]) ++p_;
    return std::string_view(first, static_cast<std::size_t>(p_ - first));
  }

 private:
  unsigned char Octet(std::size_t i) const { return static_cast<unsigned char>(p_[i]); }

  const char* begin_;
  const char* p_;
  const char* end_;
};

// Case-insensitive comparison with a lowercase literal.
bool EqualsLower(std::string_view s, std::string_view lower) {
  if (s.size() != lower.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

std::string_view TrimWhitespace(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<std::uint64_t> ParseDigits(std::string_view digits) {
  if (digits.empty() || digits.size() > kMaxLengthDigits) return std::nullopt;
  std::uint64_t n = 0;
  for (const char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return n;
}

// "HTTP/1.1 DDD reason" CRLF: the status when it is one the fast path takes, else 0.
unsigned ReadStatusLine(HeadCursor& cursor) {
  if (!cursor.Skip(kStatusLinePrefix)) return 0;
  const std::string_view code = cursor.Take(kTokenChar);
  if (code.size() != 3 || !cursor.Skip(" ")) return 0;
  cursor.Take(kTextChar);  // the reason
  if (!cursor.Skip("\r\n")) return 0;
  const std::optional<std::uint64_t> status = ParseDigits(code);
  if (!status) return 0;
  const bool success_with_body = *status >= 200 && *status < 300 && *status != 204;
  const bool error = *status >= 400 && *status < 600;
  return success_with_body || error ? static_cast<unsigned>(*status) : 0;
}

// What the fields say about framing; `simple` false when Beast's parser must read them.
struct Framing {
  bool simple = true;
  std::optional<std::uint64_t> content_length;
  bool close = false;
};

// One field's effect on the framing; true when it is a Set-Cookie.
bool Classify(std::string_view name, std::string_view value, Framing& framing) {
  switch (name.size()) {
    case 10:  // Connection, Set-Cookie
      if (EqualsLower(name, "connection")) {
        if (EqualsLower(value, "close")) {
          framing.close = true;
        } else if (!EqualsLower(value, "keep-alive")) {
          framing.simple = false;
        }
        return false;
      }
      return EqualsLower(name, "set-cookie");
    case 14:  // Content-Length
      if (EqualsLower(name, "content-length")) {
        framing.content_length = framing.content_length ? std::nullopt : ParseDigits(value);
        framing.simple = framing.content_length.has_value();
      }
      return false;
    case 7:   // Upgrade
    case 16:  // Proxy-Connection
    case 17:  // Transfer-Encoding
      if (EqualsLower(name, "upgrade") || EqualsLower(name, "proxy-connection") ||
          EqualsLower(name, "transfer-encoding")) {
        framing.simple = false;
      }
      return false;
    default:
      return false;
  }
}

// name ":" OWS value OWS CRLF, into `out`; false when the line is not in the simple form (an
// obs-fold line starts with whitespace, which is not a token).
bool ReadField(HeadCursor& cursor, ParsedResponse& out, Framing& framing) {
  const std::string_view name = cursor.Take(kTokenChar);
  if (name.empty() || !cursor.Skip(":")) return false;
  const std::string_view value = TrimWhitespace(cursor.Take(kTextChar));
  if (!cursor.Skip("\r\n")) return false;
  const bool set_cookie = Classify(name, value, framing);
  if (framing.simple) out.AddField(name, value, set_cookie);
  return framing.simple;
}

std::size_t ParseHead(std::string_view bytes, ParsedResponse& out) {
  if (out.head_request) return 0;
  HeadCursor cursor(bytes.data(), bytes.data() + std::min(bytes.size(), kSimpleHeadLimit));
  out.status = ReadStatusLine(cursor);
  if (out.status == 0) return 0;
  Framing framing;
  while (!cursor.Skip("\r\n")) {
    if (!ReadField(cursor, out, framing)) return 0;
  }
  if (!framing.content_length) return 0;
  const std::uint64_t length = *framing.content_length;
  const std::size_t head_size = cursor.consumed();
  if (length > out.body_limit || length > bytes.size() - head_size) return 0;
  out.body_size = length;
  if (out.keep_body) out.body.assign(bytes.substr(head_size, static_cast<std::size_t>(length)));
  out.keep_alive = !framing.close;
  return head_size + static_cast<std::size_t>(length);
}

}  // namespace

std::size_t ParseSimpleResponse(std::string_view bytes, ParsedResponse& out) {
  const std::size_t used = ParseHead(bytes, out);
  if (used == 0) out.Restart();
  return used;
}

}  // namespace throng::engine
