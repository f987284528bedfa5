#include "http_failure.h"

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <string>

namespace throng::engine {

namespace asio = boost::asio;
namespace http = boost::beast::http;

bool IsPeerClosed(const boost::system::error_code& ec) {
  return ec == http::error::end_of_stream || ec == asio::error::eof ||
         ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
         ec == asio::error::connection_aborted || ec == asio::ssl::error::stream_truncated;
}

FailureKind ClassifyHttpError(HttpPhase phase, const boost::system::error_code& ec) {
  if (ec == boost::beast::error::timeout || ec == asio::error::timed_out) {
    return FailureKind::kTimeout;
  }
  switch (phase) {
    case HttpPhase::kResolve:
      return FailureKind::kDns;
    case HttpPhase::kConnect:
      return ec == asio::error::connection_refused ? FailureKind::kConnectRefused
                                                   : FailureKind::kConnectError;
    case HttpPhase::kHandshake:
      return IsPeerClosed(ec) ? FailureKind::kReset : FailureKind::kTls;
    case HttpPhase::kWrite:
    case HttpPhase::kRead:
      break;
  }
  if (ec == http::error::body_limit) return FailureKind::kBodyTooLarge;
  if (IsPeerClosed(ec) || ec == http::error::partial_message) return FailureKind::kReset;
  if (ec.category() == http::make_error_code(http::error::bad_version).category()) {
    return FailureKind::kMalformedResponse;
  }
  if (ec.category() == asio::error::get_ssl_category() ||
      ec.category() == asio::ssl::error::get_stream_category()) {
    return FailureKind::kTls;
  }
  return FailureKind::kOther;
}

std::string DescribeHttpError(HttpPhase phase, const boost::system::error_code& ec) {
  static constexpr const char* kPhaseNames[] = {"resolve", "connect", "tls handshake", "write",
                                                "read"};
  std::string text = kPhaseNames[static_cast<int>(phase)];
  text += ": ";
  text += ec.message();
  return text;
}

}  // namespace throng::engine
