#include "throng/daemon/reloader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "throng/daemon/daemon_reloadables.h"
#include "throng/daemon/data_dir_lock.h"
#include "throng/test_support/temp_dir.h"

namespace throng::daemon {
namespace {

using throng::test_support::TempDir;

TEST(ReloaderTest, AppliesEverySettingAndCollectsChangesAndRefusals) {
  Reloader reloader;
  int calls = 0;
  reloader.Add("quiet", [&](const DaemonConfig&) {
    ++calls;
    return std::string();
  });
  reloader.Add("refusing", [&](const DaemonConfig&) -> std::string {
    ++calls;
    throw std::invalid_argument("no such value");
  });
  reloader.Add("changing", [&](const DaemonConfig& next) {
    ++calls;
    return "threads -> " + std::to_string(next.threads);
  });
  DaemonConfig next;
  next.threads = 7;
  const Reloader::Outcome outcome = reloader.Apply(next);
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(outcome.changed, std::vector<std::string>{"threads -> 7"});
  EXPECT_EQ(outcome.refused, std::vector<std::string>{"refusing: no such value"});
}

TEST(ReloaderTest, RereadsTheConfigFileWithTheFlagsStillWinning) {
  TempDir dir;
  const std::filesystem::path file = dir.path() / "throngd.yaml";
  std::ofstream(file) << "log_level: warn\nthreads: 2\n";
  DaemonConfig current;
  current.command_line = {"--config", file.string(), "--threads", "3"};
  std::ofstream(file, std::ios::trunc) << "log_level: debug\nthreads: 5\n";
  std::string error;
  const std::optional<DaemonConfig> next = RereadConfig(current, error);
  ASSERT_TRUE(next) << error;
  EXPECT_EQ(next->log_level, "debug");
  EXPECT_EQ(next->threads, 3u);
  std::ofstream(file, std::ios::trunc) << "log_level: [not, a, level]\n";
  EXPECT_FALSE(RereadConfig(current, error));
  EXPECT_NE(error.find("log"), std::string::npos) << error;
}

TEST(ReloaderTest, AllowListIsSwappedOnlyWhenItChangesAndABadEntryKeepsTheOldOne) {
  DaemonConfig initial;
  initial.log_level = "info";
  api::TargetPolicy policy(AllowTargetsOf(initial));
  Reloader reloader;
  AddDaemonReloadables(reloader, initial, policy);
  EXPECT_TRUE(reloader.Apply(initial).changed.empty());

  DaemonConfig next = initial;
  next.allow_targets = {"127.0.0.2"};
  Reloader::Outcome outcome = reloader.Apply(next);
  ASSERT_EQ(outcome.changed.size(), 1u);
  EXPECT_EQ(outcome.changed[0], "allow-target list [127.0.0.0/8, ::1, localhost] -> [127.0.0.2]");
  EXPECT_TRUE(policy.Denial("127.0.0.1").has_value());
  EXPECT_FALSE(policy.Denial("127.0.0.2").has_value());

  next.allow_targets = {"300.1.2.3/8"};
  outcome = reloader.Apply(next);
  ASSERT_EQ(outcome.refused.size(), 1u);
  EXPECT_NE(outcome.refused[0].find("allow-target: bad CIDR network '300.1.2.3/8'"),
            std::string::npos)
      << outcome.refused[0];
  EXPECT_FALSE(policy.Denial("127.0.0.2").has_value());  // the old list stays
}

TEST(DataDirLockTest, ASecondLockOnTheSameDirectoryNamesTheHolder) {
  TempDir dir;
  {
    const DataDirLock first(dir.path() / "data");
    try {
      const DataDirLock second(dir.path() / "data");
      FAIL() << "two locks on one data dir";
    } catch (const DataDirLockedError& e) {
      EXPECT_NE(std::string(e.what()).find("pid " + std::to_string(getpid())), std::string::npos)
          << e.what();
    }
  }
  // Released with its holder.
  EXPECT_NO_THROW(DataDirLock(dir.path() / "data"));
}

}  // namespace
}  // namespace throng::daemon
