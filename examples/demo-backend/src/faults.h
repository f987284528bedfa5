#pragma once

#include <atomic>
#include <chrono>
#include <string>

#include "http_types.h"

namespace demo {

/// What to do to one request.
struct FaultDecision {
  enum class Action { kNone, kError, kReset, kMalformed };
  std::chrono::steady_clock::duration delay{};  // wait this long (on a timer) before acting
  Action action = Action::kNone;
};

/// Runtime-settable fault injection. All settings are atomics, so Decide() (any request thread)
/// never blocks Apply()/Clear() (admin requests) and vice versa.
class Faults {
 public:
  /// Applies the JSON settings {"latency_ms", "latency_jitter_ms", "error_rate", "stall_ms",
  /// "reset_rate", "malformed_rate"}; absent fields keep their value. Returns "" on success or an
  /// error naming the offending field (nothing is applied then).
  std::string Apply(const Json& settings);
  void Clear();
  Json Describe() const;
  FaultDecision Decide() const;

 private:
  std::atomic<long long> latency_ms_{0};
  std::atomic<long long> jitter_ms_{0};
  std::atomic<double> error_rate_{0};
  std::atomic<double> reset_rate_{0};
  std::atomic<double> malformed_rate_{0};
  std::atomic<long long> stall_until_ns_{0};  // steady_clock epoch
};

}  // namespace demo
