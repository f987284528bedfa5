// The HTML report opened in a real headless Chromium: its charts are drawn from the embedded data.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>

#include "../../unit/api/report_fixture.h"
#include "throng/api/report/html_report.h"
#include "throng/test_support/temp_dir.h"

namespace throng::api::report {
namespace {

constexpr char kChromium[] = "/usr/bin/chromium";

// Runs `command` and returns its standard output.
std::string Capture(const std::string& command) {
  std::string output;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return output;
  std::array<char, 4096> buffer;
  for (size_t n; (n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0;) {
    output.append(buffer.data(), n);
  }
  ::pclose(pipe);
  return output;
}

TEST(HtmlReportTest, ChartsAreDrawnInHeadlessChromium) {
  if (!std::filesystem::exists(kChromium)) GTEST_SKIP() << "chromium not installed";
  const throng::test_support::TempDir temp("throng-html");
  const std::filesystem::path& dir = temp.path();
  const std::filesystem::path page = dir / "report.html";
  std::ofstream(page) << HtmlReport(testing::SampleReport());
  // Bounded by `timeout`; the profile dir is fresh so parallel runs do not share a lock.
  const std::string dom =
      Capture("timeout 60 " + std::string(kChromium) +
              " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run"
              " --disable-background-networking --disable-component-update --disable-sync"
              " --user-data-dir=" +
              (dir / "profile").string() + " --dump-dom file://" + page.string() + " 2>/dev/null");
  std::filesystem::remove_all(dir);
  // Each chart draws every point of each of its series: 4 points; latency has 3 series.
  for (const auto& [chart, points] : {std::pair{"rps", 4}, std::pair{"latency", 12},
                                      std::pair{"users", 4}, std::pair{"errors", 4}}) {
    const std::regex drawn(std::string("<canvas[^>]*data-chart=\"") + chart +
                           "\"[^>]*data-drawn=\"(\\d+)\"");
    std::smatch match;
    ASSERT_TRUE(std::regex_search(dom, match, drawn)) << chart << " not drawn in:\n"
                                                      << dom.substr(0, 2000);
    EXPECT_EQ(std::stoi(match[1]), points) << chart;
  }
}

}  // namespace
}  // namespace throng::api::report
