// The HTML report's inline stylesheet and chart script.
#pragma once

namespace throng::api::report {

extern const char* const kReportCss;
/// Reads JSON from <script id="report-data">, draws every <canvas data-chart=...>.
extern const char* const kReportScript;

}  // namespace throng::api::report
