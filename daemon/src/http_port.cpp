#include "http_port.h"

#include "throng/api/http/http_api.h"
#include "throng/daemon/daemon.h"
#include "throng/daemon/security.h"

namespace throng::daemon {

std::optional<std::string> HttpApiRefusal(const DaemonConfig& config) {
  if (config.insecure || IsLoopbackHost(HostOf(config.metrics_listen))) return std::nullopt;
  return "the JSON API and the console are served on a loopback --metrics-listen only (this port "
         "has no TLS); /metrics is open here. Use the gRPC port, or pass --insecure";
}

std::unique_ptr<api::http::HttpServer> StartHttpPort(const DaemonConfig& config,
                                                     api::JobControl& control,
                                                     const api::http::MetricsEndpoint& metrics,
                                                     const api::Authorizer& authorizer) {
  api::http::HttpApiOptions options;
  options.authorizer = &authorizer;
  options.api_refusal = HttpApiRefusal(config).value_or("");
  options.require_loopback_host = IsLoopbackHost(HostOf(config.metrics_listen));
  options.scenario_dir = config.scenario_dir;
  try {
    auto server = std::make_unique<api::http::HttpServer>(
        api::http::ParseListenAddress(config.metrics_listen), api::http::HttpServerOptions{},
        api::http::MakeHttpApi(control, metrics, std::move(options)));
    server->Start();
    return server;
  } catch (const std::exception& e) {
    throw BindError("--metrics-listen " + config.metrics_listen + ": cannot listen (" + e.what() +
                    ")");
  }
}

}  // namespace throng::daemon
