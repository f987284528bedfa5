// A report as a file to download: the renderers throngctl uses, by format name.
#pragma once

#include <optional>
#include <string>

#include "throng/api/http/http_types.h"
#include "throng/v1/job.pb.h"

namespace throng::api::http {

/// "json" (JsonReport), "html" (HtmlReport) or "csv" (Locust's stats CSV) as an attachment named
/// after the job; nullopt for another format.
std::optional<Response> ReportDownload(const v1::Report& report, const std::string& format);

}  // namespace throng::api::http
