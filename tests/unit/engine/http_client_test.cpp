// The Beast HTTP client against a real in-process server on loopback (plain HTTP).
#include "throng/engine/http_client.h"

#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <stdexcept>
#include <string>

#include "http_test_server.h"
#include "throng/test_support/wait_until.h"

namespace throng::engine {
namespace {

using namespace std::chrono_literals;
using test_support::HttpTestServer;
using test_support::RunSync;

std::string HeaderValue(const HttpResponse& response, std::string_view name) {
  for (const auto& [key, value] : response.headers) {
    if (boost::beast::iequals(key, name)) return value;
  }
  return {};
}

class HttpClientTest : public ::testing::Test {
 protected:
  HttpClientOptions Options() const {
    HttpClientOptions options;
    options.host = "127.0.0.1";
    options.port = server_.port();
    options.connect_timeout = 2s;
    options.request_timeout = 5s;
    return options;
  }

  HttpResponse Send(RequestSender& sender, std::string target, std::string method = "GET",
                    std::string body = "", HeaderList headers = {},
                    std::chrono::milliseconds timeout = 0ms) {
    HttpRequest request;
    request.method = std::move(method);
    request.target = std::move(target);
    request.body = std::move(body);
    request.headers = std::move(headers);
    request.timeout = timeout;
    return RunSync(io_, sender.Send(std::move(request)));
  }

  HttpTestServer server_;
  boost::asio::io_context io_;
};

TEST_F(HttpClientTest, ReturnsStatusHeadersBodyBytesAndLatency) {
  BeastSenderFactory factory(io_, Options());
  auto sender = factory.Create();
  const HttpResponse response = Send(*sender, "/ok");
  EXPECT_EQ(response.failure, FailureKind::kNone) << response.error;
  EXPECT_EQ(response.status, 200u);
  EXPECT_EQ(response.body, "hello");
  EXPECT_EQ(HeaderValue(response, "content-length"), "5");
  EXPECT_GT(response.bytes_sent, std::string("GET /ok HTTP/1.1\r\n\r\n").size());
  EXPECT_GT(response.bytes_received, response.body.size());
  EXPECT_GT(response.latency.count(), 0);
  EXPECT_TRUE(response.error.empty());
}

TEST_F(HttpClientTest, KeepAliveReusesOneConnection) {
  BeastSenderFactory factory(io_, Options());
  auto sender = factory.Create();
  for (int i = 0; i < 20; ++i) {
    const HttpResponse response = Send(*sender, "/ok");
    ASSERT_EQ(response.failure, FailureKind::kNone) << response.error;
    ASSERT_EQ(response.status, 200u);
  }
  EXPECT_EQ(server_.connections(), 1);
  EXPECT_EQ(server_.requests("/ok"), 20);
}

TEST_F(HttpClientTest, ConnectionCloseIsHonouredAndEachRequestReconnects) {
  BeastSenderFactory factory(io_, Options());
  auto sender = factory.Create();
  for (int i = 0; i < 5; ++i) {
    const HttpResponse response = Send(*sender, "/close");
    ASSERT_EQ(response.failure, FailureKind::kNone) << response.error;
    EXPECT_EQ(response.body, "hello");
  }
  EXPECT_EQ(server_.connections(), 5);
}

TEST_F(HttpClientTest, IdleConnectionClosedByServerIsRetriedOnAFreshOne) {
  BeastSenderFactory factory(io_, Options());
  auto sender = factory.Create();
  for (int i = 0; i < 5; ++i) {
    const HttpResponse dropped = Send(*sender, "/drop");
    ASSERT_EQ(dropped.failure, FailureKind::kNone) << dropped.error;
    // Wait for the server's FIN, so the next request really meets a closed connection.
    ASSERT_TRUE(
        ::throng::test_support::WaitUntil([&] { return server_.drops() == i + 1; }, 5s, 1ms));
    const HttpResponse next = Send(*sender, "/ok");
    ASSERT_EQ(next.failure, FailureKind::kNone) << next.error;
    EXPECT_EQ(next.status, 200u);
  }
  // Each /drop reuses the connection opened by the /ok before it: 1 + 5 connections, and every
  // /ok reached the server exactly once.
  EXPECT_EQ(server_.connections(), 6);
  EXPECT_EQ(server_.requests("/ok"), 5);
  EXPECT_EQ(server_.requests("/drop"), 5);
}

TEST_F(HttpClientTest, ConnectionClosedWithKeepAliveOff) {
  HttpClientOptions options = Options();
  options.keep_alive = false;
  BeastSenderFactory factory(io_, options);
  auto sender = factory.Create();
  for (int i = 0; i < 3; ++i) {
    const HttpResponse response = Send(*sender, "/echo");
    ASSERT_EQ(response.failure, FailureKind::kNone) << response.error;
    EXPECT_NE(response.body.find("Connection: close\n"), std::string::npos) << response.body;
  }
  EXPECT_EQ(server_.connections(), 3);
}

TEST_F(HttpClientTest, ResetMidResponseIsClassifiedAndNotRetried) {
  BeastSenderFactory factory(io_, Options());
  auto sender = factory.Create();
  ASSERT_EQ(Send(*sender, "/ok").failure, FailureKind::kNone);  // a reused connection next
  const HttpResponse response = Send(*sender, "/reset");
  EXPECT_EQ(response.failure, FailureKind::kReset) << response.error;
  EXPECT_EQ(response.status, 0u);
  EXPECT_FALSE(response.error.empty());
  EXPECT_EQ(server_.requests("/reset"), 1);
  // The failed connection is discarded: the next request starts clean.
  const HttpResponse after = Send(*sender, "/ok");
  EXPECT_EQ(after.failure, FailureKind::kNone) << after.error;
  EXPECT_EQ(server_.connections(), 2);
}

TEST_F(HttpClientTest, StalledServerTimesOutAndNextRequestWorks) {
  BeastSenderFactory factory(io_, Options());
  auto sender = factory.Create();
  const HttpResponse response = Send(*sender, "/stall", "GET", "", {}, 200ms);
  EXPECT_EQ(response.failure, FailureKind::kTimeout) << response.error;
  EXPECT_GE(response.latency, 200ms);
  EXPECT_EQ(Send(*sender, "/ok").failure, FailureKind::kNone);
}

TEST_F(HttpClientTest, DefaultRequestTimeoutApplies) {
  HttpClientOptions options = Options();
  options.request_timeout = 150ms;
  BeastSenderFactory factory(io_, options);
  auto sender = factory.Create();
  EXPECT_EQ(Send(*sender, "/stall").failure, FailureKind::kTimeout);
}

TEST_F(HttpClientTest, MalformedResponseIsClassified) {
  BeastSenderFactory factory(io_, Options());
  auto sender = factory.Create();
  const HttpResponse response = Send(*sender, "/malformed");
  EXPECT_EQ(response.failure, FailureKind::kMalformedResponse) << response.error;
  EXPECT_EQ(response.status, 0u);
}

TEST_F(HttpClientTest, BodyOverTheCapIsBodyTooLarge) {
  HttpClientOptions options = Options();
  options.max_body_bytes = 64 * 1024;
  BeastSenderFactory factory(io_, options);
  auto sender = factory.Create();
  const HttpResponse response = Send(*sender, "/huge");
  EXPECT_EQ(response.failure, FailureKind::kBodyTooLarge) << response.error;
  EXPECT_TRUE(response.body.empty());
  EXPECT_EQ(Send(*sender, "/ok").failure, FailureKind::kNone);
}

TEST_F(HttpClientTest, BodyUnderTheCapIsReadWhole) {
  BeastSenderFactory factory(io_, Options());
  auto sender = factory.Create();
  const HttpResponse response = Send(*sender, "/huge");
  ASSERT_EQ(response.failure, FailureKind::kNone) << response.error;
  EXPECT_EQ(response.body.size(), 1u << 20);
  EXPECT_GT(response.bytes_received, 1u << 20);
}

TEST_F(HttpClientTest, SendsHostUserAgentContentLengthAndCustomHeaders) {
  BeastSenderFactory factory(io_, Options());
  auto sender = factory.Create();
  const HttpResponse response =
      Send(*sender, "/echo", "POST", "payload", {{"X-Test", "42"}, {"Content-Type", "text/plain"}});
  ASSERT_EQ(response.failure, FailureKind::kNone) << response.error;
  const std::string& echo = response.body;
  EXPECT_NE(echo.find("Host: 127.0.0.1:" + std::to_string(server_.port()) + "\n"),
            std::string::npos)
      << echo;
  EXPECT_NE(echo.find("User-Agent: throng/0.1\n"), std::string::npos) << echo;
  EXPECT_NE(echo.find("Content-Length: 7\n"), std::string::npos) << echo;
  EXPECT_NE(echo.find("X-Test: 42\n"), std::string::npos) << echo;
  EXPECT_TRUE(echo.ends_with("\n\npayload")) << echo;
  EXPECT_GT(response.bytes_sent, std::string("payload").size());
}

TEST_F(HttpClientTest, RequestUserAgentOverridesTheDefault) {
  BeastSenderFactory factory(io_, Options());
  auto sender = factory.Create();
  const HttpResponse response = Send(*sender, "/echo", "GET", "", {{"user-agent", "mine/1"}});
  EXPECT_NE(response.body.find("mine/1"), std::string::npos);
  EXPECT_EQ(response.body.find("throng/0.1"), std::string::npos);
}

TEST_F(HttpClientTest, CookiesAreStoredSentBackAndSecureOnesWithheldOverHttp) {
  BeastSenderFactory factory(io_, Options());
  auto sender = factory.Create();
  const HttpResponse set = Send(*sender, "/cookies");
  ASSERT_EQ(set.failure, FailureKind::kNone) << set.error;
  EXPECT_FALSE(set.withheld_secure_cookie);
  EXPECT_EQ(sender->CookieValue("session"), "abc123");
  EXPECT_EQ(sender->CookieValue("prefs"), "dark");
  EXPECT_EQ(sender->CookieValue("gone"), "");

  const HttpResponse echo = Send(*sender, "/echo");
  ASSERT_EQ(echo.failure, FailureKind::kNone) << echo.error;
  EXPECT_NE(echo.body.find("Cookie: "), std::string::npos) << echo.body;
  EXPECT_NE(echo.body.find("session=abc123"), std::string::npos) << echo.body;
  EXPECT_NE(echo.body.find("prefs=dark"), std::string::npos) << echo.body;
  EXPECT_EQ(echo.body.find("secure_token"), std::string::npos) << echo.body;
  EXPECT_EQ(echo.body.find("gone="), std::string::npos) << echo.body;
  EXPECT_TRUE(echo.withheld_secure_cookie);
}

TEST_F(HttpClientTest, CookieJarsArePerSender) {
  BeastSenderFactory factory(io_, Options());
  auto first = factory.Create();
  auto second = factory.Create();
  ASSERT_EQ(Send(*first, "/cookies").failure, FailureKind::kNone);
  EXPECT_EQ(first->CookieValue("session"), "abc123");
  EXPECT_EQ(second->CookieValue("session"), "");
  EXPECT_EQ(Send(*second, "/echo").body.find("Cookie:"), std::string::npos);
}

TEST_F(HttpClientTest, CloseDropsTheConnection) {
  BeastSenderFactory factory(io_, Options());
  auto sender = factory.Create();
  ASSERT_EQ(Send(*sender, "/ok").failure, FailureKind::kNone);
  sender->Close();
  ASSERT_EQ(Send(*sender, "/ok").failure, FailureKind::kNone);
  EXPECT_EQ(server_.connections(), 2);
}

TEST_F(HttpClientTest, ClosedPortIsConnectRefused) {
  boost::asio::ip::tcp::acceptor probe(io_, {boost::asio::ip::make_address("127.0.0.1"), 0});
  HttpClientOptions options = Options();
  options.port = probe.local_endpoint().port();
  probe.close();
  BeastSenderFactory factory(io_, options);
  auto sender = factory.Create();
  const HttpResponse response = Send(*sender, "/ok");
  EXPECT_EQ(response.failure, FailureKind::kConnectRefused) << response.error;
  EXPECT_EQ(response.status, 0u);
  EXPECT_NE(response.error.find("connect"), std::string::npos) << response.error;
}

TEST_F(HttpClientTest, UnresolvableHostIsDns) {
  HttpClientOptions options = Options();
  options.host = "no-such-host.invalid";
  BeastSenderFactory factory(io_, options);
  auto sender = factory.Create();
  const HttpResponse response = Send(*sender, "/ok");
  EXPECT_EQ(response.failure, FailureKind::kDns) << response.error;
}

TEST_F(HttpClientTest, InvalidOptionsNameTheField) {
  HttpClientOptions options = Options();
  options.scheme = "ftp";
  try {
    BeastSenderFactory factory(io_, options);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("http.scheme"), std::string::npos) << e.what();
  }
  options = Options();
  options.host.clear();
  EXPECT_THROW(BeastSenderFactory(io_, options), std::invalid_argument);
}

}  // namespace
}  // namespace throng::engine
