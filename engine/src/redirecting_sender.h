// Follows redirects on top of the Beast sender (private to the engine).
#pragma once

// clang-format off
// Boost 1.74 awaitable.hpp uses std::exchange without including <utility>: it must come first.
#include <utility>
// clang-format on
#include <boost/asio/awaitable.hpp>
#include <memory>
#include <optional>
#include <string>

#include "throng/engine/http_client.h"
#include "throng/engine/redirect_location.h"
#include "throng/engine/request_sender.h"

namespace throng::engine {

/// One virtual user's sender when http.max_redirects > 0: sends through `primary` (the job's
/// origin) and follows up to max_redirects 3xx hops. A hop to another origin goes through a
/// sender of its own (kept for the last foreign origin only), built on the factory's options and
/// resolver, so the target guard judges every hop at its connect. The returned response is the
/// last hop's, with the bytes and latency of the whole chain and `redirects` set. Not
/// thread-safe; one request at a time. `factory` must outlive it.
class RedirectingSender final : public RequestSender {
 public:
  RedirectingSender(BeastSenderFactory& factory, std::unique_ptr<RequestSender> primary);
  ~RedirectingSender() override;

  /// The primary's exchange itself (no frame of this sender's own).
  boost::asio::awaitable<void> Exchange(const HttpRequest& request, HttpResponse& out) override;
  bool FollowsRedirect(const HttpResponse& response) const override;
  boost::asio::awaitable<void> FollowRedirects(const HttpRequest& request,
                                               HttpResponse& response) override;
  std::string CookieValue(std::string_view name) const override;
  void Close() override;

 private:
  /// The sender for `origin`: the primary one, or the foreign one (replaced on a new origin).
  RequestSender& SenderFor(const Origin& origin);

  BeastSenderFactory& factory_;
  const Origin home_;
  std::unique_ptr<RequestSender> primary_;
  std::optional<Origin> foreign_origin_;
  std::unique_ptr<BeastSenderFactory> foreign_factory_;
  std::unique_ptr<RequestSender> foreign_;
};

}  // namespace throng::engine
