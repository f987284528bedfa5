#include "throng/engine/request_sender.h"

namespace throng::engine {

boost::asio::awaitable<void> RequestSender::FollowRedirects(const HttpRequest& /*request*/,
                                                            HttpResponse& /*response*/) {
  co_return;
}

boost::asio::awaitable<HttpResponse> RequestSender::Send(const HttpRequest& request) {
  HttpResponse response;
  co_await Exchange(request, response);
  if (FollowsRedirect(response)) co_await FollowRedirects(request, response);
  co_return response;
}

}  // namespace throng::engine
