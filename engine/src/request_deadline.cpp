#include "request_deadline.h"

#include <boost/system/error_code.hpp>

namespace throng::engine {

RequestDeadline::RequestDeadline(boost::asio::io_context& io)
    : timer_(io), state_(std::make_shared<State>(io.get_executor())) {
  state_->timer = &timer_;
}

RequestDeadline::~RequestDeadline() {
  state_->timer = nullptr;
  state_->socket = nullptr;
  // timer_'s destructor cancels the pending wait; its handler then sees no timer and returns.
}

void RequestDeadline::Start(boost::asio::ip::tcp::socket& socket, Clock::time_point expires_at) {
  State& state = *state_;
  state.socket = &socket;
  state.expired = false;
  state.deadline = expires_at;
  // A pending wait for a later instant (a longer timeout before) must not delay this one.
  if (!state.waiting || state.deadline < state.armed_for) Arm(state_);
}

void RequestDeadline::Stop() {
  state_->deadline = Clock::time_point::max();
  state_->socket = nullptr;
}

void RequestDeadline::Arm(const std::shared_ptr<State>& state) {
  const std::uint64_t generation = ++state->generation;
  // Moving the expiry cancels a pending wait: its handler runs with a stale generation.
  state->timer->expires_at(state->deadline);
  state->armed_for = state->deadline;
  state->waiting = true;
  state->timer->async_wait([state, generation](const boost::system::error_code&) {
    state->executor.on_work_started();  // the scheduler counts this handler's end as work done
    OnTimer(state, generation);
  });
  // An idle keep-alive connection's deadline must not keep io_context::run() from returning.
  state->executor.on_work_finished();
}

void RequestDeadline::OnTimer(const std::shared_ptr<State>& state, std::uint64_t generation) {
  if (state->timer == nullptr || generation != state->generation) return;
  state->waiting = false;
  if (state->deadline == Clock::time_point::max()) return;  // idle: armed again by Start
  if (Clock::now() < state->deadline) {
    Arm(state);  // fired for an earlier exchange: wait for the current one's deadline
    return;
  }
  state->expired = true;
  state->deadline = Clock::time_point::max();
  boost::system::error_code ignored;
  if (state->socket != nullptr) state->socket->cancel(ignored);
}

}  // namespace throng::engine
