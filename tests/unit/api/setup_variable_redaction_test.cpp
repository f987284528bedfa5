// What setup extracted or set (Report.setup_variables) is shown by the spec's secret rules, and a
// fleet's segments keep hiding what secret setup steps assigned.
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include "throng/api/spec/spec_redaction.h"

namespace throng::api {
namespace {

constexpr const char* kSetupSpec = R"json({
  "name": "fleet",
  "secretNames": ["tenant"],
  "setup": [
    {"request": {"path": "/login", "extract": [{"var": "access_token", "jsonPointer": "/t"},
                                               {"var": "user_id", "jsonPointer": "/id"}]}},
    {"request": {"path": "/keys", "secret": true,
                 "extract": [{"var": "handle", "jsonPointer": "/h"},
                             {"var": "handles", "jsonPointer": "/h", "action": "APPEND"}]}},
    {"set": {"values": {"ref": "r-1", "region": "eu"}, "secret": true}},
    {"set": {"values": {"plain": "p", "tenant": "t-1"}}},
    {"repeat": {"count": 1, "steps": [
      {"list": {"list": "handles", "op": "POP", "var": "popped"}},
      {"choice": {"branches": [{"steps": [{"set": {"values": {"deep": "d"}, "secret": true}}]}]}}
    ]}}
  ]
})json";

v1::JobSpec SetupSpec() {
  v1::JobSpec spec;
  const auto status = google::protobuf::util::JsonStringToMessage(kSetupSpec, &spec);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return spec;
}

google::protobuf::Map<std::string, std::string> Extracted() {
  google::protobuf::Map<std::string, std::string> values;
  for (const char* name : {"access_token", "user_id", "handle", "ref", "region", "plain", "tenant",
                           "popped", "deep"}) {
    values[name] = std::string("real-") + name;
  }
  return values;
}

TEST(SetupVariableRedactionTest, SecretsByNameListOrMarkingAreHidden) {
  google::protobuf::Map<std::string, std::string> values = Extracted();
  RedactSetupVariables(SetupSpec(), values);
  for (const char* hidden :
       {"access_token", "handle", "ref", "region", "tenant", "popped", "deep"}) {
    EXPECT_EQ(values[hidden], "***") << hidden;
  }
  EXPECT_EQ(values["user_id"], "real-user_id");
  EXPECT_EQ(values["plain"], "real-plain");
}

TEST(SetupVariableRedactionTest, TheRegistrysRedactedSpecKeepsTheRule) {
  v1::JobSpec spec = SetupSpec();
  RedactSpec(spec);  // what the registry holds: values gone, names and markings kept
  google::protobuf::Map<std::string, std::string> values = Extracted();
  RedactSetupVariables(spec, values);
  EXPECT_EQ(values["handle"], "***");
  EXPECT_EQ(values["ref"], "***");
  EXPECT_EQ(values["plain"], "real-plain");
}

TEST(SetupVariableRedactionTest, ListSetupSecretsNamesWhatSecretStepsAssignOnce) {
  v1::JobSpec spec = SetupSpec();
  ListSetupSecrets(spec);
  ListSetupSecrets(spec);  // idempotent
  std::vector<std::string> listed(spec.secret_names().begin(), spec.secret_names().end());
  EXPECT_EQ(listed, (std::vector<std::string>{"tenant", "deep", "handle", "handles", "popped",
                                              "ref", "region"}));
  // As job variables of a segment (no setup any more), they are hidden by the list.
  v1::JobSpec segment = spec;
  segment.clear_setup();
  for (const auto& [name, value] : Extracted()) (*segment.mutable_variables())[name] = value;
  RedactSpec(segment);
  EXPECT_EQ(segment.variables().at("ref"), "***");
  EXPECT_EQ(segment.variables().at("handle"), "***");
  EXPECT_EQ(segment.variables().at("user_id"), "real-user_id");
}

}  // namespace
}  // namespace throng::api
