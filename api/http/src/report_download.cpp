#include "report_download.h"

#include "throng/api/report/csv_report.h"
#include "throng/api/report/html_report.h"
#include "throng/api/report/json_report.h"

namespace throng::api::http {
namespace {

/// Job ids are generated, but the file name is still restricted to a safe alphabet.
std::string SafeName(const std::string& id) {
  std::string name;
  for (char c : id) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') name.push_back(c);
  }
  return name.empty() ? "report" : "throng-" + name;
}

}  // namespace

std::optional<Response> ReportDownload(const v1::Report& report, const std::string& format) {
  std::string body;
  std::string type;
  if (format == "json") {
    body = report::JsonReport(report) + "\n";
    type = "application/json";
  } else if (format == "html") {
    body = report::HtmlReport(report);
    type = "text/html; charset=utf-8";
  } else if (format == "csv") {
    body = report::StatsCsv(report);
    type = "text/csv; charset=utf-8";
  } else {
    return std::nullopt;
  }
  Response response(beast_http::status::ok, 11);
  response.set(beast_http::field::content_type, type);
  response.set(beast_http::field::content_disposition,
               "attachment; filename=\"" + SafeName(report.job().id()) + "." + format + "\"");
  response.body() = std::move(body);
  return response;
}

}  // namespace throng::api::http
