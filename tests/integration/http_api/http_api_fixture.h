// throngd with its HTTP port, a JSON-speaking client for it, and YAML scenarios for the demo
// backend, shared by the HTTP API tests.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "daemon_fixture.h"
#include "throng/test_support/http_test_client.h"

namespace throng::http_api_test {

using Json = nlohmann::json;
using test_support::HttpTestHeaders;
using test_support::HttpTestResponse;

/// A request to the daemon's HTTP port; `token` non-empty adds "Authorization: Bearer TOKEN".
/// POST bodies default to YAML.
inline HttpTestResponse Http(const daemon_test::Daemon& daemon, std::string_view method,
                             std::string_view target, std::string_view body = "",
                             const std::string& token = "", HttpTestHeaders headers = {},
                             std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
  bool typed = false;
  for (const auto& header : headers) typed = typed || header.first == "Content-Type";
  if (method == "POST" && !typed) headers.emplace_back("Content-Type", "application/yaml");
  return test_support::Request("127.0.0.1", daemon.metrics_port, method, target, body, headers,
                               timeout);
}

/// The body as JSON (null when it is not JSON, which fails the expectations that read it).
inline Json Body(const HttpTestResponse& response) {
  return Json::parse(response.body, nullptr, /*allow_exceptions=*/false);
}

/// The "error" object of an error response.
inline Json Error(const HttpTestResponse& response) {
  const Json body = Body(response);
  return body.is_object() && body.contains("error") ? body["error"] : Json::object();
}

/// A YAML scenario against `base_url`: users visiting GET /items/ (weight 2) and creating items
/// (weight 1) with 20 ms between tasks; `load` is the YAML of the load section's body.
inline std::string ItemsYaml(const std::string& base_url, const std::string& load) {
  return "name: console-items\n"
         "base_url: " +
         base_url +
         "\n"
         "user_classes:\n"
         "  - name: visitor\n"
         "    wait: {constant: 20ms}\n"
         "    tasks:\n"
         "      - {name: list, weight: 2, steps: [{request: {name: list items, path: /items/}}]}\n"
         "      - name: create\n"
         "        steps:\n"
         "          - request: {name: create item, method: POST, path: /items/,\n"
         "                      json: {title: console}, expect: {status: [201]}}\n"
         "load: " +
         load + "\n";
}

/// Server-Sent Events of `stream` as (event, data) pairs.
inline std::vector<std::pair<std::string, std::string>> Events(const std::string& stream) {
  std::vector<std::pair<std::string, std::string>> events;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = stream.find("\n\n", start);
    if (end == std::string::npos) break;
    const std::string block = stream.substr(start, end - start);
    start = end + 2;
    std::string event;
    std::string data;
    std::size_t line_start = 0;
    while (line_start < block.size()) {
      std::size_t line_end = block.find('\n', line_start);
      if (line_end == std::string::npos) line_end = block.size();
      const std::string line = block.substr(line_start, line_end - line_start);
      if (line.rfind("event: ", 0) == 0) event = line.substr(7);
      if (line.rfind("data: ", 0) == 0) data = line.substr(6);
      line_start = line_end + 1;
    }
    events.emplace_back(event, data);
  }
  return events;
}

}  // namespace throng::http_api_test
