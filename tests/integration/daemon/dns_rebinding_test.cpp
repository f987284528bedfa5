// DNS rebinding against the real throngd: a name allowed at submit (it resolves to an allowed
// address) that later resolves to a non-allowed one. throngd runs in a private mount namespace
// whose /etc/hosts is a file of this test (glibc reads /etc/hosts at every getaddrinfo), so the
// daemon's own resolver, its per-worker DNS cache and its TargetPolicy are the ones under test.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "daemon_fixture.h"
#include "job_wait.h"
#include "throng/test_support/recording_http_server.h"
#include "throng/test_support/temp_dir.h"
#include "throng/test_support/wait_until.h"

namespace throng {
namespace {

using daemon_test::Daemon;
using daemon_test::FailuresOfKind;
using test_support::RecordingHttpServer;
using test_support::TempDir;
using namespace std::chrono_literals;

constexpr int kIterations = 80;
constexpr int kRequestsBeforeTheSwitch = 3;

/// Runs throngd in its own mount namespace with `hosts` bind-mounted over /etc/hosts.
std::vector<std::string> WithHostsFile(const std::filesystem::path& hosts) {
  return {"/usr/bin/unshare",
          "--mount",
          "--propagation",
          "private",
          "/bin/sh",
          "-c",
          R"(mount --bind "$0" /etc/hosts && exec "$@")",
          hosts.string()};
}

/// "127.0.0.1 rebind.test" becomes "127.0.0.2 rebind.test": one byte written in place, so every
/// read of the file sees one whole answer or the other (a rewrite could be read half-done).
void RebindTo127002(const std::filesystem::path& hosts) {
  const int fd = ::open(hosts.c_str(), O_WRONLY);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::pwrite(fd, "2", 1, 8), 1);
  ::close(fd);
}

v1::JobSpec RebindingSpec(std::uint16_t port) {
  v1::JobSpec spec;
  spec.set_name("rebinding");
  spec.set_base_url("http://rebind.test:" + std::to_string(port));
  spec.mutable_http()->set_disable_keep_alive(true);  // a new connection for every request
  // A request in flight when the allowed server stops fails in 2 s rather than stalling the job.
  spec.mutable_http()->mutable_request_timeout()->set_seconds(2);
  v1::UserClass* user = spec.add_user_classes();
  user->set_name("u");
  user->mutable_wait()->mutable_constant()->set_nanos(25'000'000);
  v1::Request* request = user->add_tasks()->add_steps()->mutable_request();
  request->set_name("where");
  request->set_path("/where");
  spec.mutable_load()->mutable_per_user_iterations()->set_users(1);
  spec.mutable_load()->mutable_per_user_iterations()->set_iterations(kIterations);
  return spec;
}

TEST(DnsRebindingTest, ANameThatMovesToANonAllowedAddressIsRefusedAtConnect) {
  if (::geteuid() != 0) {
    GTEST_SKIP() << "needs root: throngd runs in a private mount namespace (unshare --mount) "
                    "with the test's own /etc/hosts";
  }
  TempDir dir;
  RecordingHttpServer allowed("127.0.0.1");
  RecordingHttpServer elsewhere("127.0.0.2", allowed.port());  // same port: only the address moves
  const auto hosts = dir.path() / "hosts";
  std::ofstream(hosts) << "127.0.0.1 rebind.test\n";
  // 127.0.0.2 is loopback but not in the list: only 127.0.0.1 is allowed.
  Daemon daemon(dir.path() / "data", {"--allow-target", "127.0.0.1"}, WithHostsFile(hosts));
  const std::string id = daemon_test::SubmitOk(daemon, RebindingSpec(allowed.port()));
  ASSERT_TRUE(test_support::WaitUntil(
      [&] { return allowed.RequestsStartingWith("/where") >= kRequestsBeforeTheSwitch; }, 10s));

  // The switch: the name now answers 127.0.0.2, and the allowed server goes away. throngd's DNS
  // cache keeps an answer until a connect to it fails, so the next connect is refused, the answer
  // is dropped, and every later connect resolves the name again and is judged on 127.0.0.2.
  RebindTo127002(hosts);
  allowed.Stop();
  const int reached_allowed = allowed.RequestsStartingWith("/where");

  const v1::Report report = daemon_test::WaitForFinalReport(daemon, id, 30s);
  ASSERT_EQ(report.endpoints_size(), 1) << report.ShortDebugString();
  const v1::EndpointStats& row = report.endpoints(0);
  EXPECT_EQ(row.requests(), static_cast<std::uint64_t>(kIterations));
  EXPECT_LE(row.requests() - row.failures(), static_cast<std::uint64_t>(reached_allowed));
  const std::uint64_t refused = FailuresOfKind(report, "target_not_allowed");
  // All the requests after the switch but the one or two that met the closed port (and one that
  // may have been in flight when it closed).
  EXPECT_GE(refused, static_cast<std::uint64_t>(kIterations - reached_allowed - 3))
      << row.ShortDebugString();
  EXPECT_EQ(refused + FailuresOfKind(report, "connect_refused") + FailuresOfKind(report, "reset") +
                FailuresOfKind(report, "timeout"),
            row.failures())
      << row.ShortDebugString();
  bool explained = false;
  for (const v1::ErrorGroup& error : report.errors()) {
    explained =
        explained || (error.kind() == v1::TARGET_NOT_ALLOWED && error.occurrences() == refused &&
                      error.message().find("no connection opened") != std::string::npos);
  }
  EXPECT_TRUE(explained) << report.ShortDebugString();
  EXPECT_EQ(elsewhere.connections(), 0);  // never a socket towards the non-allowed address
  EXPECT_TRUE(elsewhere.requests().empty());
  EXPECT_EQ(daemon.Stop(), 0);
}

}  // namespace
}  // namespace throng
