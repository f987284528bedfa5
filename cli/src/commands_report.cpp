// Commands that fetch and render a job's report (Report, and the end of Watch/Run).
#include <fstream>
#include <ostream>

#include "commands_internal.h"
#include "throng/api/report/console_report.h"
#include "throng/api/report/csv_report.h"
#include "throng/api/report/html_report.h"
#include "throng/api/report/json_report.h"
#include "throng/cli/commands.h"
#include "throng/cli/junit_report.h"
#include "throng/cli/render.h"

namespace throng::cli {
namespace {

void WriteText(const std::string& path, const std::string& text) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << text;
  file.close();
  if (!file) throw std::runtime_error("cannot write " + path);
}

}  // namespace

std::optional<throng::v1::Report> Commands::FetchReport(const std::string& id) {
  grpc::ClientContext context;
  PrepareContext(options_, &context, true);
  throng::v1::GetReportRequest request;
  request.set_id(id);
  throng::v1::Report report;
  const grpc::Status status = Stub().GetReport(&context, request, &report);
  if (status.error_code() == grpc::StatusCode::UNIMPLEMENTED) return std::nullopt;
  Check(status);
  return report;
}

void Commands::WriteReportFiles(const throng::v1::Report& report, const ReportFiles& files) {
  if (!files.csv_prefix.empty()) api::report::WriteCsvFiles(report, files.csv_prefix);
  if (!files.html_file.empty()) WriteText(files.html_file, api::report::HtmlReport(report));
  if (!files.json_file.empty()) WriteText(files.json_file, api::report::JsonReport(report) + "\n");
  if (!files.junit_file.empty()) WriteText(files.junit_file, JUnitReport(report));
}

int Commands::OutcomeCode(int code, bool has_thresholds, std::uint64_t failures) {
  if (code != kExitOk || has_thresholds || failures == 0) return code;
  if (exit_code_on_error_ != kExitOk) {
    err_ << "exit " << exit_code_on_error_ << ": " << failures
         << " requests failed and the job has no thresholds (--exit-code-on-error 0 ignores "
            "failures)\n";
  }
  return exit_code_on_error_;
}

int Commands::Report(const std::string& id, const ReportFiles& files) {
  return Guard([&]() -> int {
    const std::optional<throng::v1::Report> report = FetchReport(id);
    if (!report) throw RpcError{{grpc::StatusCode::UNIMPLEMENTED, "the daemon has no GetReport"}};
    out_ << api::report::ConsoleReport(*report, {.locust_rounding = locust_rounding_});
    WriteReportFiles(*report, files);
    if (report->job().state() == throng::v1::INTERRUPTED) {
      // The figures are those of the job's last checkpoint (or none): not a finished run.
      err_ << "job " << id << " was interrupted: " << report->job().error() << "\n";
      return kExitError;
    }
    const int code =
        report->verdict() == throng::v1::VERDICT_FAIL ? kExitThresholdsFailed : kExitOk;
    return OutcomeCode(code, report->thresholds_size() > 0, report->aggregated().failures());
  });
}

int Commands::Finish(const std::string& id, const ReportFiles& files) {
  const throng::v1::Job job = GetJob(id);
  const std::optional<throng::v1::Report> report = FetchReport(id);
  if (report) {
    out_ << "\n" << api::report::ConsoleReport(*report, {.locust_rounding = locust_rounding_});
    WriteReportFiles(*report, files);
  } else if (!files.csv_prefix.empty() || !files.html_file.empty() || !files.json_file.empty() ||
             !files.junit_file.empty()) {
    err_ << "warning: the daemon has no GetReport; no report files written\n";
  }
  out_ << Summary(job, /*with_thresholds=*/!report);
  return OutcomeCode(ExitCodeFor(job),
                     job.thresholds_size() > 0 || job.spec().thresholds_size() > 0,
                     job.totals().failures());
}

}  // namespace throng::cli
