#include "session.h"

#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

namespace demo {

namespace asio = boost::asio;
namespace beast = boost::beast;

Session::Session(asio::ip::tcp::socket socket, App& app)
    : socket_(std::move(socket)), timer_(socket_.get_executor()), app_(app) {}

Session::~Session() {
  if (in_flight_) app_.metrics().AddInFlight(-1);
}

void Session::Read() {
  parser_.emplace();
  parser_->body_limit(1 << 20);
  http::async_read(socket_, buffer_, *parser_,
                   [self = shared_from_this()](beast::error_code ec, size_t) { self->OnRead(ec); });
}

void Session::OnRead(beast::error_code ec) {
  if (ec) {
    // Peer closed or sent something unparsable: drop the connection, nothing to measure.
    beast::error_code ignored;
    socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    return;
  }
  start_ = std::chrono::steady_clock::now();
  in_flight_ = true;
  app_.metrics().AddInFlight(1);
  match_ = app_.Match(parser_->get());
  FaultDecision decision = match_.fault_exempt ? FaultDecision{} : app_.faults().Decide();
  if (decision.delay.count() <= 0) return Act(decision.action);
  // A timer, not a sleep: an injected delay must not hold the thread from other connections.
  timer_.expires_after(decision.delay);
  timer_.async_wait([self = shared_from_this(), action = decision.action](beast::error_code ec) {
    if (!ec) self->Act(action);
  });
}

void Session::Act(FaultDecision::Action action) {
  switch (action) {
    case FaultDecision::Action::kNone:
      return Respond(app_.Handle(match_, parser_->get()));
    case FaultDecision::Action::kError:
      return Respond(ErrorResponse(http::status::internal_server_error, "injected fault"));
    case FaultDecision::Action::kReset:
      return Reset();
    case FaultDecision::Action::kMalformed:
      return SendGarbage();
  }
}

void Session::Respond(Response response) {
  LeaveInFlight();
  response_ = std::move(response);
  bool keep_alive = parser_->get().keep_alive();
  response_.keep_alive(keep_alive);
  response_.prepare_payload();
  http::async_write(socket_, response_,
                    [self = shared_from_this(), keep_alive](beast::error_code ec, size_t) {
                      self->OnWrite(ec, keep_alive);
                    });
}

void Session::OnWrite(beast::error_code ec, bool keep_alive) {
  Record(response_.result_int());
  if (ec) return;
  if (!keep_alive) {
    socket_.shutdown(asio::ip::tcp::socket::shutdown_send, ec);
    return;
  }
  Read();
}

void Session::Reset() {
  LeaveInFlight();
  Record(Metrics::kStatusReset);
  beast::error_code ignored;
  // Linger 0 makes close() send RST instead of FIN.
  socket_.set_option(asio::socket_base::linger(true, 0), ignored);
  socket_.close(ignored);
}

void Session::SendGarbage() {
  LeaveInFlight();
  static constexpr char kGarbage[] = "\x16\x03\x01 this is not HTTP \xff\xfe\r\n\r\n";
  asio::async_write(socket_, asio::buffer(kGarbage, sizeof kGarbage - 1),
                    [self = shared_from_this()](beast::error_code, size_t) {
                      self->Record(Metrics::kStatusMalformed);
                      beast::error_code ignored;
                      self->socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
                      self->socket_.close(ignored);
                    });
}

void Session::Record(int status) {
  std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start_;
  app_.metrics().Record(match_.route_id, parser_->get().method(), status, elapsed.count());
}

void Session::LeaveInFlight() {
  // Before the answer's first byte goes out: the client cannot have it yet, so the gauge never
  // counts a request its client already considers answered.
  if (in_flight_) app_.metrics().AddInFlight(-1);
  in_flight_ = false;
}

}  // namespace demo
