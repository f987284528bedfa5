// throngd's log setup: spdlog on stderr, as text or one JSON object per line.
#pragma once

#include <spdlog/formatter.h>

#include <memory>
#include <string>

#include "throng/daemon/config.h"

namespace throng::daemon {

/// Formats a record as one line of JSON, keys in this order: {"ts":"<UTC ISO-8601
/// ms>","level":..,"msg":.., "logger":..,"thread":..}. Stateless apart from spdlog's interface:
/// safe to clone.
class JsonLogFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override;
  std::unique_ptr<spdlog::formatter> clone() const override;
};

/// Installs the default logger (stderr, `level`, `format`) and routes gRPC's own log lines into it
/// at debug level. Throws std::invalid_argument for an unknown level name.
void SetUpLogging(const std::string& level, LogFormat format);

/// Changes the default logger's level (and gRPC's verbosity) at run time. Throws
/// std::invalid_argument for an unknown level name.
void SetLogLevel(const std::string& level);

}  // namespace throng::daemon
