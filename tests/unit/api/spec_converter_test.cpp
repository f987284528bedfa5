#include "throng/api/spec/spec_converter.h"

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>

namespace throng::api {
namespace {

using engine::Plan;
using namespace std::chrono_literals;

// A spec touching every part of the schema; invalid cases below each break one field of it.
constexpr const char* kValidSpec = R"json({
  "name": "shop",
  "baseUrl": "https://Shop.Example:8443/api/",
  "headers": {"User-Agent": "throng/{{user_index}}"},
  "variables": {"password": "pw"},
  "feeders": [
    {"name": "users", "mode": "ROUND_ROBIN",
     "generated": {"count": 3, "columns": {"username": "load_test_user_{{row_index}}"}}},
    {"name": "codes", "inline": {"rows": [{"values": {"a": "1", "b": "2"}},
                                          {"values": {"a": "3", "b": "4"}}]}}
  ],
  "setup": [{"request": {"method": "post", "path": "/setup"}}],
  "userClasses": [{
    "name": "buyer", "weight": 3, "wait": {"between": {"min": "0.5s", "max": "2s"}},
    "taskOrder": "TASK_ORDER_SEQUENTIAL",
    "onStart": [{"request": {"name": "login", "method": "POST", "path": "/auth/token",
      "form": {"fields": {"username": "{{feed:users.username}}", "password": "{{password}}"}},
      "expect": {"status": [200]},
      "extract": [{"var": "token", "jsonPointer": "/access_token", "required": true}]}}],
    "tasks": [
      {"name": "browse", "weight": 5, "steps": [
        {"request": {"path": "/products", "query": {"page": "{{randint:1:5}}"},
                     "headers": {"Authorization": "Bearer {{token}}"}}},
        {"think": {"constant": "0.1s"}},
        {"request": {"path": "/products", "timeout": "2s"}}]},
      {"steps": [
        {"request": {"name": "create", "method": "POST", "path": "/orders",
          "json": {"product": "{{feed:codes.a}}", "quantity": 2, "price": 1.5,
                   "tags": ["x", "{{uuid}}"], "gift": false, "note": null},
          "expect": {"status": [201], "bodyContains": "id",
                     "json": [{"pointer": "/status", "equals": "new"}]},
          "extract": [{"var": "orders", "regex": "\"id\":(\\d+)", "action": "APPEND"}]}},
        {"choice": {"branches": [
          {"name": "confirm", "steps": [{"request": {"method": "PATCH", "path": "/orders/{{order}}",
                                                     "raw": "ok", "contentType": "text/csv"}}]},
          {"name": "idle", "weight": 3}]}},
        {"repeat": {"count": 2, "steps": [{"list": {"list": "orders", "op": "POP", "var": "order"}}]}},
        {"set": {"values": {"b": "{{a}}", "a": "1"}}, "skipIfEmpty": "order"}]}
    ]
  }],
  "load": {"closed": {"stages": [{"duration": "10s", "users": 10},
                                 {"duration": "20s", "users": 50, "spawnRate": 5, "name": "peak"}]},
           "gracefulStop": "5s"},
  "thresholds": [{"expr": "p(95) < 500ms", "requestName": "create", "abortOnFail": true,
                  "abortDelay": "30s"},
                 {"expr": "fail_rate < 5%"}],
  "histogramBuckets": [0.01, 0.1, 1],
  "http": {"connectTimeout": "1s", "maxBodyBytes": "1024", "disableKeepAlive": true},
  "teardown": [{"request": {"method": "DELETE", "path": "/setup"}}]
})json";

v1::JobSpec FromJson(const std::string& json) {
  v1::JobSpec spec;
  const auto status = google::protobuf::util::JsonStringToMessage(json, &spec);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return spec;
}

v1::JobSpec ValidSpec() { return FromJson(kValidSpec); }

/// Step `step` of task `task` of the first user class.
v1::Step& TaskStep(v1::JobSpec& spec, int task, int step) {
  return *spec.mutable_user_classes(0)->mutable_tasks(task)->mutable_steps(step);
}
v1::Request& TaskRequest(v1::JobSpec& spec, int task, int step) {
  return *TaskStep(spec, task, step).mutable_request();
}

// The rules of the spec itself; the daemon's --allow-env/--feeder-dir are tested in
// spec_policy_test.cpp.
std::string ConvertError(const v1::JobSpec& spec) {
  try {
    ConvertSpec(spec, ConvertOptions::Unrestricted());
  } catch (const SpecError& error) {
    EXPECT_EQ(std::string(error.what()), error.field_path() + ": " + error.message());
    return error.field_path();
  }
  return "(no error)";
}

TEST(SpecConverterTest, ValidSpecConvertsTopLevelAndHttp) {
  const Plan plan = ConvertSpec(ValidSpec());
  EXPECT_EQ(plan.name, "shop");
  EXPECT_EQ(plan.http.scheme, "https");
  EXPECT_EQ(plan.http.host, "shop.example");
  EXPECT_EQ(plan.http.port, 8443);
  EXPECT_EQ(plan.http.base_path, "/api");
  EXPECT_EQ(plan.http.connect_timeout, 1s);
  EXPECT_EQ(plan.http.request_timeout, 30s);
  EXPECT_EQ(plan.http.max_body_bytes, 1024u);
  EXPECT_FALSE(plan.http.keep_alive);
  ASSERT_EQ(plan.http.default_headers.size(), 1u);
  EXPECT_EQ(plan.http.default_headers[0].first, "User-Agent");
  EXPECT_FALSE(plan.http.default_headers[0].second.IsLiteral());
  EXPECT_EQ(plan.variables.at("password"), "pw");
  EXPECT_EQ(plan.histogram_buckets, (std::vector<double>{0.01, 0.1, 1}));
  ASSERT_EQ(plan.setup.size(), 1u);
  EXPECT_EQ(std::get<engine::RequestPlan>(plan.setup[0].action).method, "POST");
  ASSERT_EQ(plan.teardown.size(), 1u);
}

TEST(SpecConverterTest, ValidSpecConvertsFeeders) {
  const Plan plan = ConvertSpec(ValidSpec());
  ASSERT_EQ(plan.feeders.size(), 2u);
  EXPECT_EQ(plan.feeders[0].name, "users");
  EXPECT_EQ(plan.feeders[0].mode, engine::FeederPlan::Mode::kRoundRobin);
  EXPECT_EQ(plan.feeders[0].columns, std::vector<std::string>{"username"});
  EXPECT_EQ(plan.feeders[0].rows,
            (std::vector<std::vector<std::string>>{
                {"load_test_user_0"}, {"load_test_user_1"}, {"load_test_user_2"}}));
  EXPECT_EQ(plan.feeders[1].mode, engine::FeederPlan::Mode::kUnique);
  EXPECT_EQ(plan.feeders[1].columns, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(plan.feeders[1].rows, (std::vector<std::vector<std::string>>{{"1", "2"}, {"3", "4"}}));
}

TEST(SpecConverterTest, ValidSpecConvertsUserClassesAndSteps) {
  const Plan plan = ConvertSpec(ValidSpec());
  ASSERT_EQ(plan.user_classes.size(), 1u);
  const engine::UserClassPlan& buyer = plan.user_classes[0];
  EXPECT_EQ(buyer.weight, 3u);
  EXPECT_TRUE(buyer.sequential);
  EXPECT_EQ(buyer.wait.kind, engine::WaitPlan::Kind::kBetween);
  EXPECT_EQ(buyer.wait.range.min, 500ms);
  EXPECT_EQ(buyer.wait.range.max, 2s);
  ASSERT_EQ(buyer.tasks.size(), 2u);
  EXPECT_EQ(buyer.tasks[0].name, "browse");
  EXPECT_EQ(buyer.tasks[0].weight, 5u);
  EXPECT_EQ(buyer.tasks[1].name, "task1");
  EXPECT_EQ(buyer.tasks[1].weight, 1u);

  const auto& login = std::get<engine::RequestPlan>(buyer.on_start[0].action);
  const auto& form = std::get<engine::FormBodyPlan>(login.body);
  ASSERT_EQ(form.fields.size(), 2u);
  EXPECT_EQ(form.fields[0].first, "password");
  EXPECT_EQ(form.fields[1].first, "username");
  EXPECT_EQ(login.expect.statuses, std::vector<unsigned>{200});
  ASSERT_EQ(login.extract.size(), 1u);
  EXPECT_EQ(login.extract[0].source, engine::ExtractPlan::Source::kJsonPointer);
  EXPECT_EQ(login.extract[0].expression, "/access_token");
  EXPECT_TRUE(login.extract[0].required);

  const auto& browse = buyer.tasks[0].steps;
  EXPECT_EQ(std::get<engine::ThinkPlan>(browse[1].action).range.max, 100ms);
  EXPECT_EQ(std::get<engine::RequestPlan>(browse[0].action).query[0].first, "page");
  EXPECT_EQ(std::get<engine::RequestPlan>(browse[2].action).timeout, 2s);

  const auto& flow = buyer.tasks[1].steps;
  const auto& choice = std::get<engine::ChoicePlan>(flow[1].action);
  ASSERT_EQ(choice.branches.size(), 2u);
  EXPECT_EQ(choice.branches[0].weight, 1u);
  EXPECT_EQ(choice.branches[1].weight, 3u);
  EXPECT_TRUE(choice.branches[1].steps.empty());
  const auto& raw = std::get<engine::RawBodyPlan>(
      std::get<engine::RequestPlan>(choice.branches[0].steps[0].action).body);
  EXPECT_EQ(raw.content_type, "text/csv");
  const auto& repeat = std::get<engine::RepeatPlan>(flow[2].action);
  EXPECT_EQ(repeat.count, 2u);
  const auto& pop = std::get<engine::ListOpPlan>(repeat.steps[0].action);
  EXPECT_EQ(pop.op, engine::ListOpPlan::Op::kPop);
  EXPECT_EQ(pop.var, "order");
  EXPECT_EQ(flow[3].skip_if_empty, "order");
  EXPECT_EQ(std::get<engine::SetVariablesPlan>(flow[3].action).values[0].first, "a");
}

TEST(SpecConverterTest, JsonBodyKeepsShapeAndTemplatedLeaves) {
  const Plan plan = ConvertSpec(ValidSpec());
  const auto& create = std::get<engine::RequestPlan>(plan.user_classes[0].tasks[1].steps[0].action);
  const auto& body = std::get<engine::JsonBodyPlan>(create.body);
  EXPECT_EQ(body.shape["quantity"], 2);
  EXPECT_TRUE(body.shape["quantity"].is_number_integer());
  EXPECT_EQ(body.shape["price"], 1.5);
  EXPECT_EQ(body.shape["gift"], false);
  EXPECT_TRUE(body.shape["note"].is_null());
  EXPECT_EQ(body.shape["tags"][0], "x");
  ASSERT_EQ(body.strings.size(), 2u);
  EXPECT_EQ(body.strings[0].first.to_string(), "/product");
  EXPECT_EQ(body.strings[1].first.to_string(), "/tags/1");
  EXPECT_EQ(create.expect.json[0].pointer.to_string(), "/status");
  EXPECT_EQ(create.expect.json[0].equals, "new");
  ASSERT_TRUE(create.expect.body_contains.has_value());
  ASSERT_NE(create.extract[0].regex, nullptr);
  const std::string response = R"({"id":42})";
  EXPECT_EQ(create.extract[0].regex->Search(response, 1 << 20).value_or(""), "42");
  EXPECT_EQ(create.extract[0].action, engine::ExtractPlan::Action::kAppend);
}

TEST(SpecConverterTest, RequestsWithTheSameKeyShareAnEndpoint) {
  const Plan plan = ConvertSpec(ValidSpec());
  const std::vector<engine::EndpointKey> expected = {{"POST /setup", "POST"},
                                                     {"login", "POST"},
                                                     {"GET /products", "GET"},
                                                     {"create", "POST"},
                                                     {"PATCH /orders/{{order}}", "PATCH"},
                                                     {"DELETE /setup", "DELETE"}};
  EXPECT_EQ(plan.endpoints, expected);
  const auto& browse = plan.user_classes[0].tasks[0].steps;
  EXPECT_EQ(std::get<engine::RequestPlan>(browse[0].action).endpoint, 2u);
  EXPECT_EQ(std::get<engine::RequestPlan>(browse[2].action).endpoint, 2u);
  EXPECT_EQ(std::get<engine::RequestPlan>(plan.teardown[0].action).endpoint, 5u);
}

TEST(SpecConverterTest, ValidSpecConvertsLoadAndThresholds) {
  const Plan plan = ConvertSpec(ValidSpec());
  const auto& closed = std::get<engine::ClosedModelPlan>(plan.load.model);
  ASSERT_EQ(closed.stages.size(), 2u);
  EXPECT_EQ(closed.stages[1].duration, 20s);
  EXPECT_EQ(closed.stages[1].users, 50u);
  EXPECT_EQ(closed.stages[1].spawn_rate, 5);
  EXPECT_EQ(closed.stages[1].name, "peak");
  EXPECT_EQ(plan.load.duration, std::optional<engine::Duration>(30s));  // sum of the stages
  EXPECT_EQ(plan.load.graceful_stop, 5s);

  ASSERT_EQ(plan.thresholds.size(), 2u);
  const engine::ThresholdPlan& p95 = plan.thresholds[0];
  EXPECT_EQ(p95.metric, engine::ThresholdPlan::Metric::kPercentile);
  EXPECT_DOUBLE_EQ(p95.percentile, 95);
  EXPECT_DOUBLE_EQ(p95.value, 0.5);
  EXPECT_EQ(p95.request_name, "create");
  EXPECT_TRUE(p95.abort_on_fail);
  EXPECT_EQ(p95.abort_delay, 30s);
  EXPECT_DOUBLE_EQ(plan.thresholds[1].value, 0.05);
}

TEST(SpecConverterTest, LoadModelsFillDefaults) {
  v1::JobSpec spec = ValidSpec();
  spec.mutable_load()->Clear();
  spec.mutable_load()->mutable_open()->set_rate(2.5);
  spec.mutable_load()->mutable_open()->set_max_users(10);
  spec.mutable_load()->set_unbounded(true);
  Plan plan = ConvertSpec(spec);
  const auto& open = std::get<engine::OpenModelPlan>(plan.load.model);
  EXPECT_EQ(open.pre_allocated_users, 3u);  // ceil(rate), at most max_users
  EXPECT_FALSE(plan.load.duration.has_value());
  EXPECT_EQ(plan.load.graceful_stop, 30s);

  spec.mutable_load()->Clear();
  spec.mutable_load()->mutable_per_user_iterations()->set_users(50);
  plan = ConvertSpec(spec);
  const auto& per_user = std::get<engine::PerUserIterationsPlan>(plan.load.model);
  EXPECT_EQ(per_user.users, 50u);
  EXPECT_EQ(per_user.iterations, 1u);
  EXPECT_FALSE(plan.load.duration.has_value());

  spec.mutable_load()->Clear();
  spec.mutable_load()->mutable_closed()->set_users(20);
  spec.mutable_load()->mutable_duration()->set_seconds(15);
  plan = ConvertSpec(spec);
  EXPECT_EQ(std::get<engine::ClosedModelPlan>(plan.load.model).users, 20u);
  EXPECT_EQ(plan.load.duration, std::optional<engine::Duration>(15s));
}

TEST(SpecConverterTest, BaseUrlVariants) {
  struct Case {
    std::string url, scheme, host;
    std::uint16_t port;
    std::string base_path;
  };
  const std::vector<Case> cases = {
      {"http://127.0.0.1", "http", "127.0.0.1", 80, ""},
      {"HTTPS://example.com/", "https", "example.com", 443, ""},
      {"http://localhost:8000/v1/api//", "http", "localhost", 8000, "/v1/api"},
      {"http://[::1]:9000", "http", "::1", 9000, ""},
  };
  for (const Case& c : cases) {
    v1::JobSpec spec = ValidSpec();
    spec.set_base_url(c.url);
    const Plan plan = ConvertSpec(spec);
    EXPECT_EQ(plan.http.scheme, c.scheme) << c.url;
    EXPECT_EQ(plan.http.host, c.host) << c.url;
    EXPECT_EQ(plan.http.port, c.port) << c.url;
    EXPECT_EQ(plan.http.base_path, c.base_path) << c.url;
  }
}

struct InvalidCase {
  std::string label;
  std::function<void(v1::JobSpec&)> mutate;
  std::string path;
  std::string message;  // a substring of the message; empty: not checked
};

// Names the case in failure messages instead of dumping its bytes.
void PrintTo(const InvalidCase& c, std::ostream* out) { *out << c.label; }

class InvalidSpecTest : public testing::TestWithParam<InvalidCase> {};

TEST_P(InvalidSpecTest, FailsAtTheFieldPath) {
  v1::JobSpec spec = ValidSpec();
  GetParam().mutate(spec);
  try {
    ConvertSpec(spec, ConvertOptions::Unrestricted());
    FAIL() << "expected SpecError at " << GetParam().path;
  } catch (const SpecError& error) {
    EXPECT_EQ(error.field_path(), GetParam().path) << error.what();
    EXPECT_EQ(std::string(error.what()), error.field_path() + ": " + error.message());
    EXPECT_NE(error.message().find(GetParam().message), std::string::npos) << error.what();
  }
}

const std::string kStep0 = "spec.user_classes[0].tasks[0].steps[0]";
const std::string kFlow = "spec.user_classes[0].tasks[1].steps";

std::vector<InvalidCase> InvalidCases() {
  return {
      {"no_name", [](v1::JobSpec& s) { s.clear_name(); }, "spec.name", "required"},
      {"tag_too_long",
       [](v1::JobSpec& s) {
         s.mutable_user_classes(0)->mutable_tasks(0)->add_tags(std::string(65, 'x'));
       },
       "spec.user_classes[0].tasks[0].tags[0]", "1..64 characters"},
      {"tag_with_space",
       [](v1::JobSpec& s) { s.mutable_user_classes(0)->mutable_tasks(0)->add_tags("a b"); },
       "spec.user_classes[0].tasks[0].tags[0]", "letters, digits"},
      {"too_many_tags",
       [](v1::JobSpec& s) {
         for (int i = 0; i < 17; ++i) s.mutable_user_classes(0)->mutable_tasks(0)->add_tags("t");
       },
       "spec.user_classes[0].tasks[0].tags", "at most 16 tags"},
      {"no_base_url", [](v1::JobSpec& s) { s.clear_base_url(); }, "spec.base_url", "required"},
      {"ftp_scheme", [](v1::JobSpec& s) { s.set_base_url("ftp://x"); }, "spec.base_url",
       "base_url scheme must be http or https"},
      {"no_scheme", [](v1::JobSpec& s) { s.set_base_url("localhost:80"); }, "spec.base_url",
       "expected scheme://"},
      {"bad_port", [](v1::JobSpec& s) { s.set_base_url("http://h:99999"); }, "spec.base_url",
       "invalid port"},
      {"empty_port", [](v1::JobSpec& s) { s.set_base_url("http://h:/"); }, "spec.base_url",
       "invalid port"},
      {"no_host", [](v1::JobSpec& s) { s.set_base_url("http://:80"); }, "spec.base_url", "host"},
      {"query_in_url", [](v1::JobSpec& s) { s.set_base_url("http://h/?a=1"); }, "spec.base_url",
       "query"},
      {"userinfo_in_url", [](v1::JobSpec& s) { s.set_base_url("http://u:p@h/"); }, "spec.base_url",
       "user info"},
      {"connect_timeout_zero",
       [](v1::JobSpec& s) { s.mutable_http()->mutable_connect_timeout()->set_seconds(0); },
       "spec.http.connect_timeout", "must be > 0"},
      {"request_timeout_negative",
       [](v1::JobSpec& s) { s.mutable_http()->mutable_request_timeout()->set_seconds(-1); },
       "spec.http.request_timeout", "must be >= 0"},
      {"malformed_duration",
       [](v1::JobSpec& s) {
         s.mutable_http()->mutable_request_timeout()->set_seconds(1);
         s.mutable_http()->mutable_request_timeout()->set_nanos(-5);
       },
       "spec.http.request_timeout", "malformed"},
      {"max_body_huge", [](v1::JobSpec& s) { s.mutable_http()->set_max_body_bytes(1ULL << 40); },
       "spec.http.max_body_bytes", "must be <="},
      {"bad_default_header", [](v1::JobSpec& s) { (*s.mutable_headers())["User-Agent"] = "x{{"; },
       "spec.headers[\"User-Agent\"]", "unclosed"},
      {"no_user_classes", [](v1::JobSpec& s) { s.clear_user_classes(); }, "spec.user_classes",
       "at least one"},
      {"class_without_name", [](v1::JobSpec& s) { s.mutable_user_classes(0)->clear_name(); },
       "spec.user_classes[0].name", "required"},
      {"duplicate_class", [](v1::JobSpec& s) { *s.add_user_classes() = s.user_classes(0); },
       "spec.user_classes[1].name", "duplicate"},
      {"no_tasks", [](v1::JobSpec& s) { s.mutable_user_classes(0)->clear_tasks(); },
       "spec.user_classes[0].tasks", "at least one task"},
      {"task_without_steps",
       [](v1::JobSpec& s) { s.mutable_user_classes(0)->mutable_tasks(0)->clear_steps(); },
       "spec.user_classes[0].tasks[0].steps", "at least one step"},
      {"wait_min_above_max",
       [](v1::JobSpec& s) {
         s.mutable_user_classes(0)->mutable_wait()->mutable_between()->mutable_min()->set_seconds(
             9);
       },
       "spec.user_classes[0].wait.between.max", "must be >= min"},
      {"wait_pacing_zero",
       [](v1::JobSpec& s) { s.mutable_user_classes(0)->mutable_wait()->mutable_pacing(); },
       "spec.user_classes[0].wait.pacing", "must be > 0"},
      {"step_without_kind", [](v1::JobSpec& s) { TaskStep(s, 0, 0).Clear(); }, kStep0,
       "one step kind is required"},
      {"request_without_path", [](v1::JobSpec& s) { TaskRequest(s, 0, 0).clear_path(); },
       kStep0 + ".request.path", "required"},
      {"relative_path", [](v1::JobSpec& s) { TaskRequest(s, 0, 0).set_path("products"); },
       kStep0 + ".request.path", "must start with '/'"},
      {"unclosed_template", [](v1::JobSpec& s) { TaskRequest(s, 0, 0).set_path("/x/{{id"); },
       kStep0 + ".request.path", "unclosed \"{{\" at offset 3"},
      {"unknown_method", [](v1::JobSpec& s) { TaskRequest(s, 0, 0).set_method("GTE"); },
       kStep0 + ".request.method",
       "unknown method \"GTE\" (expected GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS)"},
      {"status_out_of_range",
       [](v1::JobSpec& s) { TaskRequest(s, 0, 0).mutable_expect()->add_status(600); },
       kStep0 + ".request.expect.status[0]", "100..599"},
      {"bad_expect_pointer",
       [](v1::JobSpec& s) {
         TaskRequest(s, 1, 0).mutable_expect()->mutable_json(0)->set_pointer("status");
       },
       kFlow + "[0].request.expect.json[0].pointer", "JSON pointer"},
      {"expect_json_without_value",
       [](v1::JobSpec& s) {
         TaskRequest(s, 1, 0).mutable_expect()->mutable_json(0)->clear_equals();
       },
       kFlow + "[0].request.expect.json[0].equals", "required"},
      {"bad_body_contains",
       [](v1::JobSpec& s) { TaskRequest(s, 1, 0).mutable_expect()->set_body_contains("{{}}"); },
       kFlow + "[0].request.expect.body_contains", "empty placeholder"},
      {"extract_without_var",
       [](v1::JobSpec& s) { TaskRequest(s, 1, 0).mutable_extract(0)->clear_var(); },
       kFlow + "[0].request.extract[0].var", "required"},
      {"extract_without_source",
       [](v1::JobSpec& s) { TaskRequest(s, 1, 0).mutable_extract(0)->clear_regex(); },
       kFlow + "[0].request.extract[0]", "one source is required"},
      {"bad_regex",
       [](v1::JobSpec& s) { TaskRequest(s, 1, 0).mutable_extract(0)->set_regex("(unclosed"); },
       kFlow + "[0].request.extract[0].regex", "invalid regular expression"},
      {"bad_extract_pointer",
       [](v1::JobSpec& s) { TaskRequest(s, 1, 0).mutable_extract(0)->set_json_pointer("/a~2"); },
       kFlow + "[0].request.extract[0].json_pointer", "JSON pointer"},
      {"bad_json_leaf",
       [](v1::JobSpec& s) {
         (*TaskRequest(s, 1, 0).mutable_json()->mutable_struct_value()->mutable_fields())["product"]
             .set_string_value("{{randint:9:1}}");
       },
       kFlow + "[0].request.json.product", "randint"},
      {"request_timeout_zero",
       [](v1::JobSpec& s) { TaskRequest(s, 0, 2).mutable_timeout()->set_seconds(0); },
       "spec.user_classes[0].tasks[0].steps[2].request.timeout", "must be > 0"},
      {"content_type_without_raw",
       [](v1::JobSpec& s) { TaskRequest(s, 0, 0).set_content_type("text/csv"); },
       kStep0 + ".request.content_type", "raw body"},
      {"bad_query_template",
       [](v1::JobSpec& s) { (*TaskRequest(s, 0, 0).mutable_query())["page"] = "{{env:}}"; },
       kStep0 + ".request.query[\"page\"]", ""},
      {"unknown_feeder",
       [](v1::JobSpec& s) { TaskRequest(s, 0, 0).set_path("/u/{{feed:nope.a}}"); },
       kStep0 + ".request.path", "unknown feeder \"nope\" (feeders: codes, users)"},
      {"unknown_feeder_column",
       [](v1::JobSpec& s) { TaskRequest(s, 0, 0).set_path("/u/{{feed:codes.z}}"); },
       kStep0 + ".request.path", "feeder \"codes\" has no column \"z\" (columns: a, b)"},
      {"think_negative",
       [](v1::JobSpec& s) {
         auto& pause = *TaskStep(s, 0, 1).mutable_think()->mutable_constant();
         pause.set_seconds(-1);
         pause.set_nanos(0);
       },
       "spec.user_classes[0].tasks[0].steps[1].think.constant", "must be >= 0"},
      {"think_without_kind", [](v1::JobSpec& s) { TaskStep(s, 0, 1).mutable_think()->Clear(); },
       "spec.user_classes[0].tasks[0].steps[1].think", "constant or between"},
      {"choice_one_branch",
       [](v1::JobSpec& s) { TaskStep(s, 1, 1).mutable_choice()->mutable_branches()->RemoveLast(); },
       kFlow + "[1].choice.branches", "at least 2"},
      {"step_in_branch",
       [](v1::JobSpec& s) {
         TaskStep(s, 1, 1)
             .mutable_choice()
             ->mutable_branches(0)
             ->mutable_steps(0)
             ->mutable_request()
             ->set_method("FETCH");
       },
       kFlow + "[1].choice.branches[0].steps[0].request.method", "unknown method"},
      {"repeat_zero", [](v1::JobSpec& s) { TaskStep(s, 1, 2).mutable_repeat()->set_count(0); },
       kFlow + "[2].repeat.count", "must be >= 1"},
      {"repeat_empty", [](v1::JobSpec& s) { TaskStep(s, 1, 2).mutable_repeat()->clear_steps(); },
       kFlow + "[2].repeat.steps", "at least one step"},
      {"list_without_op",
       [](v1::JobSpec& s) {
         TaskStep(s, 1, 2).mutable_repeat()->mutable_steps(0)->mutable_list()->clear_op();
       },
       kFlow + "[2].repeat.steps[0].list.op", "PICK_RANDOM"},
      {"list_pop_without_var",
       [](v1::JobSpec& s) {
         TaskStep(s, 1, 2).mutable_repeat()->mutable_steps(0)->mutable_list()->clear_var();
       },
       kFlow + "[2].repeat.steps[0].list.var", "required"},
      {"list_without_name",
       [](v1::JobSpec& s) {
         TaskStep(s, 1, 2).mutable_repeat()->mutable_steps(0)->mutable_list()->clear_list();
       },
       kFlow + "[2].repeat.steps[0].list.list", "required"},
      {"set_without_values",
       [](v1::JobSpec& s) { TaskStep(s, 1, 3).mutable_set()->clear_values(); },
       kFlow + "[3].set.values", "at least one"},
      {"set_bad_template",
       [](v1::JobSpec& s) { (*TaskStep(s, 1, 3).mutable_set()->mutable_values())["a"] = "{{"; },
       kFlow + "[3].set.values[\"a\"]", "unclosed"},
      {"on_start_form_field",
       [](v1::JobSpec& s) {
         (*s.mutable_user_classes(0)
               ->mutable_on_start(0)
               ->mutable_request()
               ->mutable_form()
               ->mutable_fields())["username"] = "{{feed:users.email}}";
       },
       "spec.user_classes[0].on_start[0].request.form.fields[\"username\"]", "no column"},
      {"setup_step", [](v1::JobSpec& s) { s.mutable_setup(0)->mutable_request()->clear_path(); },
       "spec.setup[0].request.path", "required"},
      {"teardown_step",
       [](v1::JobSpec& s) { s.mutable_teardown(0)->mutable_request()->set_method("GTE"); },
       "spec.teardown[0].request.method", "unknown method"},
      {"feeder_without_name", [](v1::JobSpec& s) { s.mutable_feeders(0)->clear_name(); },
       "spec.feeders[0].name", "required"},
      {"duplicate_feeder", [](v1::JobSpec& s) { s.mutable_feeders(1)->set_name("users"); },
       "spec.feeders[1].name", "duplicate feeder name \"users\""},
      {"feeder_without_source", [](v1::JobSpec& s) { s.mutable_feeders(0)->clear_generated(); },
       "spec.feeders[0]", "one source is required"},
      {"missing_csv",
       [](v1::JobSpec& s) { s.mutable_feeders(1)->set_csv_file("/nonexistent/users.csv"); },
       "spec.feeders[1].csv_file", "cannot read"},
      {"inline_ragged_rows",
       [](v1::JobSpec& s) {
         s.mutable_feeders(1)->mutable_inline_()->mutable_rows(1)->mutable_values()->erase("b");
       },
       "spec.feeders[1].inline.rows[1].values", "has 1 columns"},
      {"inline_other_column",
       [](v1::JobSpec& s) {
         auto& values = *s.mutable_feeders(1)->mutable_inline_()->mutable_rows(1)->mutable_values();
         values.erase("b");
         values["c"] = "x";
       },
       "spec.feeders[1].inline.rows[1].values[\"c\"]", "unexpected column"},
      {"inline_no_rows",
       [](v1::JobSpec& s) { s.mutable_feeders(1)->mutable_inline_()->clear_rows(); },
       "spec.feeders[1].inline.rows", "at least one row"},
      {"generated_zero",
       [](v1::JobSpec& s) { s.mutable_feeders(0)->mutable_generated()->set_count(0); },
       "spec.feeders[0].generated.count", "must be >= 1"},
      {"generated_user_index",
       [](v1::JobSpec& s) {
         (*s.mutable_feeders(0)->mutable_generated()->mutable_columns())["username"] =
             "u{{user_index}}";
       },
       "spec.feeders[0].generated.columns[\"username\"]", "{{row_index}}"},
      {"no_load", [](v1::JobSpec& s) { s.clear_load(); }, "spec.load", "required"},
      {"no_model", [](v1::JobSpec& s) { s.mutable_load()->clear_closed(); }, "spec.load",
       "a load model is required"},
      {"closed_no_users",
       [](v1::JobSpec& s) { s.mutable_load()->mutable_closed()->clear_stages(); },
       "spec.load.closed.users", "must be > 0"},
      {"closed_no_duration",
       [](v1::JobSpec& s) {
         s.mutable_load()->mutable_closed()->clear_stages();
         s.mutable_load()->mutable_closed()->set_users(5);
       },
       "spec.load.duration", "required"},
      {"stage_zero_duration",
       [](v1::JobSpec& s) {
         s.mutable_load()->mutable_closed()->mutable_stages(1)->clear_duration();
       },
       "spec.load.closed.stages[1].duration", "must be > 0"},
      {"negative_spawn_rate",
       [](v1::JobSpec& s) { s.mutable_load()->mutable_closed()->set_spawn_rate(-1); },
       "spec.load.closed.spawn_rate", "finite number >= 0"},
      {"duration_and_unbounded",
       [](v1::JobSpec& s) {
         s.mutable_load()->set_unbounded(true);
         s.mutable_load()->mutable_duration()->set_seconds(5);
       },
       "spec.load.unbounded", "excludes duration"},
      {"zero_duration", [](v1::JobSpec& s) { s.mutable_load()->mutable_duration(); },
       "spec.load.duration", "must be > 0"},
      {"open_no_max_users", [](v1::JobSpec& s) { s.mutable_load()->mutable_open()->set_rate(5); },
       "spec.load.open.max_users", "must be >= 1"},
      {"open_no_rate", [](v1::JobSpec& s) { s.mutable_load()->mutable_open()->set_max_users(5); },
       "spec.load.open.rate", "must be > 0"},
      {"open_rate_stage_zero_duration",
       [](v1::JobSpec& s) {
         s.mutable_load()->mutable_open()->set_max_users(5);
         s.mutable_load()->mutable_open()->add_stages()->set_rate(3);
       },
       "spec.load.open.stages[0].duration", "must be > 0"},
      {"open_prealloc_above_max",
       [](v1::JobSpec& s) {
         auto& open = *s.mutable_load()->mutable_open();
         open.set_rate(5);
         open.set_max_users(5);
         open.set_pre_allocated_users(6);
       },
       "spec.load.open.pre_allocated_users", "must be <= max_users"},
      {"per_user_no_users", [](v1::JobSpec& s) { s.mutable_load()->mutable_per_user_iterations(); },
       "spec.load.per_user_iterations.users", "must be >= 1"},
      {"shared_no_iterations",
       [](v1::JobSpec& s) { s.mutable_load()->mutable_shared_iterations()->set_users(3); },
       "spec.load.shared_iterations.iterations", "must be >= 1"},
      {"graceful_stop_negative",
       [](v1::JobSpec& s) { s.mutable_load()->mutable_graceful_stop()->set_seconds(-3); },
       "spec.load.graceful_stop", "must be >= 0"},
      {"threshold_bad_expr", [](v1::JobSpec& s) { s.mutable_thresholds(0)->set_expr("p95 < 1s"); },
       "spec.thresholds[0].expr", "expected '('"},
      {"threshold_empty", [](v1::JobSpec& s) { s.mutable_thresholds(1)->clear_expr(); },
       "spec.thresholds[1].expr", "required"},
      {"threshold_unknown_request",
       [](v1::JobSpec& s) { s.mutable_thresholds(0)->set_request_name("checkout"); },
       "spec.thresholds[0].request_name", "no request is named \"checkout\""},
      {"threshold_negative_delay",
       [](v1::JobSpec& s) { s.mutable_thresholds(0)->mutable_abort_delay()->set_seconds(-1); },
       "spec.thresholds[0].abort_delay", "must be >= 0"},
      {"buckets_not_increasing", [](v1::JobSpec& s) { s.set_histogram_buckets(2, 0.1); },
       "spec.histogram_buckets[2]", "strictly increasing"},
      {"bucket_zero", [](v1::JobSpec& s) { s.set_histogram_buckets(0, 0); },
       "spec.histogram_buckets[0]", "> 0"},
      {"empty_variable_name", [](v1::JobSpec& s) { (*s.mutable_variables())[""] = "x"; },
       "spec.variables[\"\"]", "must not be empty"},
  };
}

INSTANTIATE_TEST_SUITE_P(Cases, InvalidSpecTest, testing::ValuesIn(InvalidCases()),
                         [](const testing::TestParamInfo<InvalidCase>& info) {
                           return info.param.label;
                         });

TEST(SpecConverterTest, ValidSpecHasNoError) { EXPECT_EQ(ConvertError(ValidSpec()), "(no error)"); }

// A CSV file on disk, removed when the test ends.
class CsvFile {
 public:
  explicit CsvFile(const std::string& content)
      : path_(std::filesystem::temp_directory_path() /
              ("throng_spec_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++) +
               ".csv")) {
    std::ofstream(path_, std::ios::binary) << content;
  }
  ~CsvFile() { std::filesystem::remove(path_); }
  std::string path() const { return path_.string(); }

 private:
  static inline int counter_ = 0;
  std::filesystem::path path_;
};

v1::JobSpec WithCsvFeeder(const std::string& file) {
  v1::JobSpec spec = ValidSpec();
  spec.mutable_feeders(1)->set_csv_file(file);
  return spec;
}

TEST(SpecConverterTest, CsvFeederIsReadWithQuotes) {
  const CsvFile csv(
      "\xEF\xBB\xBF"
      "a,b\r\n"
      "1,\"x, \"\"quoted\"\"\"\r\n"
      "\n"
      "\"multi\nline\",\r\n");
  const Plan plan = ConvertSpec(WithCsvFeeder(csv.path()), ConvertOptions::Unrestricted());
  const engine::FeederPlan& feeder = plan.feeders[1];
  EXPECT_EQ(feeder.columns, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(feeder.rows,
            (std::vector<std::vector<std::string>>{{"1", "x, \"quoted\""}, {"multi\nline", ""}}));
}

TEST(SpecConverterTest, MalformedCsvFilesNameTheProblem) {
  struct Case {
    std::string content, message;
  };
  const std::vector<Case> cases = {
      {"a,b\n1,\"open\n", "line 2: unclosed quoted field"},
      {"a,b\n1,2\n3\n", "record 3 has 1 fields; the header has 2"},
      {"a,b\n", "needs a header row and at least one row"},
      {"", "needs a header row and at least one row"},
      {"a,a\n1,2\n", "distinct"},
      {"a,b\n1,x\"y\n", "line 2: a quote inside an unquoted field"},
      {"a,b\n1,\"x\"y\n", "unexpected text after a closing quote"},
  };
  for (const Case& c : cases) {
    const CsvFile csv(c.content);
    try {
      ConvertSpec(WithCsvFeeder(csv.path()), ConvertOptions::Unrestricted());
      ADD_FAILURE() << "no error for " << c.content;
    } catch (const SpecError& error) {
      EXPECT_EQ(error.field_path(), "spec.feeders[1].csv_file");
      EXPECT_NE(error.message().find(c.message), std::string::npos) << error.what();
    }
  }
}

}  // namespace
}  // namespace throng::api
