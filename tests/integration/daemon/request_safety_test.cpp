// What a job's requests may put on the wire, against the real throngd and a recording loopback
// server: a rendered CR/LF never reaches it, an unnamed request is labelled without its query
// string, and redirects are followed only to allowed hosts, up to http.max_redirects hops.
#include <gtest/gtest.h>

#include <string>

#include "daemon_fixture.h"
#include "job_wait.h"
#include "prometheus_text.h"
#include "throng/test_support/http_test_client.h"
#include "throng/test_support/recording_http_server.h"
#include "throng/test_support/temp_dir.h"

namespace throng {
namespace {

using daemon_test::Daemon;
using daemon_test::FailuresOfKind;
using daemon_test::SubmitOk;
using daemon_test::WaitForFinalReport;
using test_support::RecordingHttpServer;
using test_support::TempDir;

/// One user running `iterations` iterations of `steps_of_task` against `base_url`.
v1::JobSpec IterationsSpec(const std::string& base_url, std::uint32_t iterations) {
  v1::JobSpec spec;
  spec.set_name("request-safety");
  spec.set_base_url(base_url);
  spec.add_user_classes()->set_name("u");
  spec.mutable_load()->mutable_per_user_iterations()->set_users(1);
  spec.mutable_load()->mutable_per_user_iterations()->set_iterations(iterations);
  spec.mutable_http()->mutable_request_timeout()->set_seconds(5);
  return spec;
}

v1::Request& AddRequest(v1::JobSpec& spec, const std::string& name, const std::string& path) {
  v1::Task* task = spec.mutable_user_classes(0)->mutable_tasks()->empty()
                       ? spec.mutable_user_classes(0)->add_tasks()
                       : spec.mutable_user_classes(0)->mutable_tasks(0);
  v1::Request* request = task->add_steps()->mutable_request();
  request->set_name(name);
  request->set_path(path);
  return *request;
}

std::string UrlOf(const RecordingHttpServer& server, const std::string& host = "127.0.0.1") {
  return "http://" + host + ":" + std::to_string(server.port());
}

TEST(RequestSafetyTest, ARenderedCrlfFailsTheRequestAndNeverReachesTheWire) {
  TempDir dir;
  RecordingHttpServer server;
  Daemon daemon(dir.path() / "data");
  v1::JobSpec spec = IterationsSpec(UrlOf(server), 3);
  v1::Feeder* feeder = spec.add_feeders();
  feeder->set_name("f");
  (*feeder->mutable_inline_()->add_rows()->mutable_values())["note"] = "a\r\nX-Injected: 1";
  (*AddRequest(spec, "injected", "/inj").mutable_headers())["X-Note"] = "{{feed:f.note}}";
  AddRequest(spec, "plain", "/plain");
  const v1::Report report = WaitForFinalReport(daemon, SubmitOk(daemon, spec));
  EXPECT_EQ(FailuresOfKind(report, "invalid_header"), 3u) << report.ShortDebugString();
  EXPECT_EQ(server.RequestsStartingWith("/inj"), 0);
  EXPECT_EQ(server.RequestsStartingWith("/plain"), 3);
  EXPECT_FALSE(server.SawHeader("X-Injected"));
  bool listed = false;
  for (const v1::ErrorGroup& error : report.errors()) {
    listed = listed || error.kind() == v1::INVALID_HEADER;
    EXPECT_EQ(error.message().find("X-Injected"), std::string::npos) << error.message();
  }
  EXPECT_TRUE(listed) << report.ShortDebugString();
  EXPECT_EQ(daemon.Stop(), 0);
}

TEST(RequestSafetyTest, AnUnnamedRequestIsLabelledByItsPathWithoutTheQuery) {
  TempDir dir;
  RecordingHttpServer server;
  Daemon daemon(dir.path() / "data");
  v1::JobSpec spec = IterationsSpec(UrlOf(server), 2);
  AddRequest(spec, "", "/plain?api_key=k-93af17c2");
  const v1::Report report = WaitForFinalReport(daemon, SubmitOk(daemon, spec));
  ASSERT_EQ(report.endpoints_size(), 1);
  EXPECT_EQ(report.endpoints(0).name(), "GET /plain");
  EXPECT_EQ(server.RequestsStartingWith("/plain?api_key=k-93af17c2"), 2);
  const std::string scrape =
      test_support::Request("127.0.0.1", daemon.metrics_port, "GET", "/metrics").body;
  bool labelled = false;
  for (const daemon_test::PromSample& sample : daemon_test::ParseProm(scrape)) {
    if (sample.name == "throng_http_requests_total") {
      labelled = labelled || sample.labels.at("name") == "GET /plain";
    }
  }
  EXPECT_TRUE(labelled) << scrape;
  EXPECT_EQ(scrape.find("k-93af17c2"), std::string::npos);
  EXPECT_EQ(scrape.find("api_key"), std::string::npos);
  EXPECT_EQ(daemon.Stop(), 0);
}

/// The report row named `name`.
const v1::EndpointStats& Row(const v1::Report& report, const std::string& name) {
  for (const v1::EndpointStats& endpoint : report.endpoints()) {
    if (endpoint.name() == name) return endpoint;
  }
  ADD_FAILURE() << "no row " << name << " in " << report.ShortDebugString();
  return v1::EndpointStats::default_instance();
}

TEST(RequestSafetyTest, RedirectsAreFollowedCountedAndBoundedByMaxRedirects) {
  TempDir dir;
  RecordingHttpServer server;
  Daemon daemon(dir.path() / "data");
  v1::JobSpec spec = IterationsSpec(UrlOf(server), 2);
  AddRequest(spec, "three hops", "/hops/3").mutable_expect()->set_body_contains("arrived");
  AddRequest(spec, "seven hops", "/hops/7");  // beyond the default of 5
  AddRequest(spec, "one hop", "/hops/1");
  const v1::Report report = WaitForFinalReport(daemon, SubmitOk(daemon, spec));
  const v1::EndpointStats& three = Row(report, "three hops");
  EXPECT_EQ(three.requests(), 2u);
  EXPECT_EQ(three.failures(), 0u) << three.ShortDebugString();
  EXPECT_EQ(three.redirects(), 6u);
  const v1::EndpointStats& seven = Row(report, "seven hops");
  EXPECT_EQ(seven.failures_by_kind().at("too_many_redirects"), 2u) << seven.ShortDebugString();
  EXPECT_EQ(seven.redirects(), 10u);
  // "seven hops" asked 7 down to 2 (6 exchanges per request) and stopped there.
  EXPECT_EQ(server.RequestsStartingWith("/hops/7"), 2);
  EXPECT_EQ(server.RequestsStartingWith("/hops/2"), 4);  // "seven hops" and "three hops"
  EXPECT_EQ(server.RequestsStartingWith("/hops/0"), 4);  // "three hops" and "one hop"
  EXPECT_EQ(Row(report, "one hop").redirects(), 2u);
  const std::string scrape =
      test_support::Request("127.0.0.1", daemon.metrics_port, "GET", "/metrics").body;
  double redirects = 0;
  for (const daemon_test::PromSample& sample : daemon_test::ParseProm(scrape)) {
    if (sample.name == "throng_http_redirects_total") redirects += sample.value;
  }
  EXPECT_EQ(redirects, static_cast<double>(three.redirects() + seven.redirects() +
                                           Row(report, "one hop").redirects()));
  EXPECT_EQ(daemon.Stop(), 0);
}

TEST(RequestSafetyTest, FollowRedirectsFalseReturnsTheRedirect) {
  TempDir dir;
  RecordingHttpServer server;
  Daemon daemon(dir.path() / "data");
  v1::JobSpec spec = IterationsSpec(UrlOf(server), 2);
  spec.mutable_http()->set_follow_redirects(false);
  AddRequest(spec, "one hop", "/hops/1").mutable_expect()->add_status(302);
  const v1::Report report = WaitForFinalReport(daemon, SubmitOk(daemon, spec));
  EXPECT_EQ(Row(report, "one hop").failures(), 0u) << report.ShortDebugString();
  EXPECT_EQ(Row(report, "one hop").redirects(), 0u);
  EXPECT_EQ(server.RequestsStartingWith("/hops/0"), 0);
  EXPECT_EQ(daemon.Stop(), 0);
}

TEST(RequestSafetyTest, EveryHopIsCheckedAgainstTheAllowList) {
  TempDir dir;
  RecordingHttpServer home("127.0.0.1");
  RecordingHttpServer forbidden("127.0.0.2");
  RecordingHttpServer allowed("127.0.0.3");
  Daemon daemon(dir.path() / "data",
                {"--allow-target", "127.0.0.1", "--allow-target", "127.0.0.3"});
  v1::JobSpec spec = IterationsSpec(UrlOf(home), 2);
  (*spec.mutable_headers())["Authorization"] = "Bearer home-only-token";
  AddRequest(spec, "to forbidden", "/redirect?to=" + UrlOf(forbidden, "127.0.0.2") + "/away");
  AddRequest(spec, "to allowed", "/redirect?to=" + UrlOf(allowed, "127.0.0.3") + "/away");
  const v1::Report report = WaitForFinalReport(daemon, SubmitOk(daemon, spec));
  const v1::EndpointStats& refused = Row(report, "to forbidden");
  EXPECT_EQ(refused.failures_by_kind().at("target_not_allowed"), 2u) << refused.ShortDebugString();
  EXPECT_EQ(forbidden.connections(), 0);  // never a socket towards it
  bool explained = false;
  for (const v1::ErrorGroup& error : report.errors()) {
    explained =
        explained || (error.kind() == v1::TARGET_NOT_ALLOWED && error.name() == "to forbidden");
  }
  EXPECT_TRUE(explained) << report.ShortDebugString();
  const v1::EndpointStats& followed = Row(report, "to allowed");
  EXPECT_EQ(followed.failures(), 0u) << followed.ShortDebugString();
  EXPECT_EQ(followed.redirects(), 2u);
  EXPECT_EQ(allowed.RequestsStartingWith("/away"), 2);
  EXPECT_FALSE(allowed.SawHeader("Authorization"));  // credentials stay with their origin
  EXPECT_TRUE(home.SawHeader("Authorization"));
  EXPECT_EQ(daemon.Stop(), 0);
}

}  // namespace
}  // namespace throng
