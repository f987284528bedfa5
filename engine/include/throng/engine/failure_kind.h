// Failure classification shared by the HTTP client, the scenario interpreter and the stats core.
#pragma once

#include <cstdint>
#include <string_view>

namespace throng::engine {

/// Why a request failed. kNone means success. Values are dense (usable as array indices).
enum class FailureKind : std::uint8_t {
  kNone = 0,
  kConnectRefused,
  kDns,
  kTls,
  kTimeout,
  kReset,
  kMalformedResponse,
  kBodyTooLarge,
  kUnexpectedStatus,
  kExpectationFailed,
  kExtractionFailed,
  kConnectError,
  kOther,
  /// Still in flight when the load ended: cut short by an immediate stop or the end of the
  /// graceful-stop period. Counted, never silently dropped.
  kUnfinished,
  /// A rendered header value or request target held CR, LF or NUL: the request was not sent.
  kInvalidHeader,
  /// A resolved address (at connect, a redirect's hop included) is not on the allow-list: no
  /// socket was opened.
  kTargetNotAllowed,
  /// A redirect chain went beyond http.max_redirects hops.
  kTooManyRedirects,
};

/// Number of FailureKind values, kNone included.
inline constexpr std::size_t kFailureKindCount = 17;

/// Lower-case snake_case name used as a metric label and in reports, e.g. "connect_refused".
std::string_view FailureKindName(FailureKind kind);

}  // namespace throng::engine
