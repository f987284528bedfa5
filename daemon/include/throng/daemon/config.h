// throngd's settings: command-line flags over an optional YAML config file.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "throng/api/spec/spec_limits.h"

namespace throng::daemon {

enum class LogFormat { kText, kJson };

/// Everything throngd is configured with. Defaults are the documented flag defaults.
struct DaemonConfig {
  std::string grpc_listen = "127.0.0.1:7400";
  std::string metrics_listen = "127.0.0.1:9400";
  /// Engine worker threads.
  unsigned threads = 1;
  std::filesystem::path data_dir = "./throng-data";
  /// One of trace, debug, info, warn, error, critical, off.
  std::string log_level = "info";
  LogFormat log_format = LogFormat::kText;
  /// --allow-target entries; empty means the default loopback-only list.
  std::vector<std::string> allow_targets;
  /// How long finished jobs keep their series on /metrics.
  std::chrono::seconds finished_job_retention{600};
  /// How often running jobs checkpoint their report into the registry (0: never).
  std::chrono::milliseconds checkpoint_interval{5000};
  /// The command line this config was parsed from (argv without the program name); SIGHUP
  /// parses it again, re-reading --config.
  std::vector<std::string> command_line;
  /// PEM server certificate chain and key for gRPC TLS (both or neither).
  std::filesystem::path tls_cert;
  std::filesystem::path tls_key;
  /// PEM CA bundle: when set, clients must present a certificate it signed (mTLS).
  std::filesystem::path tls_client_ca;
  /// "TOKEN ROLE" lines (ROLE operator or reader); empty: no tokens required.
  std::filesystem::path auth_token_file;
  /// Allow listening beyond loopback without TLS and tokens (logged as a warning).
  bool insecure = false;
  /// Serve /metrics beyond loopback without a token (it exposes figures and controls nothing).
  bool metrics_open = false;
  /// Glob patterns ('*' and '?') of environment variables jobs may read with {{env:NAME}}.
  std::vector<std::string> allow_env;
  /// The only directory csv_file feeders may read from; empty: csv_file is refused.
  std::filesystem::path feeder_dir;
  /// Per-spec limits (--max-users-per-job, --max-request-names, ...; docs/limits.md).
  api::SpecLimits limits;
  /// Jobs that run at once; later ones wait QUEUED, up to max_queued_jobs more.
  std::size_t max_running_jobs = 8;
  std::size_t max_queued_jobs = 256;
  /// Peak users summed over the jobs that have not ended.
  std::uint64_t max_users_per_daemon = 200'000;
  /// Bytes of one ListJobs page.
  std::size_t max_list_bytes = 3 * 1024 * 1024;
  /// Ended jobs kept in the registry, and for how long (0: no age bound).
  std::size_t job_history = 1000;
  std::chrono::seconds job_history_age{0};
  /// The scenario library of the web console's start form; empty: none.
  std::filesystem::path scenario_dir;
};

/// The outcome of parsing the command line: a config to run, or an exit code (0 for --help,
/// 2 for bad flags or a bad config file) with the text to print.
struct ParsedCommandLine {
  std::optional<DaemonConfig> config;
  int exit_code = 0;
  /// Help text (stdout) or the error message (stderr) when `config` is empty.
  std::string message;
};

/// Parses flags. `--config FILE` reads a YAML map whose keys are flag names without dashes
/// (`grpc-listen` or `grpc_listen`; lists for allow-target); flags given on the command line win.
/// Never throws.
ParsedCommandLine ParseCommandLine(int argc, const char* const* argv);

/// Bounds of --checkpoint-interval (0 turns checkpoints off).
inline constexpr std::chrono::seconds kMinCheckpointInterval{1};
inline constexpr std::chrono::hours kMaxCheckpointInterval{1};

/// Parses "500ms", "30s", "10m", "2h" (a bare number is seconds). Throws std::invalid_argument.
std::chrono::milliseconds ParseDuration(const std::string& text);

}  // namespace throng::daemon
