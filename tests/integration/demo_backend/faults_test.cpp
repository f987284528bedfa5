#include <gtest/gtest.h>

#include <boost/asio/error.hpp>
#include <boost/beast/http/error.hpp>
#include <chrono>

#include "backend_fixture.h"

namespace demo_test {
namespace {

using throng::test_support::HttpTestError;

class DemoBackendFaults : public ::testing::Test {
 protected:
  void SetFaults(const Json& faults) {
    auto response = backend_.Send("POST", "/admin/faults", faults.dump());
    ASSERT_EQ(response.status, 200) << response.body;
  }
  DemoBackend backend_;
};

TEST_F(DemoBackendFaults, ErrorRateOneAnswers500ButExemptRoutesStayUp) {
  SetFaults({{"error_rate", 1.0}});
  for (int i = 0; i < 5; ++i) EXPECT_EQ(backend_.Send("GET", "/todos/").status, 500);
  EXPECT_EQ(backend_.Send("GET", "/health").status, 200);
  EXPECT_EQ(backend_.Send("GET", "/metrics").status, 200);
  ASSERT_EQ(backend_.Send("DELETE", "/admin/faults").status, 200);
  EXPECT_EQ(backend_.Send("GET", "/todos/").status, 200);
}

TEST_F(DemoBackendFaults, ResetRateOneResetsTheConnection) {
  SetFaults({{"reset_rate", 1.0}});
  try {
    backend_.Send("GET", "/todos/");
    ADD_FAILURE() << "expected a transport error";
  } catch (const HttpTestError& e) {
    EXPECT_EQ(e.code(), boost::asio::error::connection_reset) << e.what();
  }
}

TEST_F(DemoBackendFaults, MalformedRateOneGivesAnUnparsableResponse) {
  SetFaults({{"malformed_rate", 1.0}});
  try {
    backend_.Send("GET", "/items/");
    ADD_FAILURE() << "expected a parse error";
  } catch (const HttpTestError& e) {
    EXPECT_EQ(
        e.code().category(),
        boost::beast::http::make_error_code(boost::beast::http::error::bad_version).category())
        << e.code().message();
  }
}

TEST_F(DemoBackendFaults, StallAndLatencyDelayAnswers) {
  SetFaults({{"stall_ms", 400}});
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(backend_.Send("GET", "/todos/").status, 200);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(300));
  // A stall delays, it does not block the exempt routes.
  SetFaults({{"stall_ms", 5000}});
  start = std::chrono::steady_clock::now();
  EXPECT_EQ(backend_.Send("GET", "/health").status, 200);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(4000));
  backend_.Send("DELETE", "/admin/faults");
  SetFaults({{"latency_ms", 200}});
  start = std::chrono::steady_clock::now();
  EXPECT_EQ(backend_.Send("GET", "/todos/").status, 200);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(200));
}

TEST_F(DemoBackendFaults, BadSettingsAre422NamingTheField) {
  for (auto [body, field] : {std::pair{R"({"error_rate":2})", "error_rate"},
                             {R"({"latency_ms":"10"})", "latency_ms"},
                             {R"({"reset_rate":-0.1})", "reset_rate"}}) {
    auto response = backend_.Send("POST", "/admin/faults", body);
    EXPECT_EQ(response.status, 422) << body;
    EXPECT_NE(response.body.find(field), std::string::npos) << response.body;
  }
  // Nothing was half-applied.
  EXPECT_EQ(Json::parse(backend_.Send("GET", "/admin/faults").body)["error_rate"], 0.0);
}

}  // namespace
}  // namespace demo_test
