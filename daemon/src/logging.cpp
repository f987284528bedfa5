#include "throng/daemon/logging.h"

#include <fmt/chrono.h>
#include <grpc/support/log.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace throng::daemon {
namespace {

/// gRPC logs bind failures and transport noise itself; throngd reports what matters as one line,
/// so gRPC's own lines are kept for debugging only.
void ForwardGrpcLog(gpr_log_func_args* args) {
  spdlog::debug("grpc: {} ({}:{})", args->message, args->file, args->line);
}

std::string Iso8601Utc(spdlog::log_clock::time_point time) {
  const auto ms = std::chrono::floor<std::chrono::milliseconds>(time);
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03}Z", std::chrono::floor<std::chrono::seconds>(ms),
                     ms.time_since_epoch().count() % 1000);
}

}  // namespace

void JsonLogFormatter::format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) {
  const auto level = spdlog::level::to_string_view(msg.level);
  const nlohmann::ordered_json line = {
      {"ts", Iso8601Utc(msg.time)},
      {"level", std::string(level.data(), level.size())},
      {"msg", std::string(msg.payload.data(), msg.payload.size())},
      {"logger", std::string(msg.logger_name.data(), msg.logger_name.size())},
      {"thread", msg.thread_id},
  };
  // Replace invalid UTF-8 rather than throw: a log line must never take the daemon down.
  const std::string text =
      line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
  dest.append(text.data(), text.data() + text.size());
}

std::unique_ptr<spdlog::formatter> JsonLogFormatter::clone() const {
  return std::make_unique<JsonLogFormatter>();
}

namespace {

spdlog::level::level_enum ParseLevel(const std::string& level) {
  const spdlog::level::level_enum parsed = spdlog::level::from_str(level);
  if (parsed == spdlog::level::off && level != "off") {
    throw std::invalid_argument("log-level: unknown level '" + level + "'");
  }
  return parsed;
}

void SetGrpcVerbosity(spdlog::level::level_enum level) {
  gpr_set_log_verbosity(level <= spdlog::level::debug ? GPR_LOG_SEVERITY_DEBUG
                                                      : GPR_LOG_SEVERITY_ERROR);
}

}  // namespace

void SetLogLevel(const std::string& level) {
  const spdlog::level::level_enum parsed = ParseLevel(level);
  spdlog::default_logger()->set_level(parsed);
  SetGrpcVerbosity(parsed);
}

void SetUpLogging(const std::string& level, LogFormat format) {
  const spdlog::level::level_enum parsed = ParseLevel(level);
  std::shared_ptr<spdlog::logger> logger;
  if (format == LogFormat::kJson) {
    logger = std::make_shared<spdlog::logger>("throngd",
                                              std::make_shared<spdlog::sinks::stderr_sink_mt>());
    logger->set_formatter(std::make_unique<JsonLogFormatter>());
  } else {
    logger = std::make_shared<spdlog::logger>(
        "throngd", std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
  }
  logger->set_level(parsed);
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
  gpr_set_log_function(ForwardGrpcLog);
  SetGrpcVerbosity(parsed);
}

}  // namespace throng::daemon
