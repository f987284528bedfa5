#include "report_with_job.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>

#include <cstring>
#include <stdexcept>

#include "throng/api/spec/spec_redaction.h"

namespace throng::api {
namespace {

using google::protobuf::internal::WireFormatLite;
using google::protobuf::io::CodedInputStream;

// Removes from `bytes`, past its first `from` bytes (a serialized message's top-level fields),
// the fields numbered `skip_a` and `skip_b`, moving the others down in place.
void DropFields(std::string& bytes, std::size_t from, int skip_a, int skip_b) {
  CodedInputStream in(reinterpret_cast<const std::uint8_t*>(bytes.data() + from),
                      static_cast<int>(bytes.size() - from));
  std::size_t kept = from;
  for (;;) {
    const auto start = from + static_cast<std::size_t>(in.CurrentPosition());
    const std::uint32_t tag = in.ReadTag();
    if (tag == 0) break;
    if (!WireFormatLite::SkipField(&in, tag)) {
      throw std::logic_error("a report protobuf serialized is not well-formed");
    }
    const int field = static_cast<int>(WireFormatLite::GetTagFieldNumber(tag));
    if (field == skip_a || field == skip_b) continue;
    const std::size_t length = from + static_cast<std::size_t>(in.CurrentPosition()) - start;
    if (kept != start) std::memmove(bytes.data() + kept, bytes.data() + start, length);
    kept += length;
  }
  bytes.resize(kept);
}

}  // namespace

std::string SerializedWithJob(const SerializedReport& report, const v1::Job& job) {
  v1::Report head;
  *head.mutable_job() = job;
  *head.mutable_setup_variables() = report.setup_variables;
  // What setup extracted is shown like the spec: secrets as "***" (the real values stay with the
  // executor, in memory, for the fleet's segments).
  RedactSetupVariables(job.spec(), *head.mutable_setup_variables());
  std::string out = head.SerializeAsString();
  const std::size_t head_size = out.size();
  out += report.bytes;
  DropFields(out, head_size, v1::Report::kJobFieldNumber, v1::Report::kSetupVariablesFieldNumber);
  return out;
}

}  // namespace throng::api
