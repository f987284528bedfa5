// Maps transport error codes to FailureKind, by the phase of the exchange they happened in.
#pragma once

#include <boost/system/error_code.hpp>

#include "throng/engine/failure_kind.h"

namespace throng::engine {

enum class HttpPhase { kResolve, kConnect, kHandshake, kWrite, kRead };

/// Result of one step of an exchange (connect, write + read); `ec` empty on success.
struct HttpOutcome {
  boost::system::error_code ec;
  HttpPhase phase = HttpPhase::kConnect;
};

/// The failure kind of `ec` raised during `phase` (ec must be an error).
FailureKind ClassifyHttpError(HttpPhase phase, const boost::system::error_code& ec);

/// True for errors meaning the peer closed or reset the connection: on a reused keep-alive
/// connection with no response byte read yet, the request is safely retried once.
bool IsPeerClosed(const boost::system::error_code& ec);

/// A short message such as "read: connection reset by peer" (no request data).
std::string DescribeHttpError(HttpPhase phase, const boost::system::error_code& ec);

}  // namespace throng::engine
