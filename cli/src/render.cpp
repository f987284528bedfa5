#include "throng/cli/render.h"

#include <fmt/format.h>
#include <google/protobuf/util/json_util.h>

#include "throng/cli/error.h"

namespace throng::cli {

using throng::v1::Job;
using throng::v1::JobState;

std::string ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

std::string ProgressLine(JobState state, double elapsed_seconds,
                         const throng::v1::JobTotals& totals) {
  std::string line = fmt::format(
      "{:<9} {:>7.1f}s  users {}/{}  requests {}  failures {}  rps {:.1f}",
      throng::v1::JobState_Name(state), elapsed_seconds, totals.active_users(),
      totals.target_users(), totals.requests(), totals.failures(), totals.current_rps());
  if (!totals.stage().empty()) line += "  stage " + totals.stage();
  return line;
}

std::string ListHeader() {
  return fmt::format("{:<24} {:<11} {:<8} {:>10} {:>9}  {}", "ID", "STATE", "VERDICT", "REQUESTS",
                     "FAILURES", "NAME");
}

std::string VerdictLabel(throng::v1::Verdict verdict) {
  std::string name = throng::v1::Verdict_Name(verdict);
  return name.rfind("VERDICT_", 0) == 0 ? name.substr(8) : name;
}

std::string ListRow(const Job& job) {
  const std::string verdict = VerdictLabel(job.verdict());
  return fmt::format("{:<24} {:<11} {:<8} {:>10} {:>9}  {}", job.id(),
                     throng::v1::JobState_Name(job.state()), verdict, job.totals().requests(),
                     job.totals().failures(), job.spec().name());
}

bool IsTerminal(JobState state) {
  return state == throng::v1::COMPLETED || state == throng::v1::STOPPED ||
         state == throng::v1::ABORTED || state == throng::v1::FAILED ||
         state == throng::v1::INTERRUPTED;
}

int ExitCodeFor(const Job& job) {
  if (job.state() == throng::v1::FAILED || job.state() == throng::v1::INTERRUPTED) {
    return kExitError;
  }
  if (job.verdict() == throng::v1::VERDICT_FAIL) return kExitThresholdsFailed;
  return kExitOk;
}

std::string Summary(const Job& job, bool with_thresholds) {
  std::string text =
      fmt::format("job {}: {}, verdict {}, {} requests, {} failures\n", job.id(),
                  throng::v1::JobState_Name(job.state()), VerdictLabel(job.verdict()),
                  job.totals().requests(), job.totals().failures());
  for (const auto& threshold : job.thresholds()) {
    if (!with_thresholds) break;
    text += fmt::format(
        "  {} {}{} (observed {:.3f}){}\n", threshold.passed() ? "PASS" : "FAIL", threshold.expr(),
        threshold.request_name().empty() ? "" : " [" + threshold.request_name() + "]",
        threshold.observed(),
        threshold.no_data() ? " no data" : (threshold.aborted() ? " aborted the job" : ""));
  }
  if (!job.error().empty()) text += "  error: " + job.error() + "\n";
  return text;
}

}  // namespace throng::cli
