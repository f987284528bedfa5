#include "throng/api/spec/spec_redaction.h"

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

namespace throng::api {
namespace {

constexpr const char* kSecretSpec = R"json({
  "name": "auth",
  "baseUrl": "http://admin:hunter2@127.0.0.1:8000/api",
  "headers": {"Authorization": "Bearer abc", "X-Api-Key": "k1", "Accept": "application/json"},
  "variables": {"admin_password": "pw1", "user": "alice"},
  "tags": {"team": "shop", "ci_token": "t0"},
  "feeders": [
    {"name": "creds", "inline": {"rows": [{"values": {"username": "u0", "password": "p0"}}]}},
    {"name": "gen", "generated": {"count": 2, "columns": {"user": "u{{row_index}}",
                                                          "PASSWD": "p{{row_index}}"}}}
  ],
  "setup": [{"request": {"path": "/users", "json": {
      "name": "bob", "secret": {"pin": 1234, "hint": "dog"}, "list": [{"api_key": "k2"}],
      "refresh_token": "r1", "count": 3}}}],
  "userClasses": [{"name": "u", "tasks": [{"steps": [
    {"request": {"path": "/login", "query": {"access_key": "ak", "page": "1"},
                 "headers": {"Cookie": "sid=1", "X-Trace": "t"},
                 "form": {"fields": {"username": "{{feed:creds.username}}", "Password": "p"}}}},
    {"choice": {"branches": [{"steps": [{"set": {"values": {"session_token": "s", "x": "y"}}}]},
                             {"steps": [{"repeat": {"count": 1, "steps": [
                               {"request": {"path": "/x", "headers": {"X-Secret": "s2"}}}]}}]}]}}
  ]}]}]
})json";

v1::JobSpec SecretSpec() {
  v1::JobSpec spec;
  const auto status = google::protobuf::util::JsonStringToMessage(kSecretSpec, &spec);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return spec;
}

TEST(SpecRedactionTest, ReplacesSecretsAndKeepsTheRest) {
  v1::JobSpec spec = SecretSpec();
  RedactSpec(spec);
  EXPECT_EQ(spec.base_url(), "http://admin:***@127.0.0.1:8000/api");
  EXPECT_EQ(spec.headers().at("Authorization"), "***");
  EXPECT_EQ(spec.headers().at("X-Api-Key"), "***");
  EXPECT_EQ(spec.headers().at("Accept"), "application/json");
  EXPECT_EQ(spec.variables().at("admin_password"), "***");
  EXPECT_EQ(spec.variables().at("user"), "alice");
  EXPECT_EQ(spec.tags().at("ci_token"), "***");
  EXPECT_EQ(spec.tags().at("team"), "shop");

  const auto& row = spec.feeders(0).inline_().rows(0).values();
  EXPECT_EQ(row.at("password"), "***");
  EXPECT_EQ(row.at("username"), "u0");
  EXPECT_EQ(spec.feeders(1).generated().columns().at("PASSWD"), "***");
  EXPECT_EQ(spec.feeders(1).generated().columns().at("user"), "u{{row_index}}");

  const auto& body = spec.setup(0).request().json().struct_value().fields();
  EXPECT_EQ(body.at("name").string_value(), "bob");
  EXPECT_EQ(body.at("refresh_token").string_value(), "***");
  EXPECT_EQ(body.at("count").number_value(), 3);
  const auto& secret = body.at("secret").struct_value().fields();
  EXPECT_EQ(secret.at("pin").string_value(), "***");
  EXPECT_EQ(secret.at("hint").string_value(), "***");
  EXPECT_EQ(
      body.at("list").list_value().values(0).struct_value().fields().at("api_key").string_value(),
      "***");

  const auto& steps = spec.user_classes(0).tasks(0).steps();
  const v1::Request& login = steps[0].request();
  EXPECT_EQ(login.query().at("access_key"), "***");
  EXPECT_EQ(login.query().at("page"), "1");
  EXPECT_EQ(login.headers().at("Cookie"), "***");
  EXPECT_EQ(login.headers().at("X-Trace"), "t");
  EXPECT_EQ(login.form().fields().at("Password"), "***");
  EXPECT_EQ(login.form().fields().at("username"), "{{feed:creds.username}}");

  const auto& branches = steps[1].choice().branches();
  EXPECT_EQ(branches[0].steps(0).set().values().at("session_token"), "***");
  EXPECT_EQ(branches[0].steps(0).set().values().at("x"), "y");
  EXPECT_EQ(branches[1].steps(0).repeat().steps(0).request().headers().at("X-Secret"), "***");
}

TEST(SpecRedactionTest, SecretValuesAppearNowhere) {
  v1::JobSpec spec = SecretSpec();
  RedactSpec(spec);
  std::string json;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(spec, &json).ok());
  for (const char* secret : {"hunter2", "Bearer abc", "k1", "pw1", "t0", "p0", "p{{row_index}}",
                             "1234", "dog", "k2", "r1", "ak", "sid=1", "s2"}) {
    EXPECT_EQ(json.find(secret), std::string::npos) << secret << " in " << json;
  }
}

TEST(SpecRedactionTest, IsIdempotent) {
  v1::JobSpec once = SecretSpec();
  RedactSpec(once);
  v1::JobSpec twice = once;
  RedactSpec(twice);
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(once, twice));
}

TEST(SpecRedactionTest, LeavesASpecWithoutSecretsUnchanged) {
  v1::JobSpec spec;
  spec.set_name("plain");
  spec.set_base_url("http://127.0.0.1:8000");
  (*spec.mutable_headers())["Accept"] = "text/html";
  (*spec.mutable_variables())["user"] = "bob";
  const v1::JobSpec original = spec;
  RedactSpec(spec);
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(original, spec));
}

}  // namespace
}  // namespace throng::api
