// The request and reply types every HTTP route of throngd speaks.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace throng::api::http {

namespace beast_http = boost::beast::http;
using Request = beast_http::request<beast_http::string_body>;
using Response = beast_http::response<beast_http::string_body>;

/// One Server-Sent Event: "event: <event>\ndata: <data>\n\n". `last` ends the stream after it.
struct ServerEvent {
  std::string event;
  std::string data;
  bool last = false;
};

/// The producer of a Server-Sent Events stream. Next() is called once at once and then every
/// interval on the connection's strand (never concurrently); it must return promptly.
class EventSource {
 public:
  virtual ~EventSource() = default;
  virtual ServerEvent Next() = 0;
};

/// What a route answers: a complete response, or (when `events` is set) a response header
/// followed by an event stream written every `interval` until an event with `last` or until the
/// client goes away.
struct Reply {
  Response response;
  std::unique_ptr<EventSource> events;
  std::chrono::milliseconds interval{1000};
};

/// Answers one request. Called on a server thread; may block briefly (SQLite, spec conversion).
/// Exceptions become 500 responses.
using Handler = std::function<Reply(const Request& request)>;

/// A response with `status`, a Content-Type and a body (keep-alive is set by the server).
Response MakeResponse(beast_http::status status, std::string content_type, std::string body);

}  // namespace throng::api::http
