// Sections of the HTML report beyond the tables: the run's configuration, per-endpoint latency
// charts and the recommendations (not part of the public API).
#pragma once

#include <string>

#include "throng/api/report/html_escape.h"
#include "throng/v1/job.pb.h"

namespace throng::api::report {

/// Table id=config: target, load profile, users, duration, user classes, times, daemon version.
std::string ConfigSection(const throng::v1::Report& report);

/// One inline SVG per endpoint with requests (id=latency-chart-N): its latency at Locust's
/// percentiles, drawn server-side so the page needs no script for it.
std::string EndpointLatencyCharts(const throng::v1::Report& report);

/// List id=recommendations of Recommend(report), or a line saying nothing stood out.
std::string RecommendationSection(const throng::v1::Report& report);

}  // namespace throng::api::report
