// A throng-demo-backend child on 127.0.0.1:0 for engine tests: plan builders aimed at it, its
// fault admin API and its /metrics counters.
#pragma once

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "throng/engine/plan.h"
#include "throng/engine/stats_snapshot.h"
#include "throng/test_support/child_process.h"
#include "throng/test_support/listening_address.h"

namespace throng::engine::testing {

/// `percentile` of a latency histogram, in milliseconds.
inline double PercentileMs(const LatencyHistogram& histogram, double percentile) {
  return static_cast<double>(histogram.ValueAtPercentile(percentile)) / 1000.0;  // us -> ms
}

/// Appends a request step to `into`; requests with the same name share one endpoint.
inline RequestPlan& AddRequest(Plan& plan, StepList& into, std::string method, std::string path,
                               const std::string& name, std::vector<unsigned> statuses = {}) {
  std::uint32_t endpoint = 0;
  while (endpoint < plan.endpoints.size() && plan.endpoints[endpoint].name != name) ++endpoint;
  if (endpoint == plan.endpoints.size()) plan.endpoints.push_back({name, method});
  RequestPlan request;
  request.endpoint = endpoint;
  request.method = std::move(method);
  request.path = Template::Parse(path);
  request.expect.statuses = std::move(statuses);
  into.push_back(StepPlan{std::move(request), ""});
  return std::get<RequestPlan>(into.back().action);
}

/// Adds a required extraction of the JSON Pointer `pointer` of `request`'s response into `var`.
inline void ExtractJson(RequestPlan& request, std::string var, std::string pointer,
                        ExtractPlan::Action action = ExtractPlan::Action::kSet) {
  request.extract.push_back(ExtractPlan{std::move(var), ExtractPlan::Source::kJsonPointer,
                                        std::move(pointer), action, true, nullptr});
}

/// Sets `request`'s body to the JSON document `shape` (no templated leaves).
inline void SetJsonBody(RequestPlan& request, nlohmann::json shape) {
  request.body = JsonBodyPlan{std::move(shape), {}};
}

/// The password of the backend's prepared accounts (its `--prepared-users`, 1000 by default).
inline constexpr char kPreparedPassword[] = "testpass123";

/// Adds the unique feeder `creds` (username, password) of the first `users` prepared accounts,
/// load_test_user_0 .. load_test_user_{users-1}.
inline void AddPreparedCredentials(Plan& plan, std::uint32_t users) {
  FeederPlan creds{"creds", FeederPlan::Mode::kUnique, {"username", "password"}, {}};
  for (std::uint32_t i = 0; i < users; ++i) {
    creds.rows.push_back({"load_test_user_" + std::to_string(i), kPreparedPassword});
  }
  plan.feeders.push_back(std::move(creds));
}

/// Makes `user_class` log in on start (form POST /auth/token, endpoint "login", expecting 200)
/// with the next row of the `creds` feeder, keeping the access token in the variable `token`.
inline void AddLogin(Plan& plan, UserClassPlan& user_class) {
  RequestPlan& login = AddRequest(plan, user_class.on_start, "POST", "/auth/token", "login", {200});
  login.body = FormBodyPlan{{{"username", Template::Parse("{{feed:creds.username}}")},
                             {"password", Template::Parse("{{feed:creds.password}}")}}};
  ExtractJson(login, "token", "/access_token");
}

/// Requests the engine counted for the endpoint named `name`; 0 if there is none.
inline std::uint64_t RequestsOf(const StatsSnapshot& snapshot, const std::string& name) {
  for (const EndpointStats& endpoint : snapshot.endpoints) {
    if (endpoint.key.name == name) return endpoint.requests;
  }
  return 0;
}

/// Starts the backend (one I/O thread) before each test.
class BackendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    backend_ = std::make_unique<test_support::ChildProcess>(
        THRONG_DEMO_BACKEND_PATH,
        std::vector<std::string>{"--listen", "127.0.0.1:0", "--threads", "1"});
    address_ = test_support::WaitForListening(*backend_);
  }

  /// An empty plan aimed at the backend.
  Plan NewPlan(std::string name) const {
    Plan plan;
    plan.name = std::move(name);
    plan.http.host = "127.0.0.1";
    plan.http.port = static_cast<std::uint16_t>(address_.port);
    plan.http.request_timeout = std::chrono::seconds(5);
    plan.http.connect_timeout = std::chrono::seconds(2);
    plan.load.graceful_stop = std::chrono::seconds(5);
    return plan;
  }

  /// A plan whose one user class runs GET `path` (expecting 200) as its only task.
  Plan GetPlan(const std::string& path) const {
    Plan plan = NewPlan("get");
    UserClassPlan user{"get", 1, {}, {}, {}, {TaskPlan{"get", 1, {}}}, false};
    AddRequest(plan, user.tasks[0].steps, "GET", path, "get", {200});
    plan.user_classes.push_back(std::move(user));
    return plan;
  }

  struct Reply {
    unsigned status = 0;
    std::string body;
  };

  /// One request on its own connection. Plain Asio: the shared Beast test client cannot be
  /// linked beside the engine (it builds Beast without BOOST_BEAST_USE_STD_STRING_VIEW, the
  /// engine with it).
  Reply Http(const std::string& method, const std::string& target,
             const std::string& json = "") const {
    namespace asio = boost::asio;
    asio::io_context context;
    asio::ip::tcp::socket socket(context);
    socket.connect(
        {asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(address_.port)});
    const std::string request =
        method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
        "Content-Type: application/json\r\nContent-Length: " + std::to_string(json.size()) +
        "\r\nConnection: close\r\n\r\n" + json;
    asio::write(socket, asio::buffer(request));
    std::string response;
    boost::system::error_code ec;
    asio::read(socket, asio::dynamic_buffer(response), ec);  // until the server closes
    Reply reply;
    if (response.rfind("HTTP/1.1 ", 0) == 0) reply.status = std::stoul(response.substr(9, 3));
    const std::size_t body = response.find("\r\n\r\n");
    if (body != std::string::npos) reply.body = response.substr(body + 4);
    return reply;
  }

  /// POST /admin/faults (e.g. {"stall_ms": 1000}); DELETE clears them.
  void SetFaults(const std::string& json) const {
    ASSERT_EQ(Http("POST", "/admin/faults", json).status, 200u);
  }
  void ClearFaults() const { ASSERT_EQ(Http("DELETE", "/admin/faults").status, 200u); }

  /// A sample of the backend's /metrics, e.g. `demo_http_requests_in_flight_max` or
  /// `demo_http_requests_total{route="/auth/token",method="POST",status="200"}`; 0 if absent
  /// (the backend only shows counters that were incremented).
  double BackendMetric(const std::string& series) const {
    const std::string exposition = Http("GET", "/metrics").body;
    const std::size_t at = exposition.find("\n" + series + " ");
    if (at == std::string::npos) return 0;
    return std::stod(exposition.substr(at + series.size() + 2));
  }

  /// Backend requests answered on `route` (its pattern) with `method` and `status`.
  double BackendRequests(const std::string& route, const std::string& method,
                         unsigned status) const {
    return BackendMetric("demo_http_requests_total{route=\"" + route + "\",method=\"" + method +
                         "\",status=\"" + std::to_string(status) + "\"}");
  }

  /// Backend requests answered on `route` with `method`, whatever their status.
  double BackendRequests(const std::string& route, const std::string& method) const {
    const std::string exposition = Http("GET", "/metrics").body;
    const std::string prefix =
        "demo_http_requests_total{route=\"" + route + "\",method=\"" + method + "\",status=";
    double total = 0;
    for (std::size_t at = exposition.find(prefix); at != std::string::npos;
         at = exposition.find(prefix, at + 1)) {
      total += std::stod(exposition.substr(exposition.find("} ", at) + 2));
    }
    return total;
  }

  std::unique_ptr<test_support::ChildProcess> backend_;
  test_support::ListeningAddress address_;
};

}  // namespace throng::engine::testing
