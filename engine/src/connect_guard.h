// The allow-list check the Beast sender runs between resolving and connecting.
#pragma once

#include <optional>
#include <string>

#include "throng/engine/host_resolver.h"
#include "throng/engine/target_guard.h"

namespace throng::engine {

/// Why `guard` refuses `host` at `endpoints` ("host: ..." wording from the guard), or nullopt
/// when it allows them or `guard` is null. Thread-safe if the guard is.
std::optional<std::string> ConnectDenial(const TargetGuard* guard, const std::string& host,
                                         const HostResolver::Endpoints& endpoints);

}  // namespace throng::engine
