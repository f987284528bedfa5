// Rule-based advice read from a report (seed 003's HTML report carries recommendations).
#pragma once

#include <string>
#include <vector>

#include "throng/v1/job.pb.h"

namespace throng::api::report {

/// One piece of advice: a short title and the figures behind it.
struct Recommendation {
  std::string title;
  std::string detail;
};

/// What the report's own figures point at, in this order: p95 climbing with the user count (with
/// the count where it started), failures concentrated on one endpoint, dropped or late iterations
/// (raise max_users), and the generator's CPU near saturation. Empty when nothing stands out.
/// Pure function of `report`.
std::vector<Recommendation> Recommend(const throng::v1::Report& report);

}  // namespace throng::api::report
