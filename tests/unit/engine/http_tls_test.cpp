// The Beast HTTP client over TLS against an in-process server with a certificate made at test time.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "http_test_cert.h"
#include "http_test_server.h"
#include "throng/engine/http_client.h"

namespace throng::engine {
namespace {

using namespace std::chrono_literals;
using test_support::HttpTestServer;
using test_support::MakeSelfSignedCert;
using test_support::RunSync;
using test_support::TestCert;

class HttpTlsTest : public ::testing::Test {
 protected:
  HttpClientOptions Options(std::string host = "localhost") const {
    HttpClientOptions options;
    options.scheme = "https";
    options.host = std::move(host);
    options.port = server_.port();
    options.connect_timeout = 2s;
    options.request_timeout = 5s;
    return options;
  }

  /// A sender that skips certificate verification (the factory lives in the fixture).
  std::unique_ptr<RequestSender> InsecureSender(HttpClientOptions options) {
    options.insecure_skip_verify = true;
    factory_.emplace(io_, std::move(options));
    return factory_->Create();
  }

  HttpResponse Get(RequestSender& sender, std::string target) {
    HttpRequest request;
    request.target = std::move(target);
    return RunSync(io_, sender.Send(std::move(request)));
  }

  TestCert cert_ = MakeSelfSignedCert("localhost");
  HttpTestServer server_{cert_};
  boost::asio::io_context io_;
  std::optional<BeastSenderFactory> factory_;
};

TEST_F(HttpTlsTest, SelfSignedCertificateFailsVerificationByDefault) {
  BeastSenderFactory factory(io_, Options());
  auto sender = factory.Create();
  const HttpResponse response = Get(*sender, "/ok");
  EXPECT_EQ(response.failure, FailureKind::kTls) << response.error;
  EXPECT_EQ(response.status, 0u);
  EXPECT_EQ(server_.requests("/ok"), 0);
}

TEST_F(HttpTlsTest, InsecureSkipVerifySucceedsSendsSniAndKeepsTheConnection) {
  auto sender = InsecureSender(Options());
  for (int i = 0; i < 5; ++i) {
    const HttpResponse response = Get(*sender, "/ok");
    ASSERT_EQ(response.failure, FailureKind::kNone) << response.error;
    EXPECT_EQ(response.body, "hello");
    EXPECT_GT(response.bytes_received, 0u);
  }
  EXPECT_EQ(server_.last_sni(), "localhost");
  EXPECT_EQ(server_.connections(), 1);
}

TEST_F(HttpTlsTest, TrustedCertificateWithMatchingNameVerifies) {
  BeastSenderFactory factory(io_, Options());
  factory.tls_context()->add_certificate_authority(boost::asio::buffer(cert_.cert_pem));
  auto sender = factory.Create();
  const HttpResponse response = Get(*sender, "/ok");
  EXPECT_EQ(response.failure, FailureKind::kNone) << response.error;
  EXPECT_EQ(response.status, 200u);
}

TEST_F(HttpTlsTest, TrustedCertificateForAnotherNameFailsHostNameVerification) {
  const TestCert other = MakeSelfSignedCert("other.example");
  HttpTestServer other_server(other);
  HttpClientOptions options = Options();
  options.port = other_server.port();
  BeastSenderFactory factory(io_, options);
  factory.tls_context()->add_certificate_authority(boost::asio::buffer(other.cert_pem));
  auto sender = factory.Create();
  const HttpResponse response = Get(*sender, "/ok");
  EXPECT_EQ(response.failure, FailureKind::kTls) << response.error;
}

TEST_F(HttpTlsTest, IpLiteralHostSendsNoSni) {
  auto sender = InsecureSender(Options("127.0.0.1"));
  ASSERT_EQ(Get(*sender, "/ok").failure, FailureKind::kNone);
  EXPECT_EQ(server_.last_sni(), "");
}

TEST_F(HttpTlsTest, SecureCookiesAreSentOverHttps) {
  auto sender = InsecureSender(Options());
  ASSERT_EQ(Get(*sender, "/cookies").failure, FailureKind::kNone);
  const HttpResponse echo = Get(*sender, "/echo");
  ASSERT_EQ(echo.failure, FailureKind::kNone) << echo.error;
  EXPECT_NE(echo.body.find("secure_token=s3cr3t"), std::string::npos) << echo.body;
  EXPECT_FALSE(echo.withheld_secure_cookie);
  EXPECT_NE(echo.body.find("Host: localhost:" + std::to_string(server_.port())), std::string::npos);
}

TEST_F(HttpTlsTest, ResetAndMalformedOverTlsAreClassified) {
  auto sender = InsecureSender(Options());
  EXPECT_EQ(Get(*sender, "/reset").failure, FailureKind::kReset);
  EXPECT_EQ(Get(*sender, "/malformed").failure, FailureKind::kMalformedResponse);
  EXPECT_EQ(Get(*sender, "/ok").failure, FailureKind::kNone);
}

TEST_F(HttpTlsTest, PlainHttpClientAgainstTlsServerIsMeasuredNotCrashed) {
  HttpClientOptions options = Options();
  options.scheme = "http";
  options.request_timeout = 1s;
  BeastSenderFactory factory(io_, options);
  auto sender = factory.Create();
  const HttpResponse response = Get(*sender, "/ok");
  EXPECT_NE(response.failure, FailureKind::kNone);
  EXPECT_EQ(response.status, 0u);
}

}  // namespace
}  // namespace throng::engine
