// A Beast body type: a std::string that refuses to grow past a per-message limit.
#pragma once

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/buffers_range.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/optional.hpp>
#include <cstdint>
#include <limits>
#include <string>

namespace throng::engine {

/// Why not string_body + parser::body_limit alone: in Boost 1.74 the eager parse used by
/// http::read drops the body_limit error for a Content-Length over the limit when body bytes
/// arrive in the same read, so the whole body is read anyway. The reader's init() error is
/// propagated correctly, so the limit is enforced here.
struct CappedStringBody {
  struct value_type {
    std::string text;
    std::uint64_t limit = std::numeric_limits<std::uint64_t>::max();
  };

  static std::uint64_t size(const value_type& body) { return body.text.size(); }

  /// Appends parsed body bytes; fails with http::error::body_limit past `limit`.
  class reader {
   public:
    template <bool kIsRequest, class Fields>
    reader(boost::beast::http::header<kIsRequest, Fields>&, value_type& body) : body_(body) {}

    void init(const boost::optional<std::uint64_t>& length, boost::beast::error_code& ec) {
      ec = {};
      if (!length) return;
      if (*length > body_.limit) {
        ec = boost::beast::http::error::body_limit;
        return;
      }
      body_.text.reserve(static_cast<std::size_t>(*length));
    }

    template <class ConstBufferSequence>
    std::size_t put(const ConstBufferSequence& buffers, boost::beast::error_code& ec) {
      const std::size_t n = boost::asio::buffer_size(buffers);
      if (body_.text.size() + n > body_.limit) {
        ec = boost::beast::http::error::body_limit;
        return 0;
      }
      ec = {};
      const std::size_t old_size = body_.text.size();
      body_.text.resize(old_size + n);
      return boost::asio::buffer_copy(boost::asio::buffer(body_.text.data() + old_size, n),
                                      buffers);
    }

    void finish(boost::beast::error_code& ec) { ec = {}; }

   private:
    value_type& body_;
  };
};

}  // namespace throng::engine
