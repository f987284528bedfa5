// The names of gRPC status codes, as every transport prints them.
#pragma once

#include <grpcpp/support/status_code_enum.h>

#include <string>

namespace throng::api {

/// "INVALID_ARGUMENT", "NOT_FOUND", ...; "CODE_<n>" for a code gRPC does not define.
std::string StatusCodeName(grpc::StatusCode code);

}  // namespace throng::api
