// The seam between virtual users and the network: a sender sends requests over one logical
// connection (keep-alive, cookies) on behalf of one virtual user.
#pragma once

// clang-format off
// <utility> must come first: Boost 1.74's awaitable.hpp uses std::exchange without including it.
#include <utility>
#include <boost/asio/awaitable.hpp>
// clang-format on
#include <boost/asio/io_context.hpp>
#include <memory>
#include <string_view>

#include "throng/engine/http_types.h"

namespace throng::engine {

/// Sends requests for one virtual user. Not thread-safe: used only from the io_context (worker
/// thread) it was created for.
class RequestSender {
 public:
  virtual ~RequestSender() = default;

  /// Sends `request` and reads its response into `out`, following no redirect. `out` is reset
  /// first (a caller that reuses it keeps its buffers). Never throws for network or protocol
  /// errors: they come back classified in HttpResponse::failure. `request` is read, never
  /// changed, and must stay valid until the returned awaitable completes (a request rendered once
  /// for the job, RequestPlan::fixed, is sent by reference from every user).
  virtual boost::asio::awaitable<void> Exchange(const HttpRequest& request, HttpResponse& out) = 0;

  /// True when `response` (just returned by Exchange) is a redirect this sender follows.
  virtual bool FollowsRedirect(const HttpResponse& /*response*/) const { return false; }

  /// Follows the redirect chain that `response` starts (only after FollowsRedirect(response)),
  /// replacing it with the last hop's response, with the bytes and latency of the whole chain and
  /// `redirects` set. Split from Exchange so the common, non-redirected request costs no
  /// coroutine frame of its own.
  virtual boost::asio::awaitable<void> FollowRedirects(const HttpRequest& request,
                                                       HttpResponse& response);

  /// The whole request: Exchange, then FollowRedirects when the sender follows the response.
  boost::asio::awaitable<HttpResponse> Send(const HttpRequest& request);

  /// Value of the cookie `name` currently held for this user's origin, or empty.
  virtual std::string CookieValue(std::string_view name) const = 0;

  /// Closes the connection (e.g. when the user stops or a stop is immediate).
  virtual void Close() = 0;
};

/// Creates senders bound to one worker's io_context. One factory per worker thread, so shared
/// resources it holds (DNS cache, TLS context) are per thread and need no lock.
class RequestSenderFactory {
 public:
  virtual ~RequestSenderFactory() = default;
  virtual std::unique_ptr<RequestSender> Create() = 0;
};

}  // namespace throng::engine
