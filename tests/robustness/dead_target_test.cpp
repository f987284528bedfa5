// A target that accepts connections and never answers cannot give a passing job: with no
// successful request the verdict is FAIL (throngctl exits 1 for it) and the job says why.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <string>
#include <vector>

#include "robustness_fixture.h"

namespace throng::robustness_test {
namespace {

class DeadTargetRobustness : public Robust {};

TEST_F(DeadTargetRobustness, AJobWithoutOneAnswerFailsInsteadOfPassing) {
  StartDaemon();
  // Listens (the kernel completes connections into the backlog) and never accepts or answers.
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor silent(
      io, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  silent.listen(64);
  const std::string silent_url =
      "http://127.0.0.1:" + std::to_string(silent.local_endpoint().port());
  // Every request times out: all measured, none succeeded (the verdict was NONE, exit 0).
  v1::JobSpec timing_out = ItemsSpec("timing out", silent_url, 2, 2);
  timing_out.mutable_http()->mutable_request_timeout()->set_nanos(300'000'000);
  // Requests still waiting when the load ends: nothing measured (the verdict was PASS, exit 0).
  v1::JobSpec waiting = ItemsSpec("waiting", silent_url, 2, 2);
  waiting.mutable_http()->mutable_request_timeout()->set_seconds(60);
  waiting.mutable_load()->mutable_graceful_stop()->set_nanos(200'000'000);
  waiting.add_thresholds()->set_expr("p(95) < 1s");
  std::vector<std::string> ids;
  for (const v1::JobSpec* spec : {&timing_out, &waiting}) {
    v1::Job job;
    ASSERT_TRUE(daemon_test::Submit(daemon(), *spec, &job).ok());
    ids.push_back(job.id());
  }
  ExpectResponsive();
  for (const std::string& id : ids) {
    const v1::Job ended = WaitForEnd(id);
    EXPECT_EQ(ended.state(), v1::COMPLETED) << ended.ShortDebugString();
    EXPECT_EQ(ended.verdict(), v1::VERDICT_FAIL) << ended.ShortDebugString();
    bool explained = false;
    for (const std::string& warning : ended.warnings()) {
      explained = explained || warning.find("no request succeeded") != std::string::npos;
    }
    EXPECT_TRUE(explained) << ended.ShortDebugString();
  }
  ExpectHealthyJobReported();
}

}  // namespace
}  // namespace throng::robustness_test
