#include "http_errors.h"

#include <nlohmann/json.hpp>

#include "throng/api/common/status_names.h"

namespace throng::api::http {
Response MakeResponse(beast_http::status status, std::string content_type, std::string body) {
  Response response(status, 11);
  response.set(beast_http::field::content_type, content_type);
  response.set(beast_http::field::server, "throngd");
  response.body() = std::move(body);
  return response;
}

Response ErrorResponse(beast_http::status status, const std::string& code,
                       const std::string& message, const std::string& field) {
  nlohmann::json error = {{"code", code}, {"message", message}};
  if (!field.empty()) error["field"] = field;
  // Invalid UTF-8 in a message (echoed input) is replaced rather than thrown on.
  return MakeResponse(status, "application/json",
                      nlohmann::json{{"error", error}}.dump(
                          -1, ' ', false, nlohmann::json::error_handler_t::replace));
}

beast_http::status HttpStatusOf(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return beast_http::status::ok;
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::OUT_OF_RANGE:
      return beast_http::status::bad_request;
    case grpc::StatusCode::UNAUTHENTICATED:
      return beast_http::status::unauthorized;
    case grpc::StatusCode::PERMISSION_DENIED:
      return beast_http::status::forbidden;
    case grpc::StatusCode::NOT_FOUND:
      return beast_http::status::not_found;
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::ALREADY_EXISTS:
      return beast_http::status::conflict;
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return beast_http::status::too_many_requests;
    case grpc::StatusCode::UNIMPLEMENTED:
      return beast_http::status::not_implemented;
    case grpc::StatusCode::UNAVAILABLE:
      return beast_http::status::service_unavailable;
    default:
      return beast_http::status::internal_server_error;
  }
}

std::string FieldPathOf(const std::string& message) {
  const std::size_t colon = message.find(": ");
  if (colon == std::string::npos || colon == 0) return "";
  const std::string path = message.substr(0, colon);
  // A path is identifiers, dots and [index]; anything else (spaces, quotes) is prose.
  for (char c : path) {
    const bool ok =
        std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '[' || c == ']';
    if (!ok) return "";
  }
  return path;
}

Response StatusResponse(const grpc::Status& status) {
  Response response =
      ErrorResponse(HttpStatusOf(status.error_code()), StatusCodeName(status.error_code()),
                    status.error_message(), FieldPathOf(status.error_message()));
  if (status.error_code() == grpc::StatusCode::UNAUTHENTICATED) {
    response.set(beast_http::field::www_authenticate, "Bearer");
  }
  return response;
}

}  // namespace throng::api::http
