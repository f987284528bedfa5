#include "http_session.h"

#include <spdlog/spdlog.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <exception>

#include "http_errors.h"

namespace throng::api::http {

namespace asio = boost::asio;
namespace beast = boost::beast;

HttpSession::HttpSession(asio::ip::tcp::socket socket, std::shared_ptr<HttpServer::State> state)
    : stream_(std::move(socket)), state_(std::move(state)), event_timer_(stream_.get_executor()) {
  ++state_->connections;
}

HttpSession::~HttpSession() { --state_->connections; }

void HttpSession::Start() {
  asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->Read(); });
}

void HttpSession::Read() {
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(state_->options.max_header_bytes));
  parser_->body_limit(state_->options.max_body_bytes);
  stream_.expires_after(state_->options.read_timeout);
  beast_http::async_read(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnRead(ec); });
}

void HttpSession::OnRead(beast::error_code ec) {
  if (ec == beast_http::error::body_limit) {
    return Refuse(
        beast_http::status::payload_too_large, "PAYLOAD_TOO_LARGE",
        "request body larger than " + std::to_string(state_->options.max_body_bytes) + " bytes");
  }
  if (ec == beast_http::error::header_limit) {
    return Refuse(beast_http::status::request_header_fields_too_large, "HEADERS_TOO_LARGE",
                  "request headers larger than " +
                      std::to_string(state_->options.max_header_bytes) + " bytes");
  }
  // A message that does not parse is answered; a peer that went away or timed out
  // (end_of_stream, partial_message, timeout, reset) just loses its connection.
  const bool parse_error =
      ec &&
      ec.category() == beast_http::make_error_code(beast_http::error::bad_method).category() &&
      ec != beast_http::error::end_of_stream && ec != beast_http::error::partial_message &&
      ec != beast_http::error::short_read;
  if (parse_error) {
    return Refuse(beast_http::status::bad_request, "MALFORMED_REQUEST",
                  "malformed HTTP request: " + ec.message());
  }
  if (ec) return Close();
  const Request& request = parser_->get();
  std::size_t fields = 0;
  for (auto it = request.begin(); it != request.end(); ++it) ++fields;
  if (fields > state_->options.max_header_fields) {
    return Refuse(
        beast_http::status::request_header_fields_too_large, "HEADERS_TOO_LARGE",
        "more than " + std::to_string(state_->options.max_header_fields) + " header fields");
  }
  Reply reply;
  try {
    reply = state_->handler(request);
  } catch (const std::exception& e) {
    spdlog::error("HTTP {} {}: {}", std::string(request.method_string()),
                  std::string(request.target()), e.what());
    reply.response =
        ErrorResponse(beast_http::status::internal_server_error, "INTERNAL", "internal error");
    reply.events.reset();
  }
  if (reply.events) return StartEvents(std::move(reply));
  Write(std::move(reply.response), request.keep_alive());
}

void HttpSession::Refuse(beast_http::status status, const char* code, const std::string& message) {
  refused_ = true;
  Write(ErrorResponse(status, code, message), false);
}

void HttpSession::Write(Response response, bool keep_alive) {
  response_ = std::move(response);
  response_.keep_alive(keep_alive);
  response_.prepare_payload();
  stream_.expires_after(state_->options.write_timeout);
  beast_http::async_write(
      stream_, response_,
      [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
        self->OnWrite(ec, keep_alive);
      });
}

void HttpSession::OnWrite(beast::error_code ec, bool keep_alive) {
  if (!ec && refused_) return Drain();
  if (ec || !keep_alive) return Close();
  Read();
}

void HttpSession::Drain() {
  // The client may still be sending the body we refused: closing now would reset the connection
  // before it reads the answer. Half-close, then discard what arrives, bounded in bytes and time.
  beast::error_code ignored;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  stream_.expires_after(kDrainTime);
  drain_buffer_.resize(64 * 1024);
  stream_.async_read_some(asio::buffer(drain_buffer_),
                          [self = shared_from_this()](beast::error_code read_ec, std::size_t n) {
                            self->drained_ += n;
                            if (read_ec || self->drained_ > kMaxDrainBytes) return self->Close();
                            self->Drain();
                          });
}

void HttpSession::StartEvents(Reply reply) {
  events_ = std::move(reply.events);
  event_interval_ = reply.interval;
  stream_header_.result(reply.response.result());
  for (const auto& field : reply.response) stream_header_.set(field.name_string(), field.value());
  stream_header_.set(beast_http::field::content_type, "text/event-stream");
  stream_header_.set(beast_http::field::cache_control, "no-cache");
  // The stream ends with the connection: no length, no chunking.
  stream_header_.keep_alive(false);
  stream_.expires_after(state_->options.write_timeout);
  auto serializer =
      std::make_shared<beast_http::response_serializer<beast_http::empty_body>>(stream_header_);
  beast_http::async_write_header(
      stream_, *serializer,
      [self = shared_from_this(), serializer](beast::error_code ec, std::size_t) {
        if (ec) return self->Close();
        self->NextEvent();
      });
}

void HttpSession::NextEvent() {
  ServerEvent event;
  try {
    event = events_->Next();
  } catch (const std::exception& e) {
    spdlog::error("event stream: {}", e.what());
    event = {"error", R"({"message":"internal error"})", true};
  }
  event_text_ = "event: " + event.event + "\ndata: " + event.data + "\n\n";
  stream_.expires_after(state_->options.write_timeout);
  asio::async_write(
      stream_, asio::buffer(event_text_),
      [self = shared_from_this(), last = event.last](beast::error_code ec, std::size_t) {
        if (ec || last) return self->Close();
        self->event_timer_.expires_after(self->event_interval_);
        self->event_timer_.async_wait([self](beast::error_code timer_ec) {
          if (!timer_ec) self->NextEvent();
        });
      });
}

void HttpSession::Close() {
  beast::error_code ignored;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  stream_.close();
}

}  // namespace throng::api::http
