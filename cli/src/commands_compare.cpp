// `throngctl compare BASE NEW`: two reports (job ids or JSON report files) side by side.
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>

#include "commands_internal.h"
#include "throng/api/report/json_report.h"
#include "throng/cli/commands.h"
#include "throng/cli/compare.h"

namespace throng::cli {
namespace {

constexpr std::uintmax_t kMaxReportBytes = 64 * 1024 * 1024;

std::string ReadReportFile(const std::string& path) {
  std::error_code error;
  const std::uintmax_t size = std::filesystem::file_size(path, error);
  if (error) throw InputError(path + ": cannot read the report file");
  if (size > kMaxReportBytes) {
    throw InputError(path + ": larger than the " + std::to_string(kMaxReportBytes >> 20) +
                     " MiB a report may have");
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) throw InputError(path + ": cannot read the report file");
  return text.str();
}

}  // namespace

std::string Commands::ReportJsonOf(const std::string& id_or_file) {
  std::error_code error;
  if (std::filesystem::is_regular_file(id_or_file, error)) return ReadReportFile(id_or_file);
  if (id_or_file.find('/') != std::string::npos || id_or_file.ends_with(".json")) {
    throw InputError(id_or_file + ": no such report file");
  }
  const std::optional<throng::v1::Report> report = FetchReport(id_or_file);
  if (!report) throw RpcError{{grpc::StatusCode::UNIMPLEMENTED, "the daemon has no GetReport"}};
  return api::report::JsonReport(*report);
}

int Commands::Compare(const std::string& base, const std::string& next,
                      const RegressionLimits& limits, const std::string& html_file) {
  return Guard([&] {
    const ReportFigures base_figures = ParseReportFigures(ReportJsonOf(base), base);
    const ReportFigures next_figures = ParseReportFigures(ReportJsonOf(next), next);
    const Comparison comparison = CompareReports(base_figures, next_figures, limits);
    out_ << CompareTable(comparison);
    if (!html_file.empty()) {
      std::ofstream file(html_file, std::ios::binary | std::ios::trunc);
      file << CompareHtml(comparison);
      file.close();
      if (!file) throw std::runtime_error("cannot write " + html_file);
    }
    return comparison.regressed ? kExitThresholdsFailed : kExitOk;
  });
}

}  // namespace throng::cli
