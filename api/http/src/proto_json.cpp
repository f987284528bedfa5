#include "proto_json.h"

#include <google/protobuf/util/json_util.h>

namespace throng::api::http {

std::string ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string json;
  const auto status = google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) throw std::runtime_error("JSON mapping: " + std::string(status.message()));
  return json;
}

grpc::Status FromJson(std::string_view json, google::protobuf::Message& message,
                      const std::string& what) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), &message, options);
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                      what + ": " + std::string(status.message()));
}

}  // namespace throng::api::http
