// An HTTP/1.1 response parser that writes into storage the sender reuses for every response.
#pragma once

#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/error.hpp>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace throng::engine {

/// One parsed response: the status, the header fields as offsets into one byte buffer (all of
/// them when kept, else only what the sender itself reads: Set-Cookie, and a 3xx's fields), the
/// body when it is kept (its size is counted either way) and whether the connection stays open.
/// Filled by ResponseParser or by ParseSimpleResponse. Owned by one sender and cleared, not freed,
/// between responses, so a warm sender parses without allocating. Not thread-safe.
struct ParsedResponse {
  struct Field {
    std::uint32_t name_offset = 0;
    std::uint32_t name_length = 0;
    std::uint32_t value_offset = 0;
    std::uint32_t value_length = 0;
    bool set_cookie = false;
  };

  unsigned status = 0;
  std::vector<Field> fields;
  std::string field_bytes;  // every field's name and value, back to back
  std::string body;         // only when keep_body
  std::uint64_t body_size = 0;
  bool keep_alive = false;  // known once the head is parsed
  bool keep_body = true;
  bool keep_fields = true;
  std::uint64_t body_limit = std::numeric_limits<std::uint64_t>::max();
  bool head_request = false;  // a response to HEAD: no body, whatever its length says

  std::string_view Name(const Field& f) const {
    return std::string_view(field_bytes).substr(f.name_offset, f.name_length);
  }
  std::string_view Value(const Field& f) const {
    return std::string_view(field_bytes).substr(f.value_offset, f.value_length);
  }
  /// Records one field when it is to be kept (every field with keep_fields, else Set-Cookie and
  /// a 3xx's fields). The status must be set first.
  void AddField(std::string_view name, std::string_view value, bool is_set_cookie) {
    const bool redirect = status >= 300 && status < 400;
    if (!keep_fields && !is_set_cookie && !redirect) return;
    Field f;
    f.name_offset = static_cast<std::uint32_t>(field_bytes.size());
    f.name_length = static_cast<std::uint32_t>(name.size());
    field_bytes.append(name);
    f.value_offset = static_cast<std::uint32_t>(field_bytes.size());
    f.value_length = static_cast<std::uint32_t>(value.size());
    field_bytes.append(value);
    f.set_cookie = is_set_cookie;
    fields.push_back(f);
  }
  /// Empties what was parsed, keeping the options and every buffer's capacity.
  void Restart() {
    status = 0;
    fields.clear();
    field_bytes.clear();
    body.clear();
    body_size = 0;
    keep_alive = false;
  }
  /// Empties it for the next response, with its options.
  void Clear(bool keep, bool keep_all_fields, std::uint64_t limit, bool head = false) {
    Restart();
    keep_body = keep;
    keep_fields = keep_all_fields;
    body_limit = limit;
    head_request = head;
  }
};

/// Beast's basic_parser filling a ParsedResponse (instead of a message with one allocated node
/// per header field). The body limit is enforced here, when the length is announced and as bytes
/// arrive: in Boost 1.74 the eager parse used by http::read drops parser::body_limit's error for
/// a Content-Length over the limit when body bytes arrive in the same read, while an error set in
/// on_body_init_impl is propagated.
/// One parser per response; the ParsedResponse must outlive it.
class ResponseParser final : public boost::beast::http::basic_parser<false> {
 public:
  explicit ResponseParser(ParsedResponse& out) : out_(out) {}

  /// What this parser fills.
  ParsedResponse& output() { return out_; }

 private:
  using error_code = boost::beast::error_code;
  using string_view = boost::beast::string_view;

  void on_request_impl(boost::beast::http::verb, string_view, string_view, int,
                       error_code& ec) override {
    ec = boost::beast::http::error::bad_version;  // never called for a response parser
  }
  void on_response_impl(int code, string_view, int, error_code&) override {
    out_.status = static_cast<unsigned>(code);
  }
  void on_field_impl(boost::beast::http::field name, string_view name_string, string_view value,
                     error_code&) override {
    // The status line comes first: a redirect's Location is known to be needed here.
    out_.AddField(std::string_view(name_string.data(), name_string.size()),
                  std::string_view(value.data(), value.size()),
                  name == boost::beast::http::field::set_cookie);
  }
  void on_header_impl(error_code&) override { out_.keep_alive = keep_alive(); }
  void on_body_init_impl(const boost::optional<std::uint64_t>& length, error_code& ec) override {
    if (length && *length > out_.body_limit) {
      ec = boost::beast::http::error::body_limit;
      return;
    }
    if (length && out_.keep_body) out_.body.reserve(static_cast<std::size_t>(*length));
  }
  std::size_t on_body_impl(string_view body, error_code& ec) override { return Take(body, ec); }
  void on_chunk_header_impl(std::uint64_t, string_view, error_code&) override {}
  std::size_t on_chunk_body_impl(std::uint64_t, string_view body, error_code& ec) override {
    return Take(body, ec);
  }
  void on_finish_impl(error_code&) override {}

  std::size_t Take(string_view body, error_code& ec) {
    if (out_.body_size + body.size() > out_.body_limit) {
      ec = boost::beast::http::error::body_limit;
      return 0;
    }
    out_.body_size += body.size();
    if (out_.keep_body) out_.body.append(body.data(), body.size());
    return body.size();
  }

  ParsedResponse& out_;
};

}  // namespace throng::engine
