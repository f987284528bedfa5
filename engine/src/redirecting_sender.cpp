#include "redirecting_sender.h"

#include <boost/beast/core/string.hpp>
#include <chrono>

namespace throng::engine {
namespace {

namespace beast = boost::beast;

// Lets a foreign origin's factory use the job's resolver (the tests' seam included) without
// owning it.
class BorrowedResolver final : public HostResolver {
 public:
  explicit BorrowedResolver(HostResolver& resolver) : resolver_(resolver) {}
  boost::asio::awaitable<boost::system::error_code> Resolve(std::string_view host,
                                                            std::uint16_t port,
                                                            Endpoints& out) override {
    return resolver_.Resolve(host, port, out);
  }
  void Invalidate(std::string_view host, std::uint16_t port) override {
    resolver_.Invalidate(host, port);
  }

 private:
  HostResolver& resolver_;
};

const std::string* HeaderValue(const HeaderList& headers, std::string_view name) {
  for (const auto& [header, value] : headers) {
    if (beast::iequals(header, name)) return &value;
  }
  return nullptr;
}

void DropHeaders(HeaderList& headers, std::initializer_list<std::string_view> names) {
  std::erase_if(headers, [&](const auto& header) {
    for (const std::string_view name : names) {
      if (beast::iequals(header.first, name)) return true;
    }
    return false;
  });
}

// What the next hop sends, as python-requests (Locust's HttpUser) does: 303 turns anything but
// HEAD into a GET, 301/302 turn a POST into a GET; 307/308 resend as is. A new origin gets no
// credentials of the old one.
void PrepareHop(unsigned status, bool new_origin, HttpRequest& request) {
  const bool to_get = (status == 303 && !beast::iequals(request.method, "HEAD")) ||
                      ((status == 301 || status == 302) && beast::iequals(request.method, "POST"));
  if (to_get) {
    request.method = "GET";
    request.body.clear();
    DropHeaders(request.headers, {"content-type", "content-length", "transfer-encoding"});
  }
  if (new_origin) DropHeaders(request.headers, {"authorization", "cookie", "host"});
}

}  // namespace

RedirectingSender::RedirectingSender(BeastSenderFactory& factory,
                                     std::unique_ptr<RequestSender> primary)
    : factory_(factory),
      home_{factory.options().scheme, factory.cookie_host(), factory.options().port},
      primary_(std::move(primary)) {}

RedirectingSender::~RedirectingSender() = default;

std::string RedirectingSender::CookieValue(std::string_view name) const {
  return primary_->CookieValue(name);
}

void RedirectingSender::Close() {
  primary_->Close();
  if (foreign_) foreign_->Close();
}

RequestSender& RedirectingSender::SenderFor(const Origin& origin) {
  if (origin == home_) return *primary_;
  if (foreign_origin_ != origin) {
    foreign_.reset();
    HttpClientOptions options = factory_.options();
    options.scheme = origin.scheme;
    options.host = origin.host;
    options.port = origin.port;
    options.max_redirects = 0;  // the chain is followed here, not again below
    foreign_factory_ = std::make_unique<BeastSenderFactory>(
        factory_.io(), std::move(options), std::make_unique<BorrowedResolver>(factory_.resolver()));
    foreign_ = foreign_factory_->Create();
    foreign_origin_ = origin;
  }
  return *foreign_;
}

boost::asio::awaitable<void> RedirectingSender::Exchange(const HttpRequest& request,
                                                         HttpResponse& out) {
  return primary_->Exchange(request, out);
}

bool RedirectingSender::FollowsRedirect(const HttpResponse& response) const {
  return response.failure == FailureKind::kNone && IsRedirectStatus(response.status);
}

boost::asio::awaitable<void> RedirectingSender::FollowRedirects(const HttpRequest& request,
                                                                HttpResponse& response) {
  // The first response has just ended: the chain began its latency earlier.
  const auto start = std::chrono::steady_clock::now() - response.latency;
  std::optional<HttpRequest> next;  // what a hop resends: a copy, made at the first hop
  Origin origin = home_;
  std::uint64_t bytes_sent = response.bytes_sent;
  std::uint64_t bytes_received = response.bytes_received;
  std::uint32_t hops = 0;
  while (FollowsRedirect(response)) {
    const std::string* location = HeaderValue(response.headers, "location");
    if (location == nullptr) break;  // a 3xx without a Location is the answer itself
    if (hops == factory_.options().max_redirects) {
      response.failure = FailureKind::kTooManyRedirects;
      response.error = "more than " + std::to_string(hops) + " redirects (http.max_redirects)";
      break;
    }
    if (!next) {
      next = request;
      next->fixed = false;  // changed below: no sender may take it for the job's fixed request
    }
    std::optional<RedirectHop> hop = ResolveRedirect(origin, next->target, *location);
    if (!hop) {
      response.failure = FailureKind::kMalformedResponse;
      response.error = "redirect with an unusable Location (not an http(s) URL or path)";
      break;
    }
    ++hops;
    PrepareHop(response.status, hop->origin != origin, *next);
    next->target = std::move(hop->target);
    origin = std::move(hop->origin);
    co_await SenderFor(origin).Exchange(*next, response);
    bytes_sent += response.bytes_sent;
    bytes_received += response.bytes_received;
    if (response.failure == FailureKind::kTargetNotAllowed) {
      response.error = "redirect to " + origin.host + ": " + response.error;
    }
  }
  if (hops == 0) co_return;  // no hop: the primary's figures are the request's
  response.bytes_sent = bytes_sent;
  response.bytes_received = bytes_received;
  response.redirects = hops;
  response.latency = std::chrono::steady_clock::now() - start;
}

}  // namespace throng::engine
