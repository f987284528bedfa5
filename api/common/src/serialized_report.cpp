#include "throng/api/common/serialized_report.h"

#include <google/protobuf/wire_format_lite.h>

#include <stdexcept>

namespace throng::api {
namespace {

void AppendVarint(std::uint64_t value, std::string& out) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7F) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

}  // namespace

SerializedReport SerializedReport::Of(const v1::Report& report) {
  SerializedReport out;
  out.job = report.job();
  out.verdict = report.verdict();
  out.setup_variables = report.setup_variables();
  out.bytes = report.SerializeAsString();
  return out;
}

v1::Report SerializedReport::Parse() const {
  v1::Report report;
  if (!report.ParseFromString(bytes)) {
    report.Clear();
    *report.mutable_job() = job;
  }
  return report;
}

void AppendMessageField(int field_number, const google::protobuf::MessageLite& message,
                        std::string& out) {
  using google::protobuf::internal::WireFormatLite;
  AppendVarint(WireFormatLite::MakeTag(field_number, WireFormatLite::WIRETYPE_LENGTH_DELIMITED),
               out);
  AppendVarint(message.ByteSizeLong(), out);
  if (!message.AppendToString(&out)) throw std::logic_error("a message could not be serialized");
}

}  // namespace throng::api
