// Plain request/response values exchanged between the scenario interpreter and the HTTP client.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "throng/engine/failure_kind.h"

namespace throng::engine {

/// Header list in wire order; names compared case-insensitively by consumers.
using HeaderList = std::vector<std::pair<std::string, std::string>>;

/// A fully rendered request. `target` is origin-form ("/todos/7?x=1"); the connection's host and
/// port come from the sender it is given to.
struct HttpRequest {
  std::string method = "GET";
  std::string target = "/";
  HeaderList headers;
  std::string body;
  /// Zero: the sender's default request timeout.
  std::chrono::milliseconds timeout{0};
  /// What of the response the caller reads. A sender may leave out what is not kept: the
  /// headers (cookies still reach the jar; a 3xx keeps them) and the body (its size is still
  /// counted in bytes_received).
  bool keep_response_headers = true;
  bool keep_response_body = true;
  /// Rendered once for the whole job and never changed (RequestPlan::fixed): a sender that sends
  /// this very object again may reuse the bytes it serialised from it.
  bool fixed = false;
};

/// The outcome of one request. On a transport failure `failure` says why and `status` is 0.
struct HttpResponse {
  unsigned status = 0;
  HeaderList headers;
  std::string body;
  FailureKind failure = FailureKind::kNone;
  /// Human-readable cause for reports (never contains request data such as tokens).
  std::string error;
  std::uint64_t bytes_sent = 0;
  std::uint64_t bytes_received = 0;
  /// Time from the start of the send (connect included when a connection had to be opened) to the
  /// end of the response body.
  std::chrono::nanoseconds latency{0};
  /// A Secure cookie that would have matched was withheld because the connection is plain http.
  bool withheld_secure_cookie = false;
  /// Redirect hops followed to get this response (its status is the last hop's).
  std::uint32_t redirects = 0;

  /// Back to a default-constructed response, keeping the capacity of its buffers.
  void Reset() {
    status = 0;
    headers.clear();
    body.clear();
    failure = FailureKind::kNone;
    error.clear();
    bytes_sent = 0;
    bytes_received = 0;
    latency = std::chrono::nanoseconds{0};
    withheld_secure_cookie = false;
    redirects = 0;
  }
};

}  // namespace throng::engine
