#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "throng/test_support/child_process.h"
#include "throng/test_support/http_test_client.h"
#include "throng/test_support/listening_address.h"

namespace demo_test {

using Json = nlohmann::json;
using throng::test_support::HttpTestHeaders;
using throng::test_support::HttpTestResponse;

/// The value of the sample line of `exposition` (Prometheus text) whose series is exactly
/// `series`, labels included (e.g. `demo_http_requests_total{route="/todos/",method="GET",
/// status="200"}`), or -1 if it has none.
inline double Sample(const std::string& exposition, const std::string& series) {
  const size_t at = exposition.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  return std::stod(exposition.substr(at + series.size() + 2));
}

/// A throng-demo-backend child on 127.0.0.1:0 plus request helpers bound to it.
class DemoBackend {
 public:
  explicit DemoBackend(std::vector<std::string> extra_args = {}) {
    std::vector<std::string> args = {"--listen", "127.0.0.1:0",      "--threads",
                                     "2",        "--prepared-users", "20"};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    child_ = std::make_unique<throng::test_support::ChildProcess>(THRONG_DEMO_BACKEND_PATH, args);
    address_ = throng::test_support::WaitForListening(*child_);
  }

  HttpTestResponse Send(std::string_view method, std::string_view target,
                        std::string_view body = "", const HttpTestHeaders& headers = {}) const {
    return throng::test_support::Request(address_.host, address_.port, method, target, body,
                                         headers);
  }
  /// Like Send with a bearer token.
  HttpTestResponse SendAs(const std::string& token, std::string_view method,
                          std::string_view target, std::string_view body = "") const {
    return Send(method, target, body, {{"Authorization", "Bearer " + token}});
  }
  /// Logs in through the form endpoint and returns the access token (fails the test otherwise).
  std::string Login(const std::string& user = "load_test_user_0",
                    const std::string& password = "testpass123") const {
    auto response = Send("POST", "/auth/token", "username=" + user + "&password=" + password,
                         {{"Content-Type", "application/x-www-form-urlencoded"}});
    EXPECT_EQ(response.status, 200) << response.body;
    return Json::parse(response.body).value("access_token", "");
  }

  throng::test_support::ChildProcess& child() { return *child_; }
  const throng::test_support::ListeningAddress& address() const { return address_; }

 private:
  std::unique_ptr<throng::test_support::ChildProcess> child_;
  throng::test_support::ListeningAddress address_;
};

}  // namespace demo_test
