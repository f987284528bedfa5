// DNS rebinding: a name allowed at submit may resolve elsewhere later. The HTTP client asks the
// allow-list (api::TargetPolicy, as throngd wires it) on the addresses of every connect, so the
// connect to a non-allowed address fails with TARGET_NOT_ALLOWED and no socket reaches it.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <deque>
#include <future>

#include "throng/api/service/target_policy.h"
#include "throng/engine/http_client.h"
#include "throng/test_support/recording_http_server.h"

namespace throng {
namespace {

namespace asio = boost::asio;
using engine::HostResolver;
using test_support::RecordingHttpServer;

/// Answers each Resolve with the next scripted endpoint (the last one again when it runs out).
class ScriptedResolver final : public HostResolver {
 public:
  explicit ScriptedResolver(std::deque<asio::ip::tcp::endpoint> answers)
      : answers_(std::move(answers)) {}

  asio::awaitable<boost::system::error_code> Resolve(std::string_view, std::uint16_t,
                                                     Endpoints& out) override {
    ++resolutions_;
    out.assign(1, answers_.front());
    if (answers_.size() > 1) answers_.pop_front();
    co_return boost::system::error_code{};
  }
  void Invalidate(std::string_view, std::uint16_t) override {}

  int resolutions() const { return resolutions_; }

 private:
  std::deque<asio::ip::tcp::endpoint> answers_;
  int resolutions_ = 0;
};

asio::ip::tcp::endpoint At(const std::string& address, std::uint16_t port) {
  return {asio::ip::make_address(address), port};
}

engine::HttpResponse SendOnce(asio::io_context& io, engine::RequestSender& sender) {
  engine::HttpRequest request;
  request.target = "/where";
  auto future = asio::co_spawn(io, sender.Send(std::move(request)), asio::use_future);
  io.restart();
  io.run();
  return future.get();
}

TEST(RebindingTest, EveryConnectIsJudgedOnWhatTheNameResolvesToThen) {
  RecordingHttpServer allowed("127.0.0.1");
  RecordingHttpServer elsewhere("127.0.0.2");
  const api::TargetPolicy policy({"127.0.0.1"});
  // The name is not listed: the policy allows it only where it resolves to 127.0.0.1.
  EXPECT_FALSE(
      policy.ConnectDenial("rebind.test", {asio::ip::make_address("127.0.0.1")}).has_value());

  asio::io_context io;
  engine::HttpClientOptions options;
  options.host = "rebind.test";
  options.port = allowed.port();
  options.keep_alive = false;  // every request connects, so every request resolves
  options.target_guard = &policy;
  auto resolver = std::make_unique<ScriptedResolver>(std::deque<asio::ip::tcp::endpoint>{
      At("127.0.0.1", allowed.port()), At("127.0.0.2", elsewhere.port())});
  ScriptedResolver& script = *resolver;
  engine::BeastSenderFactory factory(io, options, std::move(resolver));
  const std::unique_ptr<engine::RequestSender> sender = factory.Create();

  const engine::HttpResponse first = SendOnce(io, *sender);
  EXPECT_EQ(first.failure, engine::FailureKind::kNone) << first.error;
  EXPECT_EQ(first.status, 200u);
  EXPECT_EQ(allowed.RequestsStartingWith("/where"), 1);

  const engine::HttpResponse second = SendOnce(io, *sender);
  EXPECT_EQ(second.failure, engine::FailureKind::kTargetNotAllowed);
  EXPECT_EQ(second.status, 0u);
  EXPECT_NE(second.error.find("resolves to 127.0.0.2"), std::string::npos) << second.error;
  EXPECT_EQ(script.resolutions(), 2);
  EXPECT_EQ(elsewhere.connections(), 0);  // no socket was opened towards it
  EXPECT_EQ(allowed.connections(), 1);
}

TEST(RebindingTest, ANameListedByTheOperatorIsTrustedWhereverItResolves) {
  const api::TargetPolicy policy({"127.0.0.1", "staging.example.test"});
  const auto staging = asio::ip::make_address("192.0.2.10");
  EXPECT_FALSE(policy.ConnectDenial("staging.example.test", {staging}).has_value());
  EXPECT_TRUE(policy.ConnectDenial("other.example.test", {staging}).has_value());
  EXPECT_TRUE(policy.ConnectDenial("127.0.0.2", {asio::ip::make_address("127.0.0.2")}).has_value());
  EXPECT_TRUE(policy.ConnectDenial("rebind.test", {}).has_value());
}

}  // namespace
}  // namespace throng
