#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "report_fixture.h"
#include "throng/api/report/csv_report.h"
#include "throng/test_support/temp_dir.h"

namespace throng::api::report {
namespace {

// Headers as Python's csv module writes Locust's (checked against locust/stats.py); the stats
// file adds Throng's "Redirect Count" after all of Locust's columns.
constexpr char kStatsHeader[] =
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
    "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,"
    "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%,Redirect Count\r\n";
constexpr char kHistoryHeader[] =
    "Timestamp,User Count,Type,Name,Requests/s,Failures/s,"
    "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%,Total Request Count,Total Failure Count,"
    "Total Median Response Time,Total Average Response Time,Total Min Response Time,"
    "Total Max Response Time,Total Average Content Size\r\n";
constexpr char kFailuresHeader[] = "Method,Name,Error,Occurrences\r\n";

std::vector<std::string> Lines(const std::string& csv) {
  std::vector<std::string> lines;
  for (size_t start = 0; start < csv.size();) {
    const size_t end = csv.find("\r\n", start);
    lines.push_back(csv.substr(start, end - start + 2));
    start = end + 2;
  }
  return lines;
}

TEST(CsvReportTest, StatsHasLocustHeaderEndpointRowsAndAggregated) {
  const auto lines = Lines(StatsCsv(testing::SampleReport()));
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0], kStatsHeader);
  EXPECT_EQ(lines[1],
            "GET,/products,900,0,12,15,3,72,512,90,0,12,18,24,30,36,42,48,54,60,66,72,0\r\n");
  // A name with a comma and quotes is quoted the way Python's csv module does it.
  EXPECT_EQ(
      lines[2],
      "POST,\"/orders, \"\"bulk\"\"\",100,25,40,50,10,240,512,10,2.5,40,60,80,100,120,140,160,"
      "180,200,220,240,0\r\n");
  EXPECT_EQ(lines[3].rfind(",Aggregated,1000,25,14,", 0), 0u) << lines[3];
}

TEST(CsvReportTest, StatsCountsRedirectsPerEndpointAndAggregated) {
  throng::v1::Report report = testing::SampleReport();
  report.mutable_endpoints(1)->set_redirects(7);
  report.mutable_aggregated()->set_redirects(7);
  const auto lines = Lines(StatsCsv(report));
  EXPECT_TRUE(lines[1].ends_with(",72,0\r\n")) << lines[1];
  EXPECT_TRUE(lines[2].ends_with(",240,7\r\n")) << lines[2];
  EXPECT_TRUE(lines[3].ends_with(",7\r\n")) << lines[3];
}

TEST(CsvReportTest, StatsWritesNotApplicablePercentilesForAnIdleEndpoint) {
  throng::v1::Report report = testing::SampleReport();
  report.mutable_endpoints(0)->set_requests(0);
  const auto lines = Lines(StatsCsv(report));
  EXPECT_NE(lines[1].find("N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,0\r\n"), std::string::npos);
}

TEST(CsvReportTest, HistoryHasOneAggregatedRowPerTimelinePoint) {
  const auto lines = Lines(StatsHistoryCsv(testing::SampleReport()));
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[0], kHistoryHeader);
  EXPECT_EQ(lines[1],
            "1767225600,10,,Aggregated,100.000000,0.000000,10,15,20,25,30,35,40,45,50,55,60,"
            "250,0,14,17.5,3,240,512\r\n");
  EXPECT_EQ(lines[4].rfind("1767225603,40,,Aggregated,250.000000,25.000000,13,", 0), 0u)
      << lines[4];
}

TEST(CsvReportTest, FailuresListsEachErrorGroup) {
  EXPECT_EQ(
      FailuresCsv(testing::SampleReport()),
      std::string(kFailuresHeader) + "POST,\"/orders, \"\"bulk\"\"\",unexpected status 500,25\r\n");
  EXPECT_EQ(ExceptionsCsv(), "Count,Message,Traceback,Nodes\r\n");
}

TEST(CsvReportTest, WriteCsvFilesCreatesLocustFileNames) {
  const throng::test_support::TempDir temp("throng-csv");
  const std::filesystem::path& dir = temp.path();
  const throng::v1::Report report = testing::SampleReport();
  WriteCsvFiles(report, (dir / "run").string());
  auto read = [&](const char* name) {
    std::ifstream file(dir / name, std::ios::binary);
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
  };
  EXPECT_EQ(read("run_stats.csv"), StatsCsv(report));
  EXPECT_EQ(read("run_stats_history.csv"), StatsHistoryCsv(report));
  EXPECT_EQ(read("run_failures.csv"), FailuresCsv(report));
  EXPECT_EQ(read("run_exceptions.csv"), ExceptionsCsv());
  std::filesystem::remove_all(dir);
}

TEST(CsvReportTest, WriteCsvFilesNamesTheFileItCannotWrite) {
  try {
    WriteCsvFiles(testing::SampleReport(), "/nonexistent-dir/run");
    FAIL() << "expected an error";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("/nonexistent-dir/run_stats.csv"), std::string::npos);
  }
}

}  // namespace
}  // namespace throng::api::report
