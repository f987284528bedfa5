#pragma once

#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace demo {

namespace http = boost::beast::http;
using Json = nlohmann::json;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

/// What a handler sees: the request plus the path parameters captured by the route pattern.
struct RequestContext {
  const Request& request;
  std::vector<std::string_view> params;  // in pattern order, views into the request target
  std::string_view query;                // after '?', without it
};

/// A JSON response with `status`.
Response JsonResponse(http::status status, const Json& body);
/// A FastAPI-style error: {"detail": detail}.
Response ErrorResponse(http::status status, std::string_view detail);
/// 204 No Content.
Response EmptyResponse(http::status status);

/// Value of query parameter `name` (URL-decoded), or `fallback` when absent.
std::string QueryParam(std::string_view query, std::string_view name, std::string_view fallback);
/// Finds field `name` in an application/x-www-form-urlencoded string and URL-decodes it into
/// `value`; false when the field is absent.
bool FormField(std::string_view body, std::string_view name, std::string& value);
/// Parses a non-negative decimal integer; false on anything else (sign, junk, overflow).
bool ParseIndex(std::string_view text, long long& value);

/// Parses path parameter `index` as an id; on failure sets `error` to a 422 naming `name`.
bool PathId(const RequestContext& ctx, size_t index, std::string_view name, long long& id,
            Response& error);

}  // namespace demo
