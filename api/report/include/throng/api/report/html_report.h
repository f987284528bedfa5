// Self-contained HTML report: inline CSS and JS, no network access needed to view it.
#pragma once

#include <string>

#include "throng/v1/job.pb.h"

namespace throng::api::report {

/// One HTML page with the verdict, thresholds, rule-based recommendations (#recommendations), the
/// run's configuration (#config: target, load profile, users, duration, user classes, daemon
/// version), per-endpoint and error tables and one latency-percentile chart per endpoint (inline
/// SVG, rendered here), and charts of request rate, latency p50/p95/p99, users and errors over
/// time, drawn on <canvas> by inline JS from the embedded JsonReport. Each chart's canvas gets
/// data-drawn="<points>" once drawn, so headless-browser tests can check the drawing happened.
std::string HtmlReport(const throng::v1::Report& report);

}  // namespace throng::api::report
