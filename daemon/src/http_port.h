// throngd's HTTP port (--metrics-listen): /metrics, the JSON API and the web console.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "throng/api/http/http_server.h"
#include "throng/api/http/metrics_endpoint.h"
#include "throng/api/service/authorizer.h"
#include "throng/api/service/job_control.h"
#include "throng/daemon/config.h"

namespace throng::daemon {

/// Why the JSON API and the console are not served on --metrics-listen (it is reachable beyond
/// loopback and this port has no TLS; --insecure serves them anyway); nullopt when they are.
std::optional<std::string> HttpApiRefusal(const DaemonConfig& config);

/// Binds --metrics-listen and starts serving `metrics`, and (unless HttpApiRefusal) the JSON API
/// over `control` with `authorizer`'s tokens and the console. Throws BindError naming the flag
/// when the address cannot be bound. The referenced objects must outlive the server.
std::unique_ptr<api::http::HttpServer> StartHttpPort(const DaemonConfig& config,
                                                     api::JobControl& control,
                                                     const api::http::MetricsEndpoint& metrics,
                                                     const api::Authorizer& authorizer);

}  // namespace throng::daemon
