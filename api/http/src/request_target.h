// The path and query parameters of a request target.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace throng::api::http {

/// "/api/v1/jobs/abc/report?format=csv" split into its percent-decoded path segments and query
/// parameters (the last value of a repeated name wins; `all` keeps every value). Plain value
/// type.
struct RequestTarget {
  std::string path;
  std::vector<std::string> segments;
  std::map<std::string, std::string> query;
  std::multimap<std::string, std::string> all;

  /// The parameter or nullopt.
  std::optional<std::string> Param(const std::string& name) const;
};

/// Parses `target`; nullopt when it is not an origin-form target ("/..."), has a bad percent
/// escape, or a decoded segment is "." or ".." or contains '/' or NUL.
std::optional<RequestTarget> ParseTarget(std::string_view target);

}  // namespace throng::api::http
