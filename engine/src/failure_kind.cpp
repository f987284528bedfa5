#include "throng/engine/failure_kind.h"

#include <array>

namespace throng::engine {

std::string_view FailureKindName(FailureKind kind) {
  static constexpr std::array<std::string_view, kFailureKindCount> kNames = {"none",
                                                                             "connect_refused",
                                                                             "dns",
                                                                             "tls",
                                                                             "timeout",
                                                                             "reset",
                                                                             "malformed_response",
                                                                             "body_too_large",
                                                                             "unexpected_status",
                                                                             "expectation_failed",
                                                                             "extraction_failed",
                                                                             "connect_error",
                                                                             "other",
                                                                             "unfinished",
                                                                             "invalid_header",
                                                                             "target_not_allowed",
                                                                             "too_many_redirects"};
  const auto index = static_cast<std::size_t>(kind);
  return index < kNames.size() ? kNames[index] : "other";
}

}  // namespace throng::engine
