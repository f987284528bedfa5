// The --max-* flags of throngd (docs/limits.md).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "throng/daemon/config.h"

namespace throng::daemon {

/// Adds every limit flag to `app`, writing into `config`; --max-job-duration goes to
/// `max_job_duration` as text (checked by the caller's duration validator `check_duration`).
void AddLimitFlags(CLI::App& app, DaemonConfig& config, std::string& max_job_duration,
                   const CLI::Validator& check_duration);

}  // namespace throng::daemon
