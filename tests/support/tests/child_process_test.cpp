#include "throng/test_support/child_process.h"

#include <gtest/gtest.h>

#include <csignal>
#include <stdexcept>

#include "throng/test_support/http_test_client.h"
#include "throng/test_support/listening_address.h"

namespace throng::test_support {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(ChildProcess, WaitForLineReturnsMatchingLinesInOrder) {
  ChildProcess child("/bin/sh", {"-c",
                                 "echo one; echo 'listening on http://127.0.0.1:4321'; "
                                 "echo two; echo three >&2"});
  EXPECT_EQ(child.WaitForLine(std::regex("^t"), seconds(5)), "two");
  EXPECT_THROW(child.WaitForLine(std::regex("one"), seconds(5)), std::runtime_error);
  EXPECT_EQ(child.Wait(seconds(5)), 0);
  EXPECT_EQ(child.Stderr(), "three\n");
  EXPECT_EQ(child.Stdout(), "one\nlistening on http://127.0.0.1:4321\ntwo\n");
}

TEST(ChildProcess, WaitForListeningParsesTheAddress) {
  ChildProcess child("/bin/sh", {"-c", "echo 'listening on http://127.0.0.1:4321'"});
  ListeningAddress address = WaitForListening(child, seconds(5));
  EXPECT_EQ(address.host, "127.0.0.1");
  EXPECT_EQ(address.port, 4321);
}

TEST(ChildProcess, WaitForLineTimesOutQuotingOutput) {
  ChildProcess child("/bin/sh", {"-c", "echo hello; exec sleep 30"});
  try {
    child.WaitForLine(std::regex("never"), milliseconds(100));
    FAIL() << "expected a timeout";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("timed out"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("hello"), std::string::npos);
  }
}

TEST(ChildProcess, ExitCodesAndSignals) {
  ChildProcess exits("/bin/sh", {"-c", "exit 3"});
  EXPECT_EQ(exits.Wait(seconds(5)), 3);
  ChildProcess sleeper("/bin/sh", {"-c", "exec sleep 30"});
  EXPECT_TRUE(sleeper.Running());
  sleeper.Signal(SIGTERM);
  EXPECT_EQ(sleeper.Wait(seconds(5)), 128 + SIGTERM);
  EXPECT_FALSE(sleeper.Running());
}

TEST(ChildProcess, WaitTimeoutKillsAndThrows) {
  ChildProcess sleeper("/bin/sh", {"-c", "exec sleep 30"});
  EXPECT_THROW(sleeper.Wait(milliseconds(50)), std::runtime_error);
  EXPECT_EQ(sleeper.Wait(seconds(5)), 128 + SIGKILL);
}

TEST(ChildProcess, MissingExecutableThrows) {
  EXPECT_THROW(ChildProcess("/nonexistent/binary", {}), std::system_error);
}

TEST(HttpTestClient, RefusedConnectionThrows) {
  // Port 1 on loopback is essentially never listening.
  EXPECT_THROW(Request("127.0.0.1", 1, "GET", "/"), HttpTestError);
}

}  // namespace
}  // namespace throng::test_support
