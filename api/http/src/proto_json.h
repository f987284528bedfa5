// v1 messages <-> JSON through protobuf's JSON mapping (one schema for files, RPCs and HTTP).
#pragma once

#include <google/protobuf/message.h>
#include <grpcpp/support/status.h>

#include <string>
#include <string_view>

namespace throng::api::http {

/// `message` as JSON with the proto field names (snake_case, as in scenario files) and every
/// field printed, zeros included, so a client never has to guess a default.
std::string ToJson(const google::protobuf::Message& message);

/// Parses `json` into `message` (unknown fields refused); INVALID_ARGUMENT naming `what` with
/// protobuf's reason otherwise.
grpc::Status FromJson(std::string_view json, google::protobuf::Message& message,
                      const std::string& what);

}  // namespace throng::api::http
