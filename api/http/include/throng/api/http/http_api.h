// What throngd's HTTP port answers: /metrics, the JSON API under /api/v1/ and the console at /.
#pragma once

#include <filesystem>
#include <string>

#include "throng/api/http/http_types.h"
#include "throng/api/http/metrics_endpoint.h"
#include "throng/api/service/authorizer.h"
#include "throng/api/service/job_control.h"

namespace throng::api::http {

/// The daemon's settings for its HTTP port.
struct HttpApiOptions {
  /// Asked for every /api/v1/ request with its Authorization header (reads: kRead; everything
  /// else: kControl). Null or disabled: no token needed. /metrics and the console's static files
  /// never need one (they control nothing and hold no job data).
  const Authorizer* authorizer = nullptr;
  /// Empty: the JSON API and the console are served. Otherwise why they are not (the port is
  /// reachable beyond loopback without TLS): only /metrics answers, the rest is 403 with this.
  std::string api_refusal;
  /// The port listens on loopback only: requests must name a loopback Host (127.0.0.0/8, [::1],
  /// localhost), which defeats DNS rebinding from a web page.
  bool require_loopback_host = true;
  /// --scenario-dir: the library the console's start form offers; empty: none.
  std::filesystem::path scenario_dir;
};

/// The handler for HttpServer. Mutating API calls need a JSON or YAML Content-Type (a browser
/// form on another site cannot send one without CORS' preflight, which is never granted), so a
/// web page cannot submit or stop jobs behind the user's back. `control` and `metrics` must
/// outlive the handler; the handler is thread-safe.
Handler MakeHttpApi(JobControl& control, const MetricsEndpoint& metrics, HttpApiOptions options);

}  // namespace throng::api::http
