// Decoding a request's bytes in the service itself, so a message gRPC could not parse gets an
// answer that says why (gRPC's own deserialisation answers with an empty status).
#pragma once

#include <google/protobuf/message.h>
#include <grpcpp/grpcpp.h>

namespace throng::api {

/// Protobuf's parse limit on messages nested inside each other (CodedInputStream's default,
/// which gRPC's own deserialisation uses too).
inline constexpr int kProtobufNestingLimit = 100;

/// Parses `bytes` into `message` with protobuf's default recursion limit. A message nested
/// deeper than kProtobufNestingLimit answers RESOURCE_EXHAUSTED naming the limit; other
/// undecodable bytes INVALID_ARGUMENT naming the message type. Thread-safe.
grpc::Status ParseRequest(const grpc::ByteBuffer& bytes, google::protobuf::Message& message);

/// True when `bytes`, read as a `type` message, nests messages more than `limit` levels deep.
/// Iterative (an explicit stack, no recursion on the input's depth), so any input is safe; stops
/// at the first level past `limit`. Malformed bytes below that depth answer false.
bool NestedDeeperThan(const std::string& bytes, const google::protobuf::Descriptor& type,
                      int limit);

/// True when `bytes` are a well-formed `type` message at the wire level: every tag, length and
/// nested message of a known message field reads to its end, within kProtobufNestingLimit
/// levels (strings' contents are not checked). For bytes kept by the daemon itself and sent as
/// they are (GetReport's stored reports), so a damaged row is never passed on.
bool WellFormed(const std::string& bytes, const google::protobuf::Descriptor& type);

/// Serializes `message` into `bytes` for a raw-callback method's response.
grpc::Status SerializeResponse(const google::protobuf::Message& message, grpc::ByteBuffer& bytes);

}  // namespace throng::api
