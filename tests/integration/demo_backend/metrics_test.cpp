#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <regex>
#include <string>

#include "backend_fixture.h"
#include "throng/test_support/child_process.h"

namespace demo_test {
namespace {

TEST(DemoBackendMetrics, CountsRequestsByRoutePatternMethodAndStatus) {
  DemoBackend backend;
  for (int i = 0; i < 3; ++i) backend.Send("GET", "/todos/42");
  backend.Send("POST", "/todos/", R"({"title":"a"})");
  backend.Send("GET", "/todos/1");
  backend.Send("GET", "/no/such/path/12345");
  std::string metrics = backend.Send("GET", "/metrics").body;

  EXPECT_EQ(
      Sample(metrics, R"(demo_http_requests_total{route="/todos/{id}",method="GET",status="404"})"),
      3);
  EXPECT_EQ(
      Sample(metrics, R"(demo_http_requests_total{route="/todos/{id}",method="GET",status="200"})"),
      1);
  EXPECT_EQ(
      Sample(metrics, R"(demo_http_requests_total{route="/todos/",method="POST",status="201"})"),
      1);
  EXPECT_EQ(Sample(metrics,
                   R"(demo_http_request_duration_seconds_count{route="/todos/{id}",method="GET"})"),
            4);
  EXPECT_EQ(
      Sample(
          metrics,
          R"(demo_http_request_duration_seconds_bucket{route="/todos/{id}",method="GET",le="+Inf"})"),
      4);
  // Raw URLs never become labels.
  EXPECT_EQ(metrics.find("12345"), std::string::npos);
  EXPECT_NE(metrics.find(R"(route="unmatched")"), std::string::npos);
}

TEST(DemoBackendMetrics, InjectedTransportFaultsAreCounted) {
  DemoBackend backend;
  backend.Send("POST", "/admin/faults", R"({"reset_rate":1})");
  EXPECT_THROW(backend.Send("GET", "/items/"), throng::test_support::HttpTestError);
  backend.Send("DELETE", "/admin/faults");
  std::string metrics = backend.Send("GET", "/metrics").body;
  EXPECT_EQ(
      Sample(metrics, R"(demo_http_requests_total{route="/items/",method="GET",status="reset"})"),
      1);
}

// The process series the Grafana backend row reads, named as prometheus_client names them; the
// resident memory is the one the kernel reports for the child.
TEST(DemoBackendMetrics, ExportsItsProcessCpuAndResidentMemory) {
  DemoBackend backend;
  for (int i = 0; i < 100; ++i) backend.Send("GET", "/todos/");
  const std::string metrics = backend.Send("GET", "/metrics").body;
  EXPECT_NE(metrics.find("# TYPE process_cpu_seconds_total counter\n"), std::string::npos);
  EXPECT_GE(Sample(metrics, "process_cpu_seconds_total"), 0);  // -1 when missing

  std::ifstream status("/proc/" + std::to_string(backend.child().pid()) + "/status");
  double kernel_rss_bytes = -1;
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) kernel_rss_bytes = std::stod(line.substr(6)) * 1024;
  }
  ASSERT_GT(kernel_rss_bytes, 0);
  const double rss = Sample(metrics, "process_resident_memory_bytes");
  EXPECT_GT(rss, 0.5 * kernel_rss_bytes);
  EXPECT_LT(rss, 2 * kernel_rss_bytes);
}

TEST(DemoBackendMetrics, ScrapePassesPromtool) {
  constexpr char kPromtool[] = "/usr/bin/promtool";
  if (access(kPromtool, X_OK) != 0) GTEST_SKIP() << "promtool not installed";
  DemoBackend backend;
  backend.Send("GET", "/health");
  backend.Send("GET", "/todos/");
  backend.Send("GET", "/todos/9");
  auto scrape = backend.Send("GET", "/metrics");
  ASSERT_EQ(scrape.status, 200);
  EXPECT_NE(scrape.Header("content-type").find("text/plain"), std::string::npos);

  std::string path = ::testing::TempDir() + "demo_backend_scrape_" + std::to_string(getpid());
  std::ofstream(path) << scrape.body;
  // promtool reads the exposition from stdin; a shell does the redirection.
  throng::test_support::ChildProcess promtool(
      "/bin/sh", {"-c", std::string(kPromtool) + " check metrics < " + path + " 2>&1"});
  int code = promtool.Wait(std::chrono::seconds(30));
  std::remove(path.c_str());
  EXPECT_EQ(code, 0) << promtool.Stdout() << "\n" << scrape.body;
}

}  // namespace
}  // namespace demo_test
