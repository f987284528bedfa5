#include <fmt/format.h>

#include <fstream>
#include <stdexcept>
#include <vector>

#include "report_format.h"
#include "throng/api/report/csv_report.h"

namespace throng::api::report {
namespace {

// Python's csv module: quote only fields holding a delimiter, quote or line break; rows end in
// "\r\n". Locust's files are written that way, so ours are byte-compatible.
std::string CsvField(const std::string& field) {
  if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
  std::string quoted = "\"";
  for (char c : field) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

std::string CsvRow(const std::vector<std::string>& fields) {
  std::string row;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) row += ',';
    row += CsvField(fields[i]);
  }
  return row + "\r\n";
}

std::vector<std::string> PercentileHeaders() {
  std::vector<std::string> headers;
  for (double quantile : kLocustPercentiles) headers.push_back(PercentileLabel(quantile));
  return headers;
}

// Locust prints whole milliseconds for percentiles and "N/A" when nothing was measured.
void AppendPercentiles(const google::protobuf::RepeatedPtrField<throng::v1::Percentile>& from,
                       bool measured, double fallback_max, std::vector<std::string>* row) {
  for (double quantile : kLocustPercentiles) {
    if (!measured) {
      row->push_back("N/A");
      continue;
    }
    const double fallback = quantile == 1.0 ? fallback_max : 0.0;
    row->push_back(
        fmt::format("{}", static_cast<long long>(PercentileMs(from, quantile, fallback))));
  }
}

std::vector<std::string> StatsRow(const throng::v1::EndpointStats& stats, const std::string& name) {
  const auto& latency = stats.latency();
  std::vector<std::string> row = {stats.method(),
                                  name,
                                  fmt::format("{}", stats.requests()),
                                  fmt::format("{}", stats.failures()),
                                  fmt::format("{}", static_cast<long long>(latency.p50_ms())),
                                  fmt::format("{}", latency.avg_ms()),
                                  fmt::format("{}", latency.min_ms()),
                                  fmt::format("{}", latency.max_ms()),
                                  fmt::format("{}", stats.avg_content_length()),
                                  fmt::format("{}", stats.rps()),
                                  fmt::format("{}", stats.failures_per_s())};
  AppendPercentiles(stats.percentiles(), stats.requests() > 0, latency.max_ms(), &row);
  row.push_back(fmt::format("{}", stats.redirects()));
  return row;
}

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << content;
  file.close();
  if (!file) throw std::runtime_error("cannot write " + path);
}

}  // namespace

std::string StatsCsv(const throng::v1::Report& report) {
  std::vector<std::string> header = {"Type",
                                     "Name",
                                     "Request Count",
                                     "Failure Count",
                                     "Median Response Time",
                                     "Average Response Time",
                                     "Min Response Time",
                                     "Max Response Time",
                                     "Average Content Size",
                                     "Requests/s",
                                     "Failures/s"};
  for (const std::string& label : PercentileHeaders()) header.push_back(label);
  // Throng's own column, after all of Locust's (which has no redirect count): redirect hops
  // followed, summed over the requests.
  header.push_back("Redirect Count");
  std::string csv = CsvRow(header);
  for (const auto& endpoint : report.endpoints())
    csv += CsvRow(StatsRow(endpoint, endpoint.name()));
  csv += CsvRow(StatsRow(report.aggregated(), AggregatedName(report.aggregated())));
  return csv;
}

std::string StatsHistoryCsv(const throng::v1::Report& report) {
  std::vector<std::string> header = {"Timestamp", "User Count", "Type",
                                     "Name",      "Requests/s", "Failures/s"};
  for (const std::string& label : PercentileHeaders()) header.push_back(label);
  for (const char* column :
       {"Total Request Count", "Total Failure Count", "Total Median Response Time",
        "Total Average Response Time", "Total Min Response Time", "Total Max Response Time",
        "Total Average Content Size"}) {
    header.push_back(column);
  }
  std::string csv = CsvRow(header);
  for (const auto& point : report.timeline()) {
    const auto& total = point.cumulative();
    std::vector<std::string> row = {fmt::format("{}", point.time().seconds()),
                                    fmt::format("{}", point.users()),
                                    "",
                                    AggregatedName(report.aggregated()),
                                    fmt::format("{:f}", point.rps()),
                                    fmt::format("{:f}", point.failures_per_s())};
    AppendPercentiles(point.interval_percentiles(), point.total_requests() > 0,
                      point.interval().max_ms(), &row);
    for (const std::string& field :
         {fmt::format("{}", point.total_requests()), fmt::format("{}", point.total_failures()),
          fmt::format("{}", static_cast<long long>(total.p50_ms())),
          fmt::format("{}", total.avg_ms()), fmt::format("{}", total.min_ms()),
          fmt::format("{}", total.max_ms()),
          fmt::format("{}", point.cumulative_avg_content_length())}) {
      row.push_back(field);
    }
    csv += CsvRow(row);
  }
  return csv;
}

std::string FailuresCsv(const throng::v1::Report& report) {
  std::string csv = CsvRow({"Method", "Name", "Error", "Occurrences"});
  for (const auto& error : report.errors()) {
    csv += CsvRow(
        {error.method(), error.name(), error.message(), fmt::format("{}", error.occurrences())});
  }
  return csv;
}

std::string ExceptionsCsv() { return CsvRow({"Count", "Message", "Traceback", "Nodes"}); }

void WriteCsvFiles(const throng::v1::Report& report, const std::string& prefix) {
  WriteFile(prefix + "_stats.csv", StatsCsv(report));
  WriteFile(prefix + "_stats_history.csv", StatsHistoryCsv(report));
  WriteFile(prefix + "_failures.csv", FailuresCsv(report));
  WriteFile(prefix + "_exceptions.csv", ExceptionsCsv());
}

}  // namespace throng::api::report
