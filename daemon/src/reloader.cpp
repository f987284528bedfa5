#include "throng/daemon/reloader.h"

#include <spdlog/spdlog.h>

#include <exception>

namespace throng::daemon {

void Reloader::Add(std::string name, Reload reload) {
  std::lock_guard lock(mutex_);
  entries_.push_back({std::move(name), std::move(reload)});
}

Reloader::Outcome Reloader::Apply(const DaemonConfig& next) {
  std::lock_guard lock(mutex_);
  Outcome outcome;
  for (const Entry& entry : entries_) {
    try {
      if (std::string change = entry.reload(next); !change.empty()) {
        outcome.changed.push_back(std::move(change));
      }
    } catch (const std::exception& e) {
      outcome.refused.push_back(entry.name + ": " + e.what());
    }
  }
  return outcome;
}

std::optional<DaemonConfig> RereadConfig(const DaemonConfig& current, std::string& error) {
  std::vector<const char*> argv{"throngd"};
  for (const std::string& arg : current.command_line) argv.push_back(arg.c_str());
  ParsedCommandLine parsed = ParseCommandLine(static_cast<int>(argv.size()), argv.data());
  if (!parsed.config) {
    error = parsed.message;
    while (!error.empty() && error.back() == '\n') error.pop_back();
    return std::nullopt;
  }
  return std::move(parsed.config);
}

void ReloadOnSignal(const DaemonConfig& current, Reloader& reloader) {
  try {
    std::string error;
    const std::optional<DaemonConfig> next = RereadConfig(current, error);
    if (!next) {
      spdlog::error("SIGHUP: config not reloaded, nothing changed: {}", error);
      return;
    }
    const Reloader::Outcome outcome = reloader.Apply(*next);
    // Warn, so a change shows even when the new level hides info lines.
    for (const std::string& change : outcome.changed) spdlog::warn("SIGHUP: {}", change);
    for (const std::string& refusal : outcome.refused) {
      spdlog::error("SIGHUP: kept the old value of {}", refusal);
    }
    if (outcome.changed.empty() && outcome.refused.empty()) {
      spdlog::info("SIGHUP: config reloaded; nothing changed");
    }
  } catch (const std::exception& e) {
    spdlog::error("SIGHUP: reload failed: {}", e.what());
  }
}

}  // namespace throng::daemon
