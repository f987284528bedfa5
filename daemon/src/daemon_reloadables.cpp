#include "throng/daemon/daemon_reloadables.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <memory>

#include "throng/daemon/logging.h"

namespace throng::daemon {

std::vector<std::string> AllowTargetsOf(const DaemonConfig& config) {
  return config.allow_targets.empty() ? api::TargetPolicy::DefaultEntries() : config.allow_targets;
}

void AddDaemonReloadables(Reloader& reloader, const DaemonConfig& initial,
                          api::TargetPolicy& policy) {
  // Each setting keeps the value in force, to tell what a reload changed.
  auto level = std::make_shared<std::string>(initial.log_level);
  reloader.Add("log-level", [level](const DaemonConfig& next) {
    if (next.log_level == *level) return std::string();
    SetLogLevel(next.log_level);
    std::string change = fmt::format("log level {} -> {}", *level, next.log_level);
    *level = next.log_level;
    return change;
  });
  auto targets = std::make_shared<std::vector<std::string>>(AllowTargetsOf(initial));
  reloader.Add("allow-target", [targets, &policy](const DaemonConfig& next) {
    std::vector<std::string> entries = AllowTargetsOf(next);
    if (entries == *targets) return std::string();
    policy.Replace(entries);  // throws, naming the bad entry, before anything changes
    std::string change = fmt::format("allow-target list [{}] -> [{}]", fmt::join(*targets, ", "),
                                     fmt::join(entries, ", "));
    *targets = std::move(entries);
    return change;
  });
}

}  // namespace throng::daemon
