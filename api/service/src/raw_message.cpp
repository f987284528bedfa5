#include "raw_message.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>
#include <grpcpp/impl/codegen/proto_utils.h>
#include <grpcpp/support/proto_buffer_reader.h>
#include <grpcpp/support/proto_buffer_writer.h>

#include <string>
#include <vector>

namespace throng::api {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::internal::WireFormatLite;
using google::protobuf::io::CodedInputStream;

std::string Flatten(const grpc::ByteBuffer& bytes) {
  std::vector<grpc::Slice> slices;
  std::string flat;
  if (!bytes.Dump(&slices).ok()) return flat;
  for (const grpc::Slice& slice : slices) {
    flat.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return flat;
}

}  // namespace

namespace {
enum class Walk { kWellFormed, kMalformed, kTooDeep };

// Reads `bytes` as a `type` message, descending into known message fields, with an explicit
// stack; stops at the first level past `limit` or the first malformed field.
Walk WalkMessage(const std::string& bytes, const Descriptor& type, int limit) {
  CodedInputStream in(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                      static_cast<int>(bytes.size()));
  struct Level {
    const Descriptor* type;
    CodedInputStream::Limit outer;  // the enclosing level's limit, restored when this one ends
  };
  std::vector<Level> levels{{&type, in.PushLimit(static_cast<int>(bytes.size()))}};
  while (!levels.empty()) {
    if (in.BytesUntilLimit() == 0) {
      in.PopLimit(levels.back().outer);
      levels.pop_back();
      continue;
    }
    const std::uint32_t tag = in.ReadTag();
    if (tag == 0) return Walk::kMalformed;  // truncated, or a zero tag
    const FieldDescriptor* field = levels.back().type->FindFieldByNumber(
        static_cast<int>(WireFormatLite::GetTagFieldNumber(tag)));
    const bool nested =
        field != nullptr && field->type() == FieldDescriptor::TYPE_MESSAGE &&
        WireFormatLite::GetTagWireType(tag) == WireFormatLite::WIRETYPE_LENGTH_DELIMITED;
    if (!nested) {
      if (!WireFormatLite::SkipField(&in, tag)) return Walk::kMalformed;  // groups: bounded
      continue;
    }
    std::uint32_t length = 0;
    if (!in.ReadVarint32(&length) || length > static_cast<std::uint32_t>(in.BytesUntilLimit())) {
      return Walk::kMalformed;
    }
    if (static_cast<int>(levels.size()) > limit) return Walk::kTooDeep;  // level limit + 1
    levels.push_back({field->message_type(), in.PushLimit(static_cast<int>(length))});
  }
  return Walk::kWellFormed;
}
}  // namespace

bool NestedDeeperThan(const std::string& bytes, const Descriptor& type, int limit) {
  return WalkMessage(bytes, type, limit) == Walk::kTooDeep;
}

bool WellFormed(const std::string& bytes, const Descriptor& type) {
  return WalkMessage(bytes, type, kProtobufNestingLimit) == Walk::kWellFormed;
}

grpc::Status ParseRequest(const grpc::ByteBuffer& bytes, google::protobuf::Message& message) {
  grpc::ByteBuffer copy(bytes);  // the reader consumes its buffer
  grpc::ProtoBufferReader reader(&copy);
  if (reader.status().ok() && message.ParseFromZeroCopyStream(&reader)) return grpc::Status::OK;
  const std::string type = message.GetDescriptor()->full_name();
  if (NestedDeeperThan(Flatten(bytes), *message.GetDescriptor(), kProtobufNestingLimit)) {
    return grpc::Status(
        grpc::StatusCode::RESOURCE_EXHAUSTED,
        "request: messages are nested more than " + std::to_string(kProtobufNestingLimit) +
            " levels deep (protobuf's nesting depth limit; a job spec may nest at most "
            "--max-nesting-depth levels)");
  }
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                      "request: not a valid " + type + " (undecodable protobuf)");
}

grpc::Status SerializeResponse(const google::protobuf::Message& message, grpc::ByteBuffer& bytes) {
  bool own_buffer = false;
  return grpc::SerializationTraits<google::protobuf::Message>::Serialize(message, &bytes,
                                                                         &own_buffer);
}

}  // namespace throng::api
