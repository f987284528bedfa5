// The request timeout of one plain connection, kept without a timer operation per request.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <memory>

namespace throng::engine {

/// Bounds each exchange on one socket by a deadline. The timer is armed once and, when it fires,
/// re-armed to the deadline of the exchange then in flight (or left idle when there is none), so a
/// request costs two stores instead of a timer insert, a cancel and an aborted handler per socket
/// operation (what beast::tcp_stream pays). On expiry it cancels the socket's pending operations
/// and Expired() turns true until the next Start. The pending wait is not counted as outstanding
/// work of the io_context (only the exchange's own socket operations are), so a run() that waits
/// for the work to end still returns when the exchanges are over. Owned by one sender and used
/// only on its worker's thread, inside handlers the io_context runs; the socket passed to Start
/// must stay alive until Stop.
class RequestDeadline {
 public:
  explicit RequestDeadline(boost::asio::io_context& io);
  ~RequestDeadline();
  RequestDeadline(const RequestDeadline&) = delete;
  RequestDeadline& operator=(const RequestDeadline&) = delete;

  /// An exchange on `socket` begins; it must be over by `expires_at` (the caller's clock reading
  /// plus the timeout, so the exchange reads the clock once).
  void Start(boost::asio::ip::tcp::socket& socket,
             std::chrono::steady_clock::time_point expires_at);
  /// The exchange is over (whatever its outcome).
  void Stop();
  /// True once the deadline of the current exchange passed (its operations were cancelled).
  bool Expired() const { return state_->expired; }

 private:
  using Clock = std::chrono::steady_clock;
  /// Shared with the pending wait's handler, which may run after this object is gone.
  struct State {
    explicit State(boost::asio::io_context::executor_type e) : executor(e) {}
    boost::asio::io_context::executor_type executor;
    boost::asio::steady_timer* timer = nullptr;  // null once the owner is destroyed
    boost::asio::ip::tcp::socket* socket = nullptr;
    Clock::time_point deadline = Clock::time_point::max();  // max: no exchange in flight
    Clock::time_point armed_for = Clock::time_point::max();
    std::uint64_t generation = 0;  // of the wait whose handler is current
    bool waiting = false;
    bool expired = false;
  };

  static void Arm(const std::shared_ptr<State>& state);
  static void OnTimer(const std::shared_ptr<State>& state, std::uint64_t generation);

  boost::asio::steady_timer timer_;
  std::shared_ptr<State> state_;
};

}  // namespace throng::engine
