// The backend's in-flight gauges: what tests use to check a client's real concurrency.
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "backend_fixture.h"

namespace demo_test {
namespace {

TEST(DemoBackendInFlight, GaugeCountsConcurrentRequestsAndKeepsTheHighWaterMark) {
  DemoBackend backend;
  std::string metrics = backend.Send("GET", "/metrics").body;
  EXPECT_EQ(Sample(metrics, "demo_http_requests_in_flight"), 1);  // the scrape itself
  EXPECT_EQ(Sample(metrics, "demo_http_requests_in_flight_max"), 1);

  // Six clients on their own connections, each held 300 ms by the backend: all six overlap.
  backend.Send("POST", "/admin/faults", R"({"latency_ms":300})");
  std::vector<std::thread> clients;
  for (int i = 0; i < 6; ++i) {
    clients.emplace_back([&backend] { EXPECT_EQ(backend.Send("GET", "/todos/").status, 200); });
  }
  for (auto& client : clients) client.join();
  backend.Send("DELETE", "/admin/faults");

  metrics = backend.Send("GET", "/metrics").body;
  EXPECT_EQ(Sample(metrics, "demo_http_requests_in_flight"), 1);
  EXPECT_EQ(Sample(metrics, "demo_http_requests_in_flight_max"), 6);
}

TEST(DemoBackendInFlight, InjectedTransportFaultsLeaveTheGauge) {
  DemoBackend backend;
  backend.Send("POST", "/admin/faults", R"({"reset_rate":1})");
  EXPECT_THROW(backend.Send("GET", "/items/"), throng::test_support::HttpTestError);
  backend.Send("POST", "/admin/faults", R"({"reset_rate":0,"malformed_rate":1})");
  EXPECT_THROW(backend.Send("GET", "/items/"), throng::test_support::HttpTestError);
  backend.Send("DELETE", "/admin/faults");
  EXPECT_EQ(Sample(backend.Send("GET", "/metrics").body, "demo_http_requests_in_flight"), 1);
}

}  // namespace
}  // namespace demo_test
