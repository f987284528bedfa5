// What a setup-only job (a fleet's setup) extracted or set: shown by the spec's secret rules in
// its report and in the registry's file, revealed only to an operator who asks for it (the fleet
// run handing the values to its segments), against the real throngd.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "auth_tokens.h"
#include "daemon_fixture.h"
#include "throng/test_support/minimal_spec.h"
#include "throng/test_support/recording_http_server.h"
#include "throng/test_support/temp_dir.h"
#include "throng/test_support/wait_until.h"

namespace throng {
namespace {

using daemon_test::Daemon;
using daemon_test::kOperatorToken;
using daemon_test::kReaderToken;
using daemon_test::WithToken;
using test_support::RecordingHttpServer;
using test_support::TempDir;
using namespace std::chrono_literals;

constexpr const char* kToken = "m-setup-token-61b2";  // secret by its name, api_token
constexpr const char* kRef = "m-setup-ref-0d4e";      // secret by its step's marking

v1::JobSpec SetupOnlySpec(const std::string& base_url) {
  v1::JobSpec spec = test_support::MinimalJobSpec("setup-secrets", base_url);
  spec.set_phases(v1::JOB_PHASES_SETUP_ONLY);
  spec.mutable_user_classes(0)->mutable_wait()->mutable_constant()->set_nanos(100'000'000);
  (*spec.add_setup()->mutable_set()->mutable_values())["api_token"] = kToken;
  v1::SetVariables* marked = spec.add_setup()->mutable_set();
  (*marked->mutable_values())["ref"] = kRef;
  marked->set_secret(true);
  (*spec.add_setup()->mutable_set()->mutable_values())["region"] = "eu-west";
  v1::Request* use = spec.add_setup()->mutable_request();
  use->set_name("use");
  use->set_path("/use");
  (*use->mutable_headers())["X-Ref"] = "{{ref}}";
  return spec;
}

grpc::Status GetReport(Daemon& daemon, const std::string& id, const std::string& token, bool reveal,
                       v1::Report& report) {
  v1::GetReportRequest request;
  request.set_id(id);
  request.set_reveal_setup_variables(reveal);
  report.Clear();
  return daemon.stub->GetReport(WithToken(token).get(), request, &report);
}

std::string RegistryBytes(const std::filesystem::path& data_dir) {
  std::string bytes;
  for (const auto& file : std::filesystem::recursive_directory_iterator(data_dir)) {
    if (!file.is_regular_file()) continue;
    std::ifstream in(file.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    bytes += text.str();
  }
  return bytes;
}

TEST(SetupSecretsTest, ReportsHideThemAndOnlyAnOperatorGetsTheRealValues) {
  TempDir dir;
  RecordingHttpServer server;
  Daemon daemon(dir.path() / "data", {"--auth-token-file", daemon_test::TokenFile(dir)});
  v1::SubmitJobRequest submit;
  *submit.mutable_spec() = SetupOnlySpec("http://127.0.0.1:" + std::to_string(server.port()));
  v1::Job job;
  ASSERT_TRUE(daemon.stub->SubmitJob(WithToken(kOperatorToken).get(), submit, &job).ok());
  v1::Report report;
  ASSERT_TRUE(test_support::WaitUntil(
      [&] {
        return GetReport(daemon, job.id(), kReaderToken, false, report).ok() && report.final();
      },
      15s));
  EXPECT_EQ(report.job().state(), v1::COMPLETED) << report.job().ShortDebugString();
  ASSERT_EQ(server.requests().size(), 1u);            // setup ran, with the real value
  const auto headers = server.requests()[0].headers;  // a copy: requests() answers by value
  EXPECT_NE(
      std::find(headers.begin(), headers.end(), std::pair<std::string, std::string>("X-Ref", kRef)),
      headers.end());

  // What everyone sees: secrets as "***", the rest as it was.
  EXPECT_EQ(report.setup_variables().at("api_token"), "***");
  EXPECT_EQ(report.setup_variables().at("ref"), "***");
  EXPECT_EQ(report.setup_variables().at("region"), "eu-west");
  v1::GetJobRequest get;
  get.set_id(job.id());
  v1::Job listed;
  ASSERT_TRUE(daemon.stub->GetJob(WithToken(kReaderToken).get(), get, &listed).ok());
  for (const std::string& text : {report.DebugString(), listed.DebugString()}) {
    EXPECT_EQ(text.find(kToken), std::string::npos) << text;
    EXPECT_EQ(text.find(kRef), std::string::npos) << text;
  }

  // The real values: an operator's explicit request only.
  EXPECT_EQ(GetReport(daemon, job.id(), kReaderToken, true, report).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(GetReport(daemon, job.id(), kOperatorToken, true, report).ok());
  EXPECT_EQ(report.setup_variables().at("api_token"), kToken);
  EXPECT_EQ(report.setup_variables().at("ref"), kRef);
  EXPECT_EQ(report.setup_variables().at("region"), "eu-west");

  // A job that is not a setup-only one has nothing to reveal.
  submit.mutable_spec()->set_phases(v1::JOB_PHASES_ALL);
  v1::Job load;
  ASSERT_TRUE(daemon.stub->SubmitJob(WithToken(kOperatorToken).get(), submit, &load).ok());
  const grpc::Status refused = GetReport(daemon, load.id(), kOperatorToken, true, report);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(refused.error_message().find("not a setup-only job"), std::string::npos)
      << refused.error_message();
  ASSERT_TRUE(test_support::WaitUntil(
      [&] {
        return GetReport(daemon, load.id(), kReaderToken, false, report).ok() && report.final();
      },
      15s));

  EXPECT_EQ(daemon.Stop(), 0);
  const std::string stored = RegistryBytes(dir.path() / "data");
  EXPECT_EQ(stored.find(kToken), std::string::npos);
  EXPECT_EQ(stored.find(kRef), std::string::npos);
  const std::string log = daemon.child->Stdout() + daemon.child->Stderr();
  EXPECT_EQ(log.find(kToken), std::string::npos);
  EXPECT_EQ(log.find(kRef), std::string::npos);
}

}  // namespace
}  // namespace throng
