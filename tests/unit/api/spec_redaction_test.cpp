#include "throng/api/spec/spec_redaction.h"

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <ostream>

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

namespace throng::api {
namespace {

// Issue 15's leaks, one case each: where the secret sits, as a JobSpec in JSON, and its value.
struct LeakCase {
  const char* name;
  const char* spec_json;
  const char* secret;
};

void PrintTo(const LeakCase& leak, std::ostream* out) { *out << leak.name; }

class RedactionCaseTest : public testing::TestWithParam<LeakCase> {};

constexpr const char* kBase = R"("name": "leak", "baseUrl": "http://127.0.0.1:8000")";

std::string WithTask(const std::string& request_json) {
  return std::string("{") + kBase + R"(, "userClasses": [{"name": "u", "tasks": [{"steps": [)" +
         R"({"request": )" + request_json + "}]}]}]}";
}

TEST_P(RedactionCaseTest, TheValueIsRedactedAndTheRestKept) {
  v1::JobSpec spec;
  const LeakCase& leak = GetParam();
  const auto status = google::protobuf::util::JsonStringToMessage(leak.spec_json, &spec);
  ASSERT_TRUE(status.ok()) << status.ToString() << "\n" << leak.spec_json;
  RedactSpec(spec);
  std::string json;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(spec, &json).ok());
  EXPECT_EQ(json.find(leak.secret), std::string::npos) << json;
  EXPECT_NE(json.find("***"), std::string::npos) << json;
  EXPECT_NE(json.find("keep-me"), std::string::npos) << "over-redacted: " << json;
}

const std::string kHeaderXAuth =
    WithTask(R"({"path": "/", "headers": {"X-Auth": "s-xauth-1", "X-Trace": "keep-me"}})");
const std::string kHeaderSessionKey =
    WithTask(R"({"path": "/", "headers": {"X-Session-Key": "s-sk-2", "Accept": "keep-me"}})");
std::string Variable(const char* name, const char* value) {
  return std::string("{") + kBase + R"(, "variables": {")" + name + R"(": ")" + value +
         R"(", "user": "keep-me"}})";
}
const std::string kVarDbPass = Variable("db_pass", "s-dbpass-3");
const std::string kVarPwd = Variable("pwd", "s-pwd-4");
const std::string kVarCredentials = Variable("credentials", "s-cred-5");
const std::string kVarPrivateKey = Variable("private_key", "s-pk-6");
const std::string kFeederPin =
    std::string("{") + kBase +
    R"(, "feeders": [{"name": "f", "inline": {"rows": [{"values": {"pin": "s-pin-7", "user": "keep-me"}}]}}]})";
const std::string kFormOtp =
    WithTask(R"({"path": "/", "form": {"fields": {"otp": "s-otp-8", "user": "keep-me"}}})");
const std::string kQuerySig =
    WithTask(R"({"path": "/", "query": {"sig": "s-sig-9", "page": "keep-me"}})");
const std::string kJsonPass =
    WithTask(R"({"path": "/", "json": {"pass": "s-jpass-10", "user": "keep-me"}})");
const std::string kPathApiKey = WithTask(R"({"path": "/x?api_key=s-apikey-11&page=keep-me"})");
const std::string kSecretRequest = WithTask(
    R"({"path": "/x?q=s-req-12", "secret": true, "headers": {"X-Plain": "s-req-12"}, "raw": "s-req-12", "name": "keep-me"})");
const std::string kSecretFeeder =
    std::string("{") + kBase +
    R"(, "feeders": [{"name": "keep-me", "secret": true, "inline": {"rows": [{"values": {"user": "s-feed-13"}}]}}]})";
const std::string kSecretNames =
    std::string("{") + kBase +
    R"(, "secretNames": ["X-Tenant"], "headers": {"x-tenant": "s-named-14", "X-Other": "keep-me"}})";

INSTANTIATE_TEST_SUITE_P(
    Issue15, RedactionCaseTest,
    testing::Values(LeakCase{"header_x_auth", kHeaderXAuth.c_str(), "s-xauth-1"},
                    LeakCase{"header_x_session_key", kHeaderSessionKey.c_str(), "s-sk-2"},
                    LeakCase{"variable_db_pass", kVarDbPass.c_str(), "s-dbpass-3"},
                    LeakCase{"variable_pwd", kVarPwd.c_str(), "s-pwd-4"},
                    LeakCase{"variable_credentials", kVarCredentials.c_str(), "s-cred-5"},
                    LeakCase{"variable_private_key", kVarPrivateKey.c_str(), "s-pk-6"},
                    LeakCase{"feeder_column_pin", kFeederPin.c_str(), "s-pin-7"},
                    LeakCase{"form_field_otp", kFormOtp.c_str(), "s-otp-8"},
                    LeakCase{"query_sig", kQuerySig.c_str(), "s-sig-9"},
                    LeakCase{"json_key_pass", kJsonPass.c_str(), "s-jpass-10"},
                    LeakCase{"api_key_inside_a_path", kPathApiKey.c_str(), "s-apikey-11"},
                    LeakCase{"request_marked_secret", kSecretRequest.c_str(), "s-req-12"},
                    LeakCase{"feeder_marked_secret", kSecretFeeder.c_str(), "s-feed-13"},
                    LeakCase{"secret_names", kSecretNames.c_str(), "s-named-14"}),
    [](const testing::TestParamInfo<LeakCase>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace throng::api
