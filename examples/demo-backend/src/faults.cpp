#include "faults.h"

#include <random>

namespace demo {
namespace {

using Clock = std::chrono::steady_clock;

double Uniform() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

std::string CheckRate(const Json& settings, const char* field, double& out) {
  if (!settings.contains(field)) return "";
  const Json& v = settings[field];
  if (!v.is_number() || v.get<double>() < 0 || v.get<double>() > 1) {
    return std::string(field) + " must be a number between 0 and 1";
  }
  out = v.get<double>();
  return "";
}

std::string CheckMillis(const Json& settings, const char* field, long long& out) {
  if (!settings.contains(field)) return "";
  const Json& v = settings[field];
  if (!v.is_number_integer() || v.get<long long>() < 0) {
    return std::string(field) + " must be a non-negative integer (milliseconds)";
  }
  out = v.get<long long>();
  return "";
}

}  // namespace

std::string Faults::Apply(const Json& settings) {
  if (!settings.is_object()) return "body must be a JSON object";
  long long latency = latency_ms_, jitter = jitter_ms_, stall = -1;
  double error = error_rate_, reset = reset_rate_, malformed = malformed_rate_;
  for (const std::string& e :
       {CheckMillis(settings, "latency_ms", latency),
        CheckMillis(settings, "latency_jitter_ms", jitter),
        CheckMillis(settings, "stall_ms", stall), CheckRate(settings, "error_rate", error),
        CheckRate(settings, "reset_rate", reset),
        CheckRate(settings, "malformed_rate", malformed)}) {
    if (!e.empty()) return e;
  }
  latency_ms_ = latency;
  jitter_ms_ = jitter;
  error_rate_ = error;
  reset_rate_ = reset;
  malformed_rate_ = malformed;
  if (stall >= 0) {
    auto until = Clock::now() + std::chrono::milliseconds(stall);
    stall_until_ns_ = std::chrono::nanoseconds(until.time_since_epoch()).count();
  }
  return "";
}

void Faults::Clear() {
  latency_ms_ = 0;
  jitter_ms_ = 0;
  error_rate_ = 0;
  reset_rate_ = 0;
  malformed_rate_ = 0;
  stall_until_ns_ = 0;
}

Json Faults::Describe() const {
  auto stall_left = std::chrono::nanoseconds(stall_until_ns_.load()) -
                    std::chrono::nanoseconds(Clock::now().time_since_epoch());
  return Json{{"latency_ms", latency_ms_.load()},
              {"latency_jitter_ms", jitter_ms_.load()},
              {"error_rate", error_rate_.load()},
              {"reset_rate", reset_rate_.load()},
              {"malformed_rate", malformed_rate_.load()},
              {"stall_remaining_ms",
               std::max<long long>(
                   0, std::chrono::duration_cast<std::chrono::milliseconds>(stall_left).count())}};
}

FaultDecision Faults::Decide() const {
  FaultDecision decision;
  long long stall_until = stall_until_ns_.load(std::memory_order_relaxed);
  long long latency = latency_ms_.load(std::memory_order_relaxed);
  long long jitter = jitter_ms_.load(std::memory_order_relaxed);
  double error = error_rate_.load(std::memory_order_relaxed);
  double reset = reset_rate_.load(std::memory_order_relaxed);
  double malformed = malformed_rate_.load(std::memory_order_relaxed);
  if (stall_until == 0 && latency == 0 && jitter == 0 && error == 0 && reset == 0 &&
      malformed == 0) {
    return decision;  // the common, fault-free path draws no random numbers
  }
  if (stall_until != 0) {
    auto now = std::chrono::nanoseconds(Clock::now().time_since_epoch()).count();
    if (stall_until > now) decision.delay += std::chrono::nanoseconds(stall_until - now);
  }
  decision.delay += std::chrono::milliseconds(latency);
  if (jitter > 0) {
    decision.delay += std::chrono::microseconds(static_cast<long long>(Uniform() * jitter * 1000));
  }
  double draw = Uniform();
  if (draw < reset) {
    decision.action = FaultDecision::Action::kReset;
  } else if (draw < reset + malformed) {
    decision.action = FaultDecision::Action::kMalformed;
  } else if (draw < reset + malformed + error) {
    decision.action = FaultDecision::Action::kError;
  }
  return decision;
}

}  // namespace demo
