#include "throng/daemon/config.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace throng::daemon {
namespace {

namespace fs = std::filesystem;

ParsedCommandLine Parse(std::vector<std::string> args) {
  args.insert(args.begin(), "throngd");
  std::vector<const char*> argv;
  for (const auto& arg : args) argv.push_back(arg.c_str());
  return ParseCommandLine(static_cast<int>(argv.size()), argv.data());
}

/// A config file removed at the end of the test.
class ConfigFile {
 public:
  explicit ConfigFile(const std::string& text) {
    std::string pattern = (fs::temp_directory_path() / "throngd-config-XXXXXX").string();
    const int fd = mkstemp(pattern.data());
    if (fd < 0) throw std::runtime_error("mkstemp failed");
    close(fd);
    path_ = pattern;
    std::ofstream(path_) << text;
  }
  ~ConfigFile() { fs::remove(path_); }
  std::string path() const { return path_.string(); }

 private:
  fs::path path_;
};

TEST(ConfigTest, Defaults) {
  const ParsedCommandLine parsed = Parse({});
  ASSERT_TRUE(parsed.config) << parsed.message;
  const DaemonConfig& config = *parsed.config;
  EXPECT_EQ(config.grpc_listen, "127.0.0.1:7400");
  EXPECT_EQ(config.metrics_listen, "127.0.0.1:9400");
  EXPECT_GE(config.threads, 1u);
  EXPECT_EQ(config.data_dir, fs::path("./throng-data"));
  EXPECT_EQ(config.log_level, "info");
  EXPECT_EQ(config.log_format, LogFormat::kText);
  EXPECT_TRUE(config.allow_targets.empty());
  EXPECT_EQ(config.finished_job_retention, std::chrono::minutes(10));
  EXPECT_EQ(config.checkpoint_interval, std::chrono::seconds(5));
}

TEST(ConfigTest, Flags) {
  const ParsedCommandLine parsed =
      Parse({"--grpc-listen", "127.0.0.1:0", "--threads", "3", "--log-format", "json",
             "--allow-target", "10.0.0.0/8", "--allow-target", "staging.local",
             "--finished-job-retention", "90s", "--data-dir", "/var/lib/throng"});
  ASSERT_TRUE(parsed.config) << parsed.message;
  EXPECT_EQ(parsed.config->grpc_listen, "127.0.0.1:0");
  EXPECT_EQ(parsed.config->threads, 3u);
  EXPECT_EQ(parsed.config->log_format, LogFormat::kJson);
  EXPECT_EQ(parsed.config->allow_targets,
            (std::vector<std::string>{"10.0.0.0/8", "staging.local"}));
  EXPECT_EQ(parsed.config->finished_job_retention, std::chrono::seconds(90));
  EXPECT_EQ(parsed.config->data_dir, fs::path("/var/lib/throng"));
}

TEST(ConfigTest, YamlFileWithFlagsOverriding) {
  const ConfigFile file(
      "grpc_listen: 127.0.0.1:7500\n"
      "metrics-listen: 127.0.0.1:9500\n"
      "log_level: debug\n"
      "allow_target:\n  - 192.0.2.0/24\n  - ::1\n"
      "finished_job_retention: 1h\n");
  const ParsedCommandLine parsed =
      Parse({"--config", file.path(), "--metrics-listen", "127.0.0.1:0"});
  ASSERT_TRUE(parsed.config) << parsed.message;
  EXPECT_EQ(parsed.config->grpc_listen, "127.0.0.1:7500");
  EXPECT_EQ(parsed.config->metrics_listen, "127.0.0.1:0");  // the flag wins
  EXPECT_EQ(parsed.config->log_level, "debug");
  EXPECT_EQ(parsed.config->allow_targets, (std::vector<std::string>{"192.0.2.0/24", "::1"}));
  EXPECT_EQ(parsed.config->finished_job_retention, std::chrono::hours(1));
}

TEST(ConfigTest, BadValuesExit2NamingTheFlag) {
  for (const auto& [args, flag] : std::vector<std::pair<std::vector<std::string>, std::string>>{
           {{"--log-level", "loud"}, "--log-level"},
           {{"--log-format", "xml"}, "--log-format"},
           {{"--threads", "0"}, "--threads"},
           {{"--finished-job-retention", "10 parsecs"}, "--finished-job-retention"},
           {{"--checkpoint-interval", "500ms"}, "--checkpoint-interval"},
           {{"--checkpoint-interval", "2h"}, "--checkpoint-interval"},
           {{"--checkpoint-interval", "soon"}, "--checkpoint-interval"},
           {{"--no-such-flag"}, "--no-such-flag"},
       }) {
    const ParsedCommandLine parsed = Parse(args);
    EXPECT_FALSE(parsed.config) << flag;
    EXPECT_EQ(parsed.exit_code, 2) << flag;
    EXPECT_NE(parsed.message.find(flag), std::string::npos) << parsed.message;
  }
}

TEST(ConfigTest, BadConfigFilesExit2) {
  const ConfigFile unknown_key("grpc_listen: 127.0.0.1:1\nno_such_key: 1\n");
  const ConfigFile bad_value("threads: many\n");
  const ConfigFile not_a_map("- a\n- b\n");
  for (const std::string& path :
       {unknown_key.path(), bad_value.path(), not_a_map.path(), std::string("/nonexistent.yaml")}) {
    const ParsedCommandLine parsed = Parse({"--config", path});
    EXPECT_FALSE(parsed.config) << path;
    EXPECT_EQ(parsed.exit_code, 2) << path;
    EXPECT_FALSE(parsed.message.empty());
  }
}

TEST(ConfigTest, HelpExits0) {
  const ParsedCommandLine parsed = Parse({"--help"});
  EXPECT_FALSE(parsed.config);
  EXPECT_EQ(parsed.exit_code, 0);
  EXPECT_NE(parsed.message.find("--allow-target"), std::string::npos);
}

TEST(ConfigTest, Durations) {
  EXPECT_EQ(ParseDuration("500ms"), std::chrono::milliseconds(500));
  EXPECT_EQ(ParseDuration("30s"), std::chrono::seconds(30));
  // One grammar with throngctl and scenario files: a number needs its unit.
  EXPECT_THROW(ParseDuration("30"), std::invalid_argument);
  EXPECT_EQ(ParseDuration("1.5m"), std::chrono::seconds(90));
  EXPECT_EQ(ParseDuration("2h"), std::chrono::hours(2));
  EXPECT_THROW(ParseDuration(""), std::invalid_argument);
  EXPECT_THROW(ParseDuration("-1s"), std::invalid_argument);
  EXPECT_THROW(ParseDuration("5d"), std::invalid_argument);
}

TEST(ConfigTest, CheckpointIntervalIsOffAtZeroAndBoundedOtherwise) {
  EXPECT_EQ(Parse({"--checkpoint-interval", "0"}).config->checkpoint_interval.count(), 0);
  EXPECT_EQ(Parse({"--checkpoint-interval", "1s"}).config->checkpoint_interval,
            std::chrono::seconds(1));
  EXPECT_EQ(Parse({"--checkpoint-interval", "1h"}).config->checkpoint_interval,
            std::chrono::hours(1));
  const ParsedCommandLine refused = Parse({"--checkpoint-interval", "500ms"});
  EXPECT_NE(refused.message.find("between 1s and 1h"), std::string::npos) << refused.message;
}

TEST(ConfigTest, KeepsItsCommandLineForReloads) {
  const ParsedCommandLine parsed = Parse({"--threads", "2", "--log-level", "warn"});
  ASSERT_TRUE(parsed.config);
  EXPECT_EQ(parsed.config->command_line,
            (std::vector<std::string>{"--threads", "2", "--log-level", "warn"}));
}

}  // namespace
}  // namespace throng::daemon
