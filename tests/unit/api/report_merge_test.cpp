// The exact merge of a fleet's reports: rows, histograms, percentiles, errors, states.
#include "throng/api/report/report_merge.h"

#include <gtest/gtest.h>

#include "throng/api/common/endpoint_stats.h"

namespace throng::api::report {
namespace {

using namespace std::chrono_literals;

engine::EndpointStats Stats(const std::string& name, std::uint64_t first_us, std::uint64_t n,
                            std::uint64_t step_us) {
  engine::EndpointStats stats;
  stats.key = {name, "GET"};
  for (std::uint64_t i = 0; i < n; ++i) stats.latency.Record(first_us + i * step_us);
  stats.requests = n;
  stats.failures = n / 10;
  stats.failures_by_kind[static_cast<std::size_t>(engine::FailureKind::kTimeout)] = n / 10;
  stats.bytes_received = 100 * n;
  return stats;
}

v1::Report ReportOf(std::vector<engine::EndpointStats> rows, v1::JobState state,
                    std::chrono::seconds elapsed) {
  v1::Report report;
  for (const auto& row : rows) *report.add_endpoints() = EndpointReportOf(row, elapsed);
  report.mutable_job()->set_state(state);
  report.mutable_job()->mutable_totals()->set_iterations(rows.size() * 7);
  report.mutable_duration()->set_seconds(elapsed.count());
  v1::ErrorGroup* error = report.add_errors();
  error->set_name("a");
  error->set_method("GET");
  error->set_kind(v1::TIMEOUT);
  error->set_occurrences(3);
  report.set_final(true);
  return report;
}

TEST(ReportMergeTest, PercentilesComeFromOneHistogramOfEverySample) {
  // Three segments with very different latencies: the merged p99 is not any average.
  const std::vector<engine::EndpointStats> parts = {
      Stats("a", 1000, 900, 1), Stats("a", 50'000, 90, 100), Stats("a", 900'000, 10, 1000)};
  std::vector<v1::Report> reports;
  engine::EndpointStats all = parts[0];
  for (std::size_t i = 0; i < parts.size(); ++i) {
    reports.push_back(ReportOf({parts[i]}, v1::COMPLETED, std::chrono::seconds(10 + i)));
    if (i > 0) all.Add(parts[i]);
  }
  const absl::StatusOr<MergedFigures> merged = MergeFigures(reports);
  ASSERT_TRUE(merged.ok()) << merged.status();
  const v1::Report report = BuildMergedReport(reports, *merged);
  ASSERT_EQ(report.endpoints_size(), 1);
  const v1::EndpointStats expected = EndpointReportOf(all, 12s);
  EXPECT_EQ(report.endpoints(0).SerializeAsString(), expected.SerializeAsString());
  EXPECT_EQ(report.aggregated().latency().p99_ms(),
            static_cast<double>(all.latency.ValueAtPercentile(99)) / 1000.0);
  EXPECT_EQ(report.aggregated().requests(), 1000u);
  EXPECT_EQ(report.aggregated().failures_by_kind().at("timeout"), 90u + 9u + 1u);
  EXPECT_EQ(report.job().totals().iterations(), 21u);
  EXPECT_EQ(report.duration().seconds(), 12);
  ASSERT_EQ(report.errors_size(), 1);
  EXPECT_EQ(report.errors(0).occurrences(), 9u);
  EXPECT_TRUE(report.final());
}

TEST(ReportMergeTest, EndpointsOfEverySegmentAndTheMostSevereState) {
  const std::vector<v1::Report> reports = {
      ReportOf({Stats("a", 100, 10, 1)}, v1::COMPLETED, 5s),
      ReportOf({Stats("b", 100, 20, 1), Stats("a", 300, 5, 1)}, v1::ABORTED, 5s)};
  const absl::StatusOr<MergedFigures> merged = MergeFigures(reports);
  ASSERT_TRUE(merged.ok());
  const v1::Report report = BuildMergedReport(reports, *merged);
  ASSERT_EQ(report.endpoints_size(), 2);
  EXPECT_EQ(report.endpoints(0).name(), "a");
  EXPECT_EQ(report.endpoints(0).requests(), 15u);
  EXPECT_EQ(report.endpoints(1).requests(), 20u);
  EXPECT_EQ(report.aggregated().requests(), 35u);
  EXPECT_EQ(report.job().totals().requests(), 35u);
  EXPECT_EQ(report.job().state(), v1::ABORTED);
}

TEST(ReportMergeTest, AMalformedRowIsRefusedNamingTheSegment) {
  std::vector<v1::Report> reports = {ReportOf({Stats("a", 100, 10, 1)}, v1::COMPLETED, 5s),
                                     ReportOf({Stats("a", 100, 10, 1)}, v1::COMPLETED, 5s)};
  reports[1].mutable_endpoints(0)->set_requests(11);  // the histogram holds 10
  const absl::StatusOr<MergedFigures> merged = MergeFigures(reports);
  ASSERT_FALSE(merged.ok());
  EXPECT_NE(merged.status().message().find("segment report 1: endpoints[0]"), std::string::npos)
      << merged.status();
  reports[1].mutable_endpoints(0)->set_requests(10);
  reports[1].mutable_endpoints(0)->mutable_latency_histogram()->set_max_us(5'000'000);
  EXPECT_FALSE(MergeFigures(reports).ok());
}

}  // namespace
}  // namespace throng::api::report
