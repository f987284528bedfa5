// The open (arrival-rate) model against the real demo backend on 127.0.0.1:0: rate accuracy,
// coordinated-omission-corrected latency under a stall, and queue overflow drops.
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <thread>

#include "throng/engine/engine.h"
#include "throng/engine/stats.h"
#include "throng/test_support/child_process.h"
#include "throng/test_support/listening_address.h"

namespace throng::engine {
namespace {

using namespace std::chrono_literals;

class OpenModelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    backend_ = std::make_unique<test_support::ChildProcess>(
        THRONG_DEMO_BACKEND_PATH,
        std::vector<std::string>{"--listen", "127.0.0.1:0", "--threads", "1"});
    address_ = test_support::WaitForListening(*backend_);
  }

  /// One user class whose only task is GET `path`; the open model at `rate` for `duration`.
  Plan OpenPlan(const std::string& path, OpenModelPlan model, Duration duration) const {
    Plan plan;
    plan.name = "open";
    plan.http.host = "127.0.0.1";
    plan.http.port = static_cast<std::uint16_t>(address_.port);
    plan.http.request_timeout = 5s;
    plan.load.graceful_stop = 5s;
    plan.load.duration = duration;
    plan.load.model = model;
    plan.endpoints.push_back({"get", "GET"});
    RequestPlan request;
    request.path = Template::Parse(path);
    request.expect.statuses = {200};
    plan.user_classes.push_back(
        {"open", 1, {}, {}, {}, {TaskPlan{"get", 1, {StepPlan{request, ""}}}}, false});
    return plan;
  }

  /// Sends one admin request to the backend and returns its status line. Plain Asio: the
  /// shared Beast test client cannot be linked beside the engine (it builds Beast without
  /// BOOST_BEAST_USE_STD_STRING_VIEW, the engine with it).
  std::string Admin(const std::string& method, const std::string& json = "") const {
    namespace asio = boost::asio;
    asio::io_context context;
    asio::ip::tcp::socket socket(context);
    socket.connect(
        {asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(address_.port)});
    const std::string request =
        method + " /admin/faults HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
        "Content-Type: application/json\r\nContent-Length: " + std::to_string(json.size()) +
        "\r\nConnection: close\r\n\r\n" + json;
    asio::write(socket, asio::buffer(request));
    std::string response;
    boost::system::error_code ec;
    asio::read(socket, asio::dynamic_buffer(response), ec);  // until the server closes
    return response.substr(0, response.find("\r\n"));
  }

  void SetFaults(const std::string& json) { ASSERT_EQ(Admin("POST", json), "HTTP/1.1 200 OK"); }

  static double Percentile(const LatencyHistogram& histogram, double p) {
    return static_cast<double>(histogram.ValueAtPercentile(p)) / 1000.0;  // us -> ms
  }

  std::unique_ptr<test_support::ChildProcess> backend_;
  test_support::ListeningAddress address_;
};

TEST_F(OpenModelTest, ConstantRateLandsWithinOnePercentOfRateTimesDuration) {
  constexpr double kRate = 200;
  Engine engine(EngineOptions{2, {}, {}});
  auto job = engine.Start(OpenPlan("/health", OpenModelPlan{kRate, {}, 5, 50, 0}, 5s));
  std::this_thread::sleep_for(1s);
  EXPECT_DOUBLE_EQ(job->Status().target_rate, kRate);
  ASSERT_TRUE(job->WaitUntilDone(15s));
  EXPECT_EQ(job->Phase(), JobPhase::kCompleted) << job->Status().error;
  const StatsSnapshot snapshot = job->Stats().Snapshot();
  EXPECT_NEAR(static_cast<double>(snapshot.iterations), kRate * 5, kRate * 5 * 0.01);
  EXPECT_EQ(snapshot.dropped_iterations, 0u);
  EXPECT_EQ(snapshot.Aggregated().failures, 0u);
}

TEST_F(OpenModelTest, StallShowsInCorrectedLatencyNotInServiceTime) {
  constexpr double kRate = 100;
  Engine engine(EngineOptions{2, {}, {}});
  auto job = engine.Start(OpenPlan("/todos/?limit=1", OpenModelPlan{kRate, {}, 5, 20, 0}, 5s));
  std::this_thread::sleep_for(2s);
  SetFaults(R"({"stall_ms": 1000})");
  ASSERT_TRUE(job->WaitUntilDone(20s));
  EXPECT_EQ(job->Phase(), JobPhase::kCompleted) << job->Status().error;
  const StatsSnapshot snapshot = job->Stats().Snapshot();
  const EndpointStats total = snapshot.Aggregated();
  const double corrected_p99 = Percentile(total.latency, 99);
  const double corrected_p95 = Percentile(total.latency, 95);
  const double service_p99 = Percentile(total.service_time, 99);
  const double service_p95 = Percentile(total.service_time, 95);
  std::printf(
      "open 100/s, 20 users, 1 s stall: corrected p95 %.1f ms p99 %.1f ms | service p95 %.1f ms "
      "p99 %.1f ms | iterations %llu late %llu dropped %llu\n",
      corrected_p95, corrected_p99, service_p95, service_p99,
      static_cast<unsigned long long>(snapshot.iterations),
      static_cast<unsigned long long>(job->LateIterations()),
      static_cast<unsigned long long>(snapshot.dropped_iterations));
  EXPECT_GE(corrected_p99, 500);
  // At most 20 requests (one per user) sit in the stall; the ~80 arrivals behind them wait in
  // the queue, which only the corrected series shows.
  EXPECT_LT(service_p95, corrected_p95 / 4);
  EXPECT_GT(job->LateIterations(), 0u);
  // Nothing is lost: every arrival ran or was counted as dropped.
  EXPECT_NEAR(static_cast<double>(snapshot.iterations + snapshot.dropped_iterations), kRate * 5,
              kRate * 5 * 0.01);
}

TEST_F(OpenModelTest, PoolExhaustionDropsBeyondTheQueueThenTheRateHolds) {
  constexpr double kRate = 100;
  Engine engine(EngineOptions{2, {}, {}});
  SetFaults(R"({"latency_ms": 100})");  // 2 users x 10/s each: far below 100/s
  auto job = engine.Start(OpenPlan("/todos/?limit=1", OpenModelPlan{kRate, {}, 2, 2, 5}, 4s));
  std::this_thread::sleep_for(1500ms);
  const std::uint64_t dropped_while_slow = job->Stats().Snapshot().dropped_iterations;
  EXPECT_GT(dropped_while_slow, 50u);
  Admin("DELETE");
  std::this_thread::sleep_for(500ms);  // the backlog of in-flight slow requests clears
  const StatsSnapshot before = job->Stats().Snapshot();
  const auto window_start = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(1500ms);
  const StatsSnapshot after = job->Stats().Snapshot();
  const auto window = std::chrono::steady_clock::now() - window_start;
  // Once the backend is fast again, 2 users keep up with 100/s: no more drops, full rate.
  EXPECT_EQ(after.dropped_iterations, before.dropped_iterations);
  EXPECT_NEAR(PerSecond(after.iterations - before.iterations, window), kRate, kRate * 0.1);
  ASSERT_TRUE(job->WaitUntilDone(15s));
}

}  // namespace
}  // namespace throng::engine
