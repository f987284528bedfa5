// The service's settings from throngd's flags.
#pragma once

#include "throng/api/service/service.h"
#include "throng/daemon/config.h"

namespace throng::daemon {

/// The one ServiceOptions the daemon hands to LoadTesterService: `authorizer` (may be null,
/// must outlive the service), the spec limits and policy (--max-*, --allow-env, --feeder-dir)
/// and the daemon-wide limits of `config`.
api::ServiceOptions ServiceOptionsOf(const DaemonConfig& config, const api::Authorizer* authorizer);

}  // namespace throng::daemon
