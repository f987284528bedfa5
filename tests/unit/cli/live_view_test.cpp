#include "throng/cli/live_view.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

namespace throng::cli {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;

throng::v1::JobSnapshot Snapshot(double progress) {
  throng::v1::JobSnapshot snapshot;
  snapshot.set_state(throng::v1::RUNNING);
  snapshot.set_elapsed_seconds(12);
  snapshot.mutable_totals()->set_progress(progress);
  snapshot.mutable_totals()->set_stage("step-50");
  snapshot.mutable_totals()->set_requests(1500);
  auto* endpoint = snapshot.add_endpoints();
  endpoint->set_method("GET");
  endpoint->set_name("/products");
  endpoint->set_requests(1200);
  endpoint->set_failures(3);
  endpoint->set_rps(98.5);
  endpoint->mutable_interval()->set_p50_ms(11);
  endpoint->mutable_interval()->set_p95_ms(40.25);
  endpoint->mutable_interval()->set_p99_ms(87);
  snapshot.mutable_aggregated()->set_requests(1500);
  return snapshot;
}

TEST(ProgressBarTest, FillsInProportionAndMarksUnbounded) {
  EXPECT_EQ(ProgressBar(0.5, 10), "[#####.....]  50%");
  EXPECT_EQ(ProgressBar(0, 4), "[....]   0%");
  EXPECT_EQ(ProgressBar(1.7, 4), "[####] 100%");
  EXPECT_EQ(ProgressBar(-1, 10), "unbounded");
}

TEST(LiveTableTest, ShowsStageProgressAndOneRowPerName) {
  const std::string table = LiveTable(Snapshot(0.25));
  EXPECT_THAT(table, HasSubstr("stage step-50"));
  EXPECT_THAT(table, HasSubstr("[##########..............................]  25%"));
  EXPECT_THAT(table, ContainsRegex("NAME +REQUESTS +FAILURES +RPS +P50 ms +P95 ms +P99 ms"));
  EXPECT_THAT(table, ContainsRegex("GET /products +1200 +3 +98\\.5 +11\\.0 +40\\.2 +87\\.0"));
  EXPECT_THAT(table, ContainsRegex("Aggregated +1500"));
}

TEST(LiveViewTest, TerminalRedrawsInPlace) {
  std::ostringstream out;
  LiveView view(out, true);
  view.Show(Snapshot(0.1));
  EXPECT_THAT(out.str(), Not(HasSubstr("\x1b[")));
  const std::string first = out.str();
  view.Show(Snapshot(0.2));
  // Second frame moves up over the first frame's 5 lines and clears before drawing.
  EXPECT_EQ(out.str().substr(first.size(), 7), "\x1b[5F\x1b[J");
  EXPECT_THAT(out.str(), HasSubstr(" 20%"));
}

TEST(LiveViewTest, NonTerminalPrintsOnePlainLinePerSnapshot) {
  std::ostringstream out;
  LiveView view(out, false);
  view.Show(Snapshot(0.1));
  view.Show(Snapshot(0.2));
  const std::string text = out.str();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 2);
  EXPECT_THAT(text, Not(HasSubstr("\x1b[")));
  EXPECT_THAT(text, HasSubstr("requests 1500"));
}

}  // namespace
}  // namespace throng::cli
