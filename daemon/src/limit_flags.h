// The --max-* flags of throngd (docs/limits.md).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "throng/daemon/config.h"

namespace throng::daemon {

/// Adds every limit flag to `app`, writing into `config`; --max-job-duration and
/// --job-history-age go to the strings as text (checked by `check_duration`).
void AddLimitFlags(CLI::App& app, DaemonConfig& config, std::string& max_job_duration,
                   std::string& job_history_age, const CLI::Validator& check_duration);

}  // namespace throng::daemon
