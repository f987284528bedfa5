// The settings throngd itself reloads on SIGHUP: the log level and the allow-target list.
#pragma once

#include "throng/api/service/target_policy.h"
#include "throng/daemon/config.h"
#include "throng/daemon/reloader.h"

namespace throng::daemon {

/// Registers on `reloader` the log level (SetLogLevel) and the --allow-target list (swapped into
/// `policy`, which must outlive the reloader's use), starting from the values in `initial`.
void AddDaemonReloadables(Reloader& reloader, const DaemonConfig& initial,
                          api::TargetPolicy& policy);

/// The allow-target list a config stands for (its --allow-target entries, or the default list).
std::vector<std::string> AllowTargetsOf(const DaemonConfig& config);

}  // namespace throng::daemon
