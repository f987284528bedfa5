// JSON error responses shared by the server and the routes.
#pragma once

#include <grpcpp/support/status.h>

#include <string>

#include "throng/api/http/http_types.h"

namespace throng::api::http {

/// {"error": {"code": CODE, "message": MESSAGE, "field": FIELD}} with `status`; "field" only
/// when `field` is non-empty.
Response ErrorResponse(beast_http::status status, const std::string& code,
                       const std::string& message, const std::string& field = "");

/// The HTTP status for a gRPC status code: INVALID_ARGUMENT 400, UNAUTHENTICATED 401,
/// PERMISSION_DENIED 403, NOT_FOUND 404, FAILED_PRECONDITION and ALREADY_EXISTS 409,
/// RESOURCE_EXHAUSTED 429, UNIMPLEMENTED 501, UNAVAILABLE 503, anything else 500.
beast_http::status HttpStatusOf(grpc::StatusCode code);

/// ErrorResponse for a failed `status`. For INVALID_ARGUMENT (and RESOURCE_EXHAUSTED and
/// PERMISSION_DENIED naming a field) whose message is "field.path: what", "field" is the path.
Response StatusResponse(const grpc::Status& status);

/// "field.path" of a message "field.path: what", or "" when it does not start with a path.
std::string FieldPathOf(const std::string& message);

}  // namespace throng::api::http
