#include "report_with_job.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>

#include <stdexcept>

#include "throng/api/spec/spec_redaction.h"

namespace throng::api {
namespace {

using google::protobuf::internal::WireFormatLite;
using google::protobuf::io::CodedInputStream;

// Appends to `out` the top-level fields of the serialized message `bytes` other than
// `skip_a` and `skip_b`, as they are.
void AppendFieldsExcept(const std::string& bytes, int skip_a, int skip_b, std::string& out) {
  CodedInputStream in(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                      static_cast<int>(bytes.size()));
  for (;;) {
    const int start = in.CurrentPosition();
    const std::uint32_t tag = in.ReadTag();
    if (tag == 0) break;
    if (!WireFormatLite::SkipField(&in, tag)) {
      throw std::logic_error("a report protobuf serialized is not well-formed");
    }
    const int field = static_cast<int>(WireFormatLite::GetTagFieldNumber(tag));
    if (field == skip_a || field == skip_b) continue;
    out.append(bytes, static_cast<std::size_t>(start),
               static_cast<std::size_t>(in.CurrentPosition() - start));
  }
}

}  // namespace

std::string SerializedWithJob(const v1::Report& report, const v1::Job& job) {
  v1::Report head;
  *head.mutable_job() = job;
  *head.mutable_setup_variables() = report.setup_variables();
  // What setup extracted is shown like the spec: secrets as "***" (the real values stay with the
  // executor, in memory, for the fleet's segments).
  RedactSetupVariables(job.spec(), *head.mutable_setup_variables());
  std::string out = head.SerializeAsString();
  AppendFieldsExcept(report.SerializeAsString(), v1::Report::kJobFieldNumber,
                     v1::Report::kSetupVariablesFieldNumber, out);
  return out;
}

}  // namespace throng::api
