#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <latch>
#include <thread>

#include "backend_fixture.h"

namespace demo_test {
namespace {

TEST(DemoBackendLockers, NeedAToken) {
  DemoBackend backend;
  EXPECT_EQ(backend.Send("GET", "/lockers/available").status, 401);
  EXPECT_EQ(backend.Send("POST", "/lockers/1/hold").status, 401);
}

TEST(DemoBackendLockers, HoldConfirmReleaseFlow) {
  DemoBackend backend({"--lockers", "10"});
  std::string alice = backend.Login("load_test_user_0");
  std::string bob = backend.Login("load_test_user_1");
  EXPECT_EQ(Json::parse(backend.SendAs(alice, "GET", "/lockers/available").body).size(), 10u);

  auto held = backend.SendAs(alice, "POST", "/lockers/4/hold");
  ASSERT_EQ(held.status, 200) << held.body;
  EXPECT_EQ(Json::parse(held.body)["status"], "held");
  EXPECT_EQ(Json::parse(backend.SendAs(alice, "GET", "/lockers/available").body).size(), 9u);
  EXPECT_EQ(backend.SendAs(bob, "POST", "/lockers/4/hold").status, 409);
  EXPECT_EQ(backend.SendAs(bob, "POST", "/lockers/4/confirm").status, 409);
  EXPECT_EQ(backend.SendAs(bob, "POST", "/lockers/4/release").status, 409);

  auto confirmed = backend.SendAs(alice, "POST", "/lockers/4/confirm");
  ASSERT_EQ(confirmed.status, 200);
  EXPECT_EQ(Json::parse(confirmed.body)["status"], "confirmed");
  Json mine = Json::parse(backend.SendAs(alice, "GET", "/lockers/me").body);
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine[0]["id"], 4);
  EXPECT_TRUE(Json::parse(backend.SendAs(bob, "GET", "/lockers/me").body).empty());

  EXPECT_EQ(backend.SendAs(alice, "POST", "/lockers/4/release").status, 200);
  EXPECT_EQ(backend.SendAs(bob, "POST", "/lockers/4/hold").status, 200);
  EXPECT_EQ(backend.SendAs(alice, "POST", "/lockers/11/hold").status, 404);
  EXPECT_EQ(backend.SendAs(alice, "POST", "/lockers/0/hold").status, 404);
  EXPECT_EQ(backend.SendAs(alice, "POST", "/lockers/x/hold").status, 422);
}

TEST(DemoBackendLockers, ExactlyOneOfManyConcurrentHoldsWins) {
  DemoBackend backend({"--threads", "4"});
  constexpr int kContenders = 16;
  std::vector<std::string> tokens;
  for (int i = 0; i < kContenders; ++i)
    tokens.push_back(backend.Login("load_test_user_" + std::to_string(i)));
  std::atomic<int> ok = 0, conflict = 0, other = 0;
  std::latch start(kContenders);
  std::vector<std::thread> threads;
  for (int i = 0; i < kContenders; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      int status = backend.SendAs(tokens[static_cast<size_t>(i)], "POST", "/lockers/7/hold").status;
      (status == 200 ? ok : status == 409 ? conflict : other)++;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(ok, 1);
  EXPECT_EQ(conflict, kContenders - 1);
  EXPECT_EQ(other, 0);
}

TEST(DemoBackendLockers, UnconfirmedHoldExpires) {
  DemoBackend backend({"--hold-ttl", "150"});
  std::string alice = backend.Login("load_test_user_0");
  std::string bob = backend.Login("load_test_user_1");
  ASSERT_EQ(backend.SendAs(alice, "POST", "/lockers/2/hold").status, 200);
  // Bounded poll: the hold must lapse well within 5 s.
  int status = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < deadline) {
    status = backend.SendAs(bob, "POST", "/lockers/2/hold").status;
    if (status != 409) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(status, 200);
  // Alice's hold is gone: she can no longer confirm it.
  EXPECT_EQ(backend.SendAs(alice, "POST", "/lockers/2/confirm").status, 409);
}

}  // namespace
}  // namespace demo_test
