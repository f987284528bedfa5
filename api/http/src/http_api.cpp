#include "throng/api/http/http_api.h"

#include <boost/asio/ip/address.hpp>
#include <boost/beast/core/string.hpp>
#include <nlohmann/json.hpp>

#include "console_assets.h"
#include "http_errors.h"
#include "job_routes.h"
#include "request_target.h"
#include "scenario_library.h"

namespace throng::api::http {
namespace {

/// The host part of a Host header is loopback ("127.0.0.1:9400", "[::1]:9400", "localhost").
bool IsLoopbackHostHeader(std::string_view host) {
  if (host.empty()) return true;  // HTTP/1.0: no name to rebind
  std::string name(host);
  if (name.front() == '[') {
    const std::size_t close = name.find(']');
    if (close == std::string::npos) return false;
    name = name.substr(1, close - 1);
  } else if (const std::size_t colon = name.rfind(':'); colon != std::string::npos) {
    name = name.substr(0, colon);
  }
  if (name == "localhost") return true;
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(name, ec);
  return !ec && address.is_loopback();
}

/// POSTs must say they carry JSON or YAML: none of those is a CORS "simple" type, so a page on
/// another site cannot send one without a preflight, which this server never grants.
bool HasApiContentType(const Request& request) {
  std::string_view type = request[beast_http::field::content_type];
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  for (const char* allowed :
       {"application/json", "application/yaml", "application/x-yaml", "text/yaml"}) {
    if (boost::beast::iequals(type, allowed)) return true;
  }
  return false;
}

Reply Error(beast_http::status status, const char* code, const std::string& message) {
  return {ErrorResponse(status, code, message), nullptr};
}

class HttpApi {
 public:
  HttpApi(JobControl& control, const MetricsEndpoint& metrics, HttpApiOptions options)
      : metrics_(metrics),
        options_(std::move(options)),
        jobs_(control),
        library_(options_.scenario_dir) {}

  Reply Handle(const Request& request) const {
    const std::optional<RequestTarget> target = ParseTarget(request.target());
    if (!target) return Error(beast_http::status::bad_request, "BAD_TARGET", "bad request target");
    if (request.count(beast_http::field::host) > 1) {
      return Error(beast_http::status::bad_request, "BAD_HOST", "more than one Host header");
    }
    if (options_.require_loopback_host && !IsLoopbackHostHeader(request[beast_http::field::host])) {
      return Error(beast_http::status::forbidden, "BAD_HOST",
                   "this port listens on loopback: the Host header must name a loopback address");
    }
    const auto& segments = target->segments;
    if (segments.size() == 1 && segments[0] == "metrics") return Metrics(request);
    if (!options_.api_refusal.empty()) {
      return Error(beast_http::status::forbidden, "API_DISABLED", options_.api_refusal);
    }
    if (!segments.empty() && segments[0] == "api") return Api(request, *target);
    return Asset(request, *target);
  }

 private:
  Reply Metrics(const Request& request) const {
    if (request.method() != beast_http::verb::get) return MethodNotAllowed("GET");
    return {MakeResponse(beast_http::status::ok, "text/plain; version=0.0.4; charset=utf-8",
                         metrics_.Scrape()),
            nullptr};
  }

  Reply Api(const Request& request, const RequestTarget& target) const {
    const auto& segments = target.segments;
    if (segments.size() < 3 || segments[1] != "v1") {
      return Error(beast_http::status::not_found, "NOT_FOUND", "no such route: " + target.path);
    }
    const bool read = request.method() == beast_http::verb::get;
    if (options_.authorizer != nullptr) {
      const grpc::Status status = options_.authorizer->AuthorizeHeader(
          request[beast_http::field::authorization], read ? Action::kRead : Action::kControl);
      if (!status.ok()) return {StatusResponse(status), nullptr};
    }
    if (request.method() == beast_http::verb::post && !HasApiContentType(request)) {
      return Error(beast_http::status::unsupported_media_type, "UNSUPPORTED_MEDIA_TYPE",
                   "Content-Type must be application/json or application/yaml");
    }
    if (segments[2] == "jobs") return jobs_.Handle(request, target);
    if (segments[2] == "scenarios") return Scenarios(request, target);
    return Error(beast_http::status::not_found, "NOT_FOUND", "no such route: " + target.path);
  }

  Reply Scenarios(const Request& request, const RequestTarget& target) const {
    if (request.method() != beast_http::verb::get) return MethodNotAllowed("GET");
    if (target.segments.size() == 3) {
      nlohmann::json list = nlohmann::json::array();
      for (const ScenarioLibrary::Entry& entry : library_.List()) {
        list.push_back({{"name", entry.name}, {"bytes", entry.bytes}});
      }
      return JsonReply(
          beast_http::status::ok,
          nlohmann::json{{"configured", library_.configured()}, {"scenarios", list}}.dump());
    }
    if (target.segments.size() == 4) {
      if (std::optional<std::string> text = library_.Read(target.segments[3])) {
        return {MakeResponse(beast_http::status::ok, "application/yaml; charset=utf-8",
                             std::move(*text)),
                nullptr};
      }
      return Error(beast_http::status::not_found, "NOT_FOUND",
                   "name: no scenario '" + target.segments[3] + "' in --scenario-dir");
    }
    return Error(beast_http::status::not_found, "NOT_FOUND", "no such route: " + target.path);
  }

  Reply Asset(const Request& request, const RequestTarget& target) const {
    const ConsoleAsset* asset = FindConsoleAsset(target.path);
    if (asset == nullptr) {
      return Error(beast_http::status::not_found, "NOT_FOUND", "no such page: " + target.path);
    }
    if (request.method() != beast_http::verb::get) return MethodNotAllowed("GET");
    Response response = MakeResponse(beast_http::status::ok, std::string(asset->content_type),
                                     std::string(asset->body));
    response.set(beast_http::field::cache_control, "no-cache");
    response.set("X-Content-Type-Options", "nosniff");
    response.set("Content-Security-Policy",
                 "default-src 'self'; img-src 'self' data: blob:; style-src 'self' "
                 "'unsafe-inline'; frame-ancestors 'none'");
    return {std::move(response), nullptr};
  }

  const MetricsEndpoint& metrics_;
  const HttpApiOptions options_;
  const JobRoutes jobs_;
  const ScenarioLibrary library_;
};

}  // namespace

Handler MakeHttpApi(JobControl& control, const MetricsEndpoint& metrics, HttpApiOptions options) {
  auto api = std::make_shared<const HttpApi>(control, metrics, std::move(options));
  return [api](const Request& request) { return api->Handle(request); };
}

}  // namespace throng::api::http
