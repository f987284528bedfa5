#include "throng/engine/http_client.h"

#include <boost/algorithm/string/case_conv.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <locale>
#include <stdexcept>

#include "http_sender.h"
#include "redirecting_sender.h"

namespace throng::engine {

namespace ssl = boost::asio::ssl;

BeastSenderFactory::BeastSenderFactory(boost::asio::io_context& io, HttpClientOptions options,
                                       std::unique_ptr<HostResolver> resolver)
    : io_(io),
      options_(std::move(options)),
      resolver_(resolver ? std::move(resolver) : std::make_unique<DnsCache>(io)) {
  const bool https = options_.scheme == "https";
  if (!https && options_.scheme != "http") {
    throw std::invalid_argument("http.scheme: must be \"http\" or \"https\", got \"" +
                                options_.scheme + "\"");
  }
  if (options_.host.empty()) throw std::invalid_argument("http.host: must not be empty");
  if (options_.port == 0) throw std::invalid_argument("http.port: must be 1..65535");
  if (options_.max_body_bytes == 0) {
    throw std::invalid_argument("http.max_body_bytes: must be positive");
  }
  if (https) {
    tls_context_.emplace(ssl::context::tls_client);
    if (options_.insecure_skip_verify) {
      tls_context_->set_verify_mode(ssl::verify_none);
    } else {
      tls_context_->set_default_verify_paths();
      tls_context_->set_verify_mode(ssl::verify_peer);
      tls_context_->set_verify_callback(ssl::host_name_verification(options_.host));
    }
  }
  const bool ipv6 = options_.host.find(':') != std::string::npos;
  host_header_ = ipv6 ? "[" + options_.host + "]" : options_.host;
  if (options_.port != (https ? 443 : 80)) host_header_ += ":" + std::to_string(options_.port);
  cookie_host_ = boost::algorithm::to_lower_copy(options_.host, std::locale::classic());
}

BeastSenderFactory::~BeastSenderFactory() = default;

std::unique_ptr<RequestSender> BeastSenderFactory::Create() {
  auto sender = std::make_unique<BeastSender>(*this);
  if (options_.max_redirects == 0) return sender;
  return std::make_unique<RedirectingSender>(*this, std::move(sender));
}

}  // namespace throng::engine
