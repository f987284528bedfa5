// What SIGHUP reloads: a list of reloadable settings, each applied from a freshly read config.
#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "throng/daemon/config.h"

namespace throng::daemon {

/// The settings a running daemon can change without a restart. Each part of the daemon that owns
/// such a setting registers a Reload function; on SIGHUP the daemon parses its command line again
/// (re-reading --config) and hands the new config to every one of them, in registration order.
/// A Reload returns a one-line description of what it changed ("log level info -> debug"), or
/// an empty string when nothing did; it throws std::exception to refuse a value (the old one
/// stays, the others are still applied). Settings not registered (listen addresses, data
/// directory, threads) need a restart. Thread-safe.
class Reloader {
 public:
  using Reload = std::function<std::string(const DaemonConfig& next)>;

  /// What one reload did: the changes and the refusals, each one line naming the setting.
  struct Outcome {
    std::vector<std::string> changed;
    std::vector<std::string> refused;
  };

  /// Registers the setting `name` (used in refusal messages).
  void Add(std::string name, Reload reload);
  /// Applies `next` to every registered setting.
  Outcome Apply(const DaemonConfig& next);

 private:
  struct Entry {
    std::string name;
    Reload reload;
  };
  std::mutex mutex_;
  std::vector<Entry> entries_;  // guarded by mutex_
};

/// Parses `current.command_line` again (re-reading --config). nullopt, with the reason in
/// `error`, when the flags or the file no longer parse.
std::optional<DaemonConfig> RereadConfig(const DaemonConfig& current, std::string& error);

/// Handles one SIGHUP: rereads the config, applies it with `reloader` and logs every change and
/// refusal (or that nothing changed). Never throws.
void ReloadOnSignal(const DaemonConfig& current, Reloader& reloader);

}  // namespace throng::daemon
