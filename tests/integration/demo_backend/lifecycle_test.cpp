#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <regex>

#include "backend_fixture.h"

namespace demo_test {
namespace {

using throng::test_support::ChildProcess;

TEST(DemoBackendLifecycle, PrintsListeningLineAndServesOnTheAnnouncedPort) {
  DemoBackend backend;
  EXPECT_EQ(backend.address().host, "127.0.0.1");
  EXPECT_NE(backend.address().port, 0);
  EXPECT_EQ(backend.Send("GET", "/health").status, 200);
}

TEST(DemoBackendLifecycle, ExitsCleanlyOnSigtermAndSigint) {
  for (int signal : {SIGTERM, SIGINT}) {
    DemoBackend backend;
    backend.Send("GET", "/health");
    backend.child().Signal(signal);
    EXPECT_EQ(backend.child().Wait(std::chrono::seconds(10)), 0) << "signal " << signal;
  }
}

TEST(DemoBackendLifecycle, TakenPortIsAOneLineErrorAndExitCode1) {
  DemoBackend first;
  std::string listen = "127.0.0.1:" + std::to_string(first.address().port);
  ChildProcess second(THRONG_DEMO_BACKEND_PATH, {"--listen", listen});
  EXPECT_EQ(second.Wait(std::chrono::seconds(10)), 1);
  std::string err = second.Stderr();
  EXPECT_NE(err.find("cannot listen on " + listen), std::string::npos) << err;
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
}

TEST(DemoBackendLifecycle, MalformedListenFlagIsRejected) {
  ChildProcess child(THRONG_DEMO_BACKEND_PATH, {"--listen", "127.0.0.1"});
  EXPECT_EQ(child.Wait(std::chrono::seconds(10)), 1);
  EXPECT_NE(child.Stderr().find("--listen"), std::string::npos) << child.Stderr();
}

TEST(DemoBackendLifecycle, KeepAliveServesSeveralRequestsOnOneConnection) {
  constexpr char kCurl[] = "/usr/bin/curl";
  if (access(kCurl, X_OK) != 0) GTEST_SKIP() << "curl not installed";
  DemoBackend backend;
  std::string url = "http://127.0.0.1:" + std::to_string(backend.address().port) + "/health";
  // curl reuses its connection across URLs of one invocation; num_connects is 0 on reuse.
  ChildProcess curl(kCurl, {"-s", "--max-time", "10", "-w", "%{http_code} %{num_connects}\n", "-o",
                            "/dev/null", url, "-o", "/dev/null", url, "-o", "/dev/null", url});
  ASSERT_EQ(curl.Wait(std::chrono::seconds(15)), 0) << curl.Stderr();
  EXPECT_EQ(curl.Stdout(), "200 1\n200 0\n200 0\n");
}

}  // namespace
}  // namespace demo_test
