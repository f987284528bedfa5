#include "throng/daemon/config.h"

#include <yaml-cpp/yaml.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <charconv>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "limit_flags.h"
#include "throng/api/common/duration.h"

namespace throng::daemon {
namespace {

/// Reads the config file as YAML for CLI11, so that file values pass the same validators as
/// flags and flags given on the command line take precedence.
class YamlConfig final : public CLI::Config {
 public:
  std::string to_config(const CLI::App*, bool, bool, std::string) const override { return {}; }

  std::vector<CLI::ConfigItem> from_config(std::istream& input) const override {
    YAML::Node root;
    try {
      root = YAML::Load(input);
    } catch (const YAML::Exception& e) {
      throw CLI::ParseError("config file: " + std::string(e.what()), CLI::ExitCodes::ConfigError);
    }
    std::vector<CLI::ConfigItem> items;
    if (root.IsNull()) return items;
    if (!root.IsMap()) {
      throw CLI::ParseError("config file: expected a map of flag names to values",
                            CLI::ExitCodes::ConfigError);
    }
    for (const auto& entry : root) {
      CLI::ConfigItem item;
      item.name = entry.first.as<std::string>();
      std::replace(item.name.begin(), item.name.end(), '_', '-');
      const YAML::Node& value = entry.second;
      if (value.IsSequence()) {
        for (const auto& element : value) item.inputs.push_back(element.as<std::string>());
      } else if (value.IsScalar()) {
        item.inputs.push_back(value.as<std::string>());
      } else {
        throw CLI::ParseError("config file: " + item.name + ": expected a value or a list",
                              CLI::ExitCodes::ConfigError);
      }
      items.push_back(std::move(item));
    }
    return items;
  }
};

/// A CLI11 validator for a duration flag: empty when `text` parses.
std::string DurationError(const std::string& text) {
  try {
    ParseDuration(text);
    return {};
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
}

std::string CheckpointIntervalError(const std::string& text) {
  if (std::string error = DurationError(text); !error.empty()) return error;
  const std::chrono::milliseconds interval = ParseDuration(text);
  if (interval.count() == 0 ||
      (interval >= kMinCheckpointInterval && interval <= kMaxCheckpointInterval)) {
    return {};
  }
  return "'" + text + "': must be 0 (off) or between 1s and 1h";
}

}  // namespace

std::chrono::milliseconds ParseDuration(const std::string& text) {
  const absl::StatusOr<std::chrono::nanoseconds> parsed = api::ParseDuration(text);
  if (!parsed.ok()) {
    throw std::invalid_argument("'" + text + "': " + std::string(parsed.status().message()));
  }
  return std::chrono::duration_cast<std::chrono::milliseconds>(*parsed);
}

ParsedCommandLine ParseCommandLine(int argc, const char* const* argv) {
  DaemonConfig config;
  config.threads = std::max(1u, std::thread::hardware_concurrency());
  std::string retention = "10m";
  std::string log_format = "text";

  CLI::App app("throngd: the Throng load-generation daemon", "throngd");
  app.config_formatter(std::make_shared<YamlConfig>());
  app.set_config("--config", "", "YAML file of flag values (flags given here override it)");
  app.allow_config_extras(false);
  app.add_option("--grpc-listen", config.grpc_listen, "gRPC address host:port (port 0: any)")
      ->capture_default_str();
  app.add_option("--metrics-listen", config.metrics_listen,
                 "Prometheus /metrics address host:port (port 0: any)")
      ->capture_default_str();
  app.add_option("--threads", config.threads, "Load engine worker threads")
      ->check(CLI::Range(1u, 1024u))
      ->capture_default_str();
  app.add_option("--data-dir", config.data_dir, "Directory of the job registry")
      ->capture_default_str();
  app.add_option("--log-level", config.log_level, "Minimum log level")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}))
      ->capture_default_str();
  app.add_option("--log-format", log_format, "text, or json (one object per line)")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  app.add_option("--allow-target", config.allow_targets,
                 "Allowed load target: CIDR, address or host name (repeatable; default: "
                 "127.0.0.0/8, ::1, localhost)");
  app.add_option("--tls-cert", config.tls_cert, "PEM certificate chain for gRPC TLS");
  app.add_option("--tls-key", config.tls_key, "PEM private key for gRPC TLS");
  app.add_option("--tls-client-ca", config.tls_client_ca,
                 "PEM CA bundle: require client certificates it signed (mTLS)");
  app.add_option("--auth-token-file", config.auth_token_file,
                 "Bearer tokens, one 'TOKEN ROLE' per line (operator or reader); reloaded on "
                 "SIGHUP");
  app.add_flag("--insecure", config.insecure,
               "Allow listening beyond loopback without TLS and tokens (anyone reaching the port "
               "controls the daemon)");
  app.add_flag("--metrics-open", config.metrics_open,
               "Allow /metrics beyond loopback without a token");
  app.add_option("--allow-env", config.allow_env,
                 "Environment variables jobs may read with {{env:NAME}}: a name or a glob with * "
                 "and ? (repeatable; default: none)")
      ->check([](const std::string& pattern) {
        return pattern.empty() || pattern.size() > 256 ? std::string("1..256 characters")
                                                       : std::string();
      });
  app.add_option("--feeder-dir", config.feeder_dir,
                 "The only directory csv_file feeders may read (default: csv_file refused)")
      ->check(CLI::ExistingDirectory);
  app.add_option("--scenario-dir", config.scenario_dir,
                 "Scenario files (*.yaml, at most 200 of 1 MiB each) the web console's start form "
                 "offers (default: none)")
      ->check(CLI::ExistingDirectory);
  app.add_option("--finished-job-retention", retention,
                 "How long finished jobs stay on /metrics (e.g. 10m)")
      ->check(DurationError)
      ->capture_default_str();
  std::string checkpoint_interval = "5s";
  app.add_option("--checkpoint-interval", checkpoint_interval,
                 "How often running jobs checkpoint their report into the registry, so that a "
                 "crash keeps it (0: off; 1s..1h)")
      ->check(CheckpointIntervalError)
      ->capture_default_str();
  std::string max_job_duration = "168h";
  std::string job_history_age = "0s";
  AddLimitFlags(app, config, max_job_duration, job_history_age,
                CLI::Validator(DurationError, "DURATION"));

  ParsedCommandLine result;
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    std::ostringstream out;
    std::ostringstream err;
    const int code = app.exit(e, out, err);
    result.exit_code = code == 0 ? 0 : 2;
    result.message = code == 0 ? out.str() : err.str();
    return result;
  }
  config.log_format = log_format == "json" ? LogFormat::kJson : LogFormat::kText;
  config.finished_job_retention =
      std::chrono::duration_cast<std::chrono::seconds>(ParseDuration(retention));
  config.checkpoint_interval = ParseDuration(checkpoint_interval);
  for (int i = 1; i < argc; ++i) config.command_line.emplace_back(argv[i]);
  config.limits.max_job_duration =
      std::chrono::duration_cast<std::chrono::seconds>(ParseDuration(max_job_duration));
  config.job_history_age =
      std::chrono::duration_cast<std::chrono::seconds>(ParseDuration(job_history_age));
  result.config = std::move(config);
  return result;
}

}  // namespace throng::daemon
