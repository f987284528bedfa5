// Every route of the JSON API against the real throngd running jobs on the real demo backend:
// submit (YAML and JSON, validate_only, the start form's overrides), list, get, events, steer,
// stop, report in every format; field-path errors and 404s; /metrics and the console beside them.
#include <gtest/gtest.h>

#include <string>

#include "backend_fixture.h"
#include "http_api_fixture.h"
#include "throng/test_support/temp_dir.h"
#include "throng/test_support/wait_until.h"

namespace throng::http_api_test {
namespace {

using daemon_test::Daemon;
using test_support::TempDir;
using test_support::WaitUntil;
using namespace std::chrono_literals;

class HttpApiJobsTest : public ::testing::Test {
 protected:
  std::string BackendUrl() const {
    return "http://127.0.0.1:" + std::to_string(backend_.address().port);
  }
  /// Submits `yaml` with `query` and returns the created job (fails the test otherwise).
  Json SubmitYaml(const std::string& yaml, const std::string& query = "") {
    const HttpTestResponse response = Http(daemon_, "POST", "/api/v1/jobs" + query, yaml);
    EXPECT_EQ(response.status, 201) << response.body;
    return Body(response);
  }
  Json GetJob(const std::string& id) { return Body(Http(daemon_, "GET", "/api/v1/jobs/" + id)); }

  TempDir data_;
  demo_test::DemoBackend backend_;
  Daemon daemon_{data_.path()};
};

TEST_F(HttpApiJobsTest, MetricsAndConsoleShareThePort) {
  const HttpTestResponse metrics = Http(daemon_, "GET", "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.Header("content-type").find("text/plain; version=0.0.4"), std::string::npos);
  EXPECT_NE(metrics.body.find("throngd_build_info{"), std::string::npos) << metrics.body;
  const HttpTestResponse page = Http(daemon_, "GET", "/");
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.Header("content-type").find("text/html"), std::string::npos);
  EXPECT_NE(page.body.find("<title>Throng console</title>"), std::string::npos);
  EXPECT_NE(page.Header("content-security-policy").find("default-src 'self'"), std::string::npos);
  const HttpTestResponse dygraphs = Http(daemon_, "GET", "/console/dygraph.min.js");
  EXPECT_EQ(dygraphs.status, 200);
  EXPECT_GT(dygraphs.body.size(), 50'000u);
  EXPECT_NE(dygraphs.body.find("Dygraph"), std::string::npos);
  EXPECT_EQ(Http(daemon_, "GET", "/console/app.js").status, 200);
  EXPECT_EQ(Http(daemon_, "GET", "/no-such-page").status, 404);
  EXPECT_EQ(Http(daemon_, "GET", "/api/v1/no-such-route").status, 404);
  EXPECT_EQ(Http(daemon_, "PUT", "/api/v1/jobs").status, 405);
}

TEST_F(HttpApiJobsTest, YamlJobRunsToItsReportThroughEveryReadRoute) {
  const Json job = SubmitYaml(ItemsYaml(BackendUrl(), "{closed: {users: 1}, duration: 30s}"),
                              "?users=2&spawn_rate=10&run_time=2s");
  const std::string id = job.value("id", "");
  ASSERT_FALSE(id.empty()) << job;
  EXPECT_EQ(job["spec"]["load"]["closed"]["users"], 2);
  EXPECT_EQ(job["spec"]["load"]["duration"], "2s");

  const Json list = Body(Http(daemon_, "GET", "/api/v1/jobs"));
  ASSERT_EQ(list["jobs"].size(), 1u) << list;
  EXPECT_EQ(list["jobs"][0]["id"], id);
  EXPECT_EQ(GetJob(id)["spec"]["name"], "console-items");

  // The stream ends by itself with the job: snapshots every second, then one final event.
  const HttpTestResponse stream =
      Http(daemon_, "GET", "/api/v1/jobs/" + id + "/events", "", "", {}, 20s);
  ASSERT_EQ(stream.status, 200) << stream.body;
  EXPECT_EQ(stream.Header("content-type"), "text/event-stream");
  const auto events = Events(stream.body);
  ASSERT_GE(events.size(), 2u) << stream.body;
  EXPECT_EQ(events.front().first, "snapshot");
  EXPECT_EQ(events.back().first, "final");
  for (std::size_t i = 0; i + 1 < events.size(); ++i) EXPECT_EQ(events[i].first, "snapshot");
  const Json last = Json::parse(events.back().second);
  EXPECT_EQ(last["final"], true);
  EXPECT_EQ(last["state"], "COMPLETED");
  EXPECT_GT(std::stoull(last["totals"]["requests"].get<std::string>()), 0u);

  const Json report = Body(Http(daemon_, "GET", "/api/v1/jobs/" + id + "/report"));
  EXPECT_EQ(report["final"], true) << report;
  EXPECT_EQ(report["job"]["id"], id);
  const HttpTestResponse html = Http(daemon_, "GET", "/api/v1/jobs/" + id + "/report?format=html");
  EXPECT_EQ(html.status, 200);
  EXPECT_NE(html.Header("content-disposition").find("attachment"), std::string::npos);
  EXPECT_NE(html.body.find("<html"), std::string::npos);
  const HttpTestResponse csv = Http(daemon_, "GET", "/api/v1/jobs/" + id + "/report?format=csv");
  EXPECT_EQ(csv.status, 200);
  EXPECT_NE(csv.body.find("list items"), std::string::npos) << csv.body;
  const HttpTestResponse json = Http(daemon_, "GET", "/api/v1/jobs/" + id + "/report?format=json");
  EXPECT_EQ(json.status, 200);
  EXPECT_TRUE(Body(json).is_object()) << json.body;
  EXPECT_EQ(Http(daemon_, "GET", "/api/v1/jobs/" + id + "/report?format=pdf").status, 400);
}

TEST_F(HttpApiJobsTest, JsonSpecValidatesWithoutCreatingAJob) {
  const Json spec = {
      {"name", "json-spec"},
      {"base_url", BackendUrl()},
      {"user_classes",
       {{{"name", "u"}, {"tasks", {{{"steps", {{{"request", {{"path", "/"}}}}}}}}}}}},
      {"load", {{"closed", {{"users", 1}}}, {"duration", "1s"}}}};
  const HttpTestResponse validated = Http(daemon_, "POST", "/api/v1/jobs?validate_only=true",
                                          spec.dump(), "", {{"Content-Type", "application/json"}});
  EXPECT_EQ(validated.status, 200) << validated.body;
  EXPECT_EQ(Body(validated)["id"], "");
  EXPECT_EQ(Body(validated)["spec"]["name"], "json-spec");
  EXPECT_TRUE(Body(Http(daemon_, "GET", "/api/v1/jobs"))["jobs"].empty());
}

TEST_F(HttpApiJobsTest, UsersPauseStopAndDeleteSteerARunningJob) {
  const Json job = SubmitYaml(ItemsYaml(BackendUrl(), "{closed: {users: 1}, unbounded: true}"));
  const std::string id = job.value("id", "");
  ASSERT_FALSE(id.empty());
  auto totals = [&] { return GetJob(id)["totals"]; };
  ASSERT_TRUE(WaitUntil([&] { return GetJob(id)["state"] == "RUNNING"; }, 10s)) << GetJob(id);

  const HttpTestResponse users =
      Http(daemon_, "PATCH", "/api/v1/jobs/" + id, R"({"target_users": 3})");
  EXPECT_EQ(users.status, 200) << users.body;
  EXPECT_TRUE(WaitUntil([&] { return totals()["active_users"] == 3; }, 10s)) << totals();

  EXPECT_EQ(Http(daemon_, "PATCH", "/api/v1/jobs/" + id, R"({"paused": true})").status, 200);
  EXPECT_TRUE(WaitUntil([&] { return GetJob(id)["state"] == "PAUSED"; }, 10s)) << GetJob(id);
  EXPECT_EQ(Http(daemon_, "PATCH", "/api/v1/jobs/" + id, R"({"paused": false})").status, 200);
  EXPECT_TRUE(WaitUntil([&] { return GetJob(id)["state"] == "RUNNING"; }, 10s)) << GetJob(id);

  const HttpTestResponse bad = Http(daemon_, "PATCH", "/api/v1/jobs/" + id, R"({"users": 3})");
  EXPECT_EQ(bad.status, 400) << bad.body;
  // A job that has not ended cannot be deleted: 409, and it keeps running.
  EXPECT_EQ(Http(daemon_, "DELETE", "/api/v1/jobs/" + id).status, 409);

  const HttpTestResponse stop = Http(daemon_, "POST", "/api/v1/jobs/" + id + "/stop", "{}", "",
                                     {{"Content-Type", "application/json"}});
  EXPECT_EQ(stop.status, 200) << stop.body;
  ASSERT_TRUE(WaitUntil([&] { return GetJob(id)["state"] == "STOPPED"; }, 15s)) << GetJob(id);
  // An ended job cannot be steered: 409 (FAILED_PRECONDITION).
  const HttpTestResponse late =
      Http(daemon_, "PATCH", "/api/v1/jobs/" + id, R"({"target_users": 1})");
  EXPECT_EQ(late.status, 409) << late.body;
  EXPECT_EQ(Error(late)["code"], "FAILED_PRECONDITION");
  const HttpTestResponse report = Http(daemon_, "GET", "/api/v1/jobs/" + id + "/report");
  EXPECT_EQ(Body(report)["job"]["state"], "STOPPED");
  // Ended: DELETE forgets the job and its report, as throngctl delete does.
  const HttpTestResponse deleted = Http(daemon_, "DELETE", "/api/v1/jobs/" + id);
  EXPECT_EQ(deleted.status, 200) << deleted.body;
  EXPECT_EQ(Http(daemon_, "GET", "/api/v1/jobs/" + id).status, 404);
  EXPECT_EQ(Http(daemon_, "GET", "/api/v1/jobs/" + id + "/report").status, 404);
}

TEST_F(HttpApiJobsTest, BadSpecsAreRefusedNamingTheField) {
  const HttpTestResponse type_error =
      Http(daemon_, "POST", "/api/v1/jobs",
           "name: x\nbase_url: " + BackendUrl() + "\nload: {closed: {users: many}}\n");
  EXPECT_EQ(type_error.status, 400);
  EXPECT_EQ(Error(type_error)["field"], "spec.load.closed.users") << type_error.body;
  EXPECT_NE(Error(type_error)["message"].get<std::string>().find("body:3:"), std::string::npos);

  // Valid YAML, invalid spec: ConvertSpec's own field path, the same as gRPC answers.
  const HttpTestResponse no_tasks =
      Http(daemon_, "POST", "/api/v1/jobs", ItemsYaml(BackendUrl(), "{closed: {users: 0}}"));
  EXPECT_EQ(no_tasks.status, 400) << no_tasks.body;
  EXPECT_EQ(Error(no_tasks)["code"], "INVALID_ARGUMENT");
  EXPECT_EQ(Error(no_tasks)["field"].get<std::string>().rfind("spec.load", 0), 0u) << no_tasks.body;

  const HttpTestResponse typo =
      Http(daemon_, "POST", "/api/v1/jobs", "name: x\nbase_ur1: http://127.0.0.1:1\n");
  EXPECT_EQ(typo.status, 400);
  EXPECT_NE(typo.body.find("did you mean \\\"base_url\\\""), std::string::npos) << typo.body;

  const std::string yaml = ItemsYaml(BackendUrl(), "{closed: {users: 1}, duration: 1s}");
  const HttpTestResponse users = Http(daemon_, "POST", "/api/v1/jobs?users=lots", yaml);
  EXPECT_EQ(users.status, 400);
  EXPECT_EQ(Error(users)["field"], "users");
  const HttpTestResponse run_time = Http(daemon_, "POST", "/api/v1/jobs?run_time=soon", yaml);
  EXPECT_EQ(run_time.status, 400);
  EXPECT_EQ(Error(run_time)["field"], "run_time");
  const HttpTestResponse open_rate =
      Http(daemon_, "POST", "/api/v1/jobs?spawn_rate=5",
           ItemsYaml(BackendUrl(), "{open: {rate: 5}, duration: 1s}"));
  EXPECT_EQ(open_rate.status, 400);
  EXPECT_EQ(Error(open_rate)["field"], "spawn_rate");
  // The target policy (loopback only by default) names spec.base_url: 403.
  const HttpTestResponse denied =
      Http(daemon_, "POST", "/api/v1/jobs?host=http://192.0.2.1:80", yaml);
  EXPECT_EQ(denied.status, 403) << denied.body;
  EXPECT_EQ(Error(denied)["field"], "spec.base_url");
  EXPECT_EQ(Http(daemon_, "POST", "/api/v1/jobs?validate_only=maybe", yaml).status, 400);
  EXPECT_TRUE(Body(Http(daemon_, "GET", "/api/v1/jobs"))["jobs"].empty());
}

TEST_F(HttpApiJobsTest, UnknownJobIs404OnEveryJobRoute) {
  for (const auto& [method, target] :
       std::vector<std::pair<std::string, std::string>>{{"GET", "/api/v1/jobs/nope"},
                                                        {"PATCH", "/api/v1/jobs/nope"},
                                                        {"POST", "/api/v1/jobs/nope/stop"},
                                                        {"GET", "/api/v1/jobs/nope/report"},
                                                        {"GET", "/api/v1/jobs/nope/events"},
                                                        {"DELETE", "/api/v1/jobs/nope"}}) {
    const std::string body = method == "GET" || method == "DELETE" ? "" : "{}";
    const HttpTestResponse response =
        Http(daemon_, method, target, body, "", {{"Content-Type", "application/json"}});
    EXPECT_EQ(response.status, 404) << method << " " << target << ": " << response.body;
    EXPECT_EQ(Error(response)["code"], "NOT_FOUND") << method << " " << target;
  }
  EXPECT_EQ(Http(daemon_, "GET", "/api/v1/jobs?state=SLEEPING").status, 400);
}

}  // namespace
}  // namespace throng::http_api_test
