// The control-plane controls against the real throngd: tokens and roles on every RPC, TLS and
// mTLS, the refusal of an open listen, and what a submitted job may read.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <regex>

#include "auth_tokens.h"
#include "daemon_fixture.h"
#include "throng/test_support/child_process.h"
#include "throng/test_support/minimal_spec.h"
#include "throng/test_support/recording_http_server.h"
#include "throng/test_support/temp_dir.h"
#include "throng/test_support/wait_until.h"

namespace throng {
namespace {

using daemon_test::Daemon;
using daemon_test::HealthStatus;
using test_support::ChildProcess;
using test_support::TempDir;
using namespace std::chrono_literals;

using daemon_test::TokenFile;
using daemon_test::WithToken;

constexpr const char* kOperator = daemon_test::kOperatorToken;
constexpr const char* kReader = daemon_test::kReaderToken;

v1::JobSpec Spec() {
  return test_support::MinimalJobSpec(
      "secure", "http://127.0.0.1:" + std::to_string(daemon_test::UnusedPort()));
}

grpc::Status ValidateOnly(Daemon& daemon, const v1::JobSpec& spec, const std::string& token) {
  v1::SubmitJobRequest request;
  *request.mutable_spec() = spec;
  request.set_validate_only(true);
  v1::Job job;
  return daemon.stub->SubmitJob(WithToken(token).get(), request, &job);
}

grpc::StatusCode ListCode(Daemon& daemon, const std::string& token) {
  v1::ListJobsResponse response;
  return daemon.stub->ListJobs(WithToken(token).get(), v1::ListJobsRequest(), &response)
      .error_code();
}

/// A CA, a server certificate for 127.0.0.1 and a client certificate, both signed by the CA, made
/// with the openssl CLI in `dir`.
void MakeCertificates(const TempDir& dir) {
  const std::string d = dir.path().string();
  const std::string script =
      "cd '" + d +
      "' && openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=test-ca -keyout ca.key "
      "-out ca.pem 2>/dev/null && openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 "
      "-keyout server.key -out server.csr 2>/dev/null && printf "
      "'subjectAltName=IP:127.0.0.1\\n' > san.ext && openssl x509 -req -in server.csr -CA ca.pem "
      "-CAkey ca.key -CAcreateserial -days 1 -extfile san.ext -out server.pem 2>/dev/null && "
      "openssl req -newkey rsa:2048 -nodes -subj /CN=test-client -keyout client.key -out "
      "client.csr 2>/dev/null && openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key "
      "-CAcreateserial -days 1 -out client.pem 2>/dev/null";
  ASSERT_EQ(std::system(script.c_str()), 0);
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// A TLS channel trusting the test CA; with `client_certificate`, it presents client.pem.
std::shared_ptr<grpc::Channel> TlsChannel(const TempDir& dir, int port,
                                          bool client_certificate = false) {
  grpc::SslCredentialsOptions options;
  options.pem_root_certs = ReadFile(dir.path() / "ca.pem");
  if (client_certificate) {
    options.pem_private_key = ReadFile(dir.path() / "client.key");
    options.pem_cert_chain = ReadFile(dir.path() / "client.pem");
  }
  return grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::SslCredentials(options));
}

TEST(SecurityTest, TokensAndRolesAreCheckedOnEveryRpc) {
  TempDir dir;
  Daemon daemon(dir.path() / "data", {"--auth-token-file", TokenFile(dir)});
  EXPECT_EQ(HealthStatus(daemon), 1);  // probes need no token
  EXPECT_EQ(ListCode(daemon, ""), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(ListCode(daemon, "definitely-wrong-token"), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(ListCode(daemon, kReader), grpc::StatusCode::OK);
  EXPECT_EQ(ValidateOnly(daemon, Spec(), kReader).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(ValidateOnly(daemon, Spec(), "").error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(ValidateOnly(daemon, Spec(), kOperator).ok());
  v1::StopJobRequest stop;
  stop.set_id("j-20260101-000000");
  v1::Job job;
  EXPECT_EQ(daemon.stub->StopJob(WithToken(kReader).get(), stop, &job).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // DeleteJob is an operator's: a reader is refused, an operator reaches the registry.
  v1::DeleteJobRequest remove;
  remove.set_id("j-20260101-000000");
  v1::DeleteJobResponse removed;
  EXPECT_EQ(daemon.stub->DeleteJob(WithToken("").get(), remove, &removed).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(daemon.stub->DeleteJob(WithToken(kReader).get(), remove, &removed).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(daemon.stub->DeleteJob(WithToken(kOperator).get(), remove, &removed).error_code(),
            grpc::StatusCode::NOT_FOUND);
  // The stream too: no snapshot before the token is checked.
  v1::WatchJobRequest watch;
  watch.set_id("j-20260101-000000");
  auto context = WithToken("");
  auto reader = daemon.stub->WatchJob(context.get(), watch);
  v1::JobSnapshot snapshot;
  EXPECT_FALSE(reader->Read(&snapshot));
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(daemon.Stop(), 0);
}

TEST(SecurityTest, AnOpenListenBeyondLoopbackIsRefusedBeforeBinding) {
  TempDir dir;
  ChildProcess child(THRONGD_PATH, {"--grpc-listen", "0.0.0.0:0", "--metrics-listen", "127.0.0.1:0",
                                    "--data-dir", (dir.path() / "d").string()});
  EXPECT_EQ(child.Wait(10s), 2);
  const std::string err = child.Stderr();
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
  EXPECT_NE(err.find("--grpc-listen 0.0.0.0:0 is reachable beyond loopback"), std::string::npos)
      << err;
  EXPECT_EQ(child.Stdout().find("listening"), std::string::npos);
}

TEST(SecurityTest, TlsAndTokenWorkThroughThrongctl) {
  TempDir dir;
  MakeCertificates(dir);
  const std::string d = dir.path().string();
  Daemon daemon(dir.path() / "data", {"--tls-cert", d + "/server.pem", "--tls-key",
                                      d + "/server.key", "--auth-token-file", TokenFile(dir)});
  const std::string address = "127.0.0.1:" + std::to_string(daemon.grpc_port);
  ChildProcess ok(THRONGCTL_PATH, {"--daemon", address, "--tls", "--ca-cert", d + "/ca.pem",
                                   "--token", kReader, "list"});
  EXPECT_EQ(ok.Wait(20s), 0) << ok.Stderr();
  ChildProcess wrong(THRONGCTL_PATH, {"--daemon", address, "--tls", "--ca-cert", d + "/ca.pem",
                                      "--token", "definitely-wrong-token", "list"});
  EXPECT_NE(wrong.Wait(20s), 0);
  EXPECT_NE(wrong.Stderr().find("UNAUTHENTICATED"), std::string::npos) << wrong.Stderr();
  ChildProcess plain(THRONGCTL_PATH, {"--daemon", address, "--token", kReader, "list"});
  EXPECT_NE(plain.Wait(20s), 0);
  // Submitting over TLS: the operator's token is enough, the reader's is refused.
  const auto scenario = dir.path() / "tls.yaml";
  std::ofstream(scenario) << "name: tls\nbase_url: http://127.0.0.1:" << daemon_test::UnusedPort()
                          << "\nuser_classes:\n  - name: u\n    tasks:\n      - steps:\n"
                             "          - request: {path: /}\n"
                             "load: {closed: {users: 1}, duration: 1s}\n";
  const std::vector<std::string> tls = {"--daemon", address, "--tls", "--ca-cert", d + "/ca.pem"};
  auto throngctl = [&](const char* token, const std::string& command) {
    std::vector<std::string> args = tls;
    args.insert(args.end(), {"--token", token, command, scenario.string()});
    return std::make_unique<ChildProcess>(THRONGCTL_PATH, args);
  };
  const auto denied = throngctl(kReader, "submit");
  EXPECT_NE(denied->Wait(20s), 0);
  EXPECT_NE(denied->Stderr().find("PERMISSION_DENIED"), std::string::npos) << denied->Stderr();
  const auto submitted = throngctl(kOperator, "submit");
  EXPECT_EQ(submitted->Wait(20s), 0) << submitted->Stderr();
  EXPECT_TRUE(std::regex_search(submitted->Stdout(), std::regex(R"(j-\d{8}-\d{6})")))
      << submitted->Stdout();
  EXPECT_EQ(daemon.Stop(), 0);
}

TEST(SecurityTest, MutualTlsRefusesAClientWithoutACertificate) {
  TempDir dir;
  MakeCertificates(dir);
  const std::string d = dir.path().string();
  Daemon daemon(dir.path() / "data", {"--tls-cert", d + "/server.pem", "--tls-key",
                                      d + "/server.key", "--tls-client-ca", d + "/ca.pem"});
  daemon.channel = TlsChannel(dir, daemon.grpc_port);
  daemon.stub = v1::LoadTester::NewStub(daemon.channel);
  EXPECT_EQ(ListCode(daemon, ""), grpc::StatusCode::UNAVAILABLE);
  // The same server answers a client presenting a certificate of its CA.
  daemon.channel = TlsChannel(dir, daemon.grpc_port, /*client_certificate=*/true);
  daemon.stub = v1::LoadTester::NewStub(daemon.channel);
  EXPECT_EQ(ListCode(daemon, ""), grpc::StatusCode::OK);
  EXPECT_EQ(daemon.Stop(), 0);
}

TEST(SecurityTest, AReaderCannotSubmitUpdateOrStopARunningJob) {
  TempDir dir;
  test_support::RecordingHttpServer target;
  Daemon daemon(dir.path() / "data", {"--auth-token-file", TokenFile(dir)});
  v1::JobSpec spec =
      test_support::MinimalJobSpec("steered", "http://127.0.0.1:" + std::to_string(target.port()));
  spec.mutable_load()->mutable_duration()->set_seconds(30);  // stopped below, long before
  spec.mutable_user_classes(0)->mutable_wait()->mutable_constant()->set_nanos(100'000'000);
  v1::SubmitJobRequest submit;
  *submit.mutable_spec() = spec;
  v1::Job job;
  EXPECT_EQ(daemon.stub->SubmitJob(WithToken(kReader).get(), submit, &job).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::ListJobsResponse list;
  ASSERT_TRUE(daemon.stub->ListJobs(WithToken(kReader).get(), {}, &list).ok());
  EXPECT_EQ(list.jobs_size(), 0);  // the refused submit registered nothing
  ASSERT_TRUE(daemon.stub->SubmitJob(WithToken(kOperator).get(), submit, &job).ok());
  ASSERT_TRUE(test_support::WaitUntil([&] { return target.connections() > 0; }, 10s));

  v1::UpdateJobRequest update;
  update.set_id(job.id());
  update.set_target_users(2);
  v1::Job updated;
  EXPECT_EQ(daemon.stub->UpdateJob(WithToken(kReader).get(), update, &updated).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::StopJobRequest stop;
  stop.set_id(job.id());
  stop.set_immediate(true);
  EXPECT_EQ(daemon.stub->StopJob(WithToken(kReader).get(), stop, &updated).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::GetJobRequest get;
  get.set_id(job.id());
  // Whether the reader sees the job in `state` within 10 s (the registry learns phases by polling).
  auto reaches = [&](v1::JobState state) {
    return test_support::WaitUntil(
        [&] {
          return daemon.stub->GetJob(WithToken(kReader).get(), get, &updated).ok() &&
                 updated.state() == state;
        },
        10s);
  };
  // Still running, with its one user.
  EXPECT_TRUE(reaches(v1::RUNNING)) << updated.ShortDebugString();
  EXPECT_EQ(updated.totals().target_users(), 1u);
  v1::GetReportRequest report_request;
  report_request.set_id(job.id());
  v1::Report report;
  EXPECT_TRUE(daemon.stub->GetReport(WithToken(kReader).get(), report_request, &report).ok());

  ASSERT_TRUE(daemon.stub->StopJob(WithToken(kOperator).get(), stop, &updated).ok());
  EXPECT_TRUE(reaches(v1::STOPPED)) << updated.ShortDebugString();
  EXPECT_EQ(daemon.Stop(), 0);
}

TEST(SecurityTest, EnvIsReadOnlyWhereAllowEnvSays) {
  TempDir dir;
  v1::JobSpec spec = Spec();
  spec.mutable_user_classes(0)->mutable_tasks(0)->mutable_steps(0)->mutable_request()->set_path(
      "/{{env:HOME}}");
  {
    Daemon daemon(dir.path() / "a");
    const grpc::Status refused = ValidateOnly(daemon, spec, "");
    EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_NE(refused.error_message().find(
                  "spec.user_classes[0].tasks[0].steps[0].request.path: {{env:HOME}} is not"),
              std::string::npos)
        << refused.error_message();
    EXPECT_EQ(daemon.Stop(), 0);
  }
  Daemon daemon(dir.path() / "b", {"--allow-env", "HOM*"});
  EXPECT_TRUE(ValidateOnly(daemon, spec, "").ok());
  EXPECT_EQ(daemon.Stop(), 0);
}

TEST(SecurityTest, CsvFilesStayInsideTheFeederDir) {
  TempDir dir;
  std::filesystem::create_directory(dir.path() / "feeders");
  std::ofstream(dir.path() / "feeders" / "ok.csv") << "user\nalice\n";
  std::ofstream(dir.path() / "secret.csv") << "user\nTOP-SECRET-LINE\n";
  std::filesystem::create_symlink(dir.path() / "secret.csv", dir.path() / "feeders" / "l.csv");
  Daemon daemon(dir.path() / "data", {"--feeder-dir", (dir.path() / "feeders").string()});
  for (const auto& [file, ok] :
       std::vector<std::pair<std::string, bool>>{{"ok.csv", true},
                                                 {(dir.path() / "secret.csv").string(), false},
                                                 {"../secret.csv", false},
                                                 {"l.csv", false},
                                                 {"/etc/shadow", false}}) {
    v1::JobSpec spec = Spec();
    v1::Feeder* feeder = spec.add_feeders();
    feeder->set_name("f");
    feeder->set_csv_file(file);
    const grpc::Status status = ValidateOnly(daemon, spec, "");
    EXPECT_EQ(status.ok(), ok) << file << ": " << status.error_message();
    EXPECT_EQ(status.error_message().find("TOP-SECRET"), std::string::npos);
    if (!ok) {
      EXPECT_NE(status.error_message().find("spec.feeders[0].csv_file"), std::string::npos);
    }
  }
  EXPECT_EQ(daemon.Stop(), 0);
}

TEST(SecurityTest, CsvFilesAreRefusedWithoutAFeederDir) {
  TempDir dir;
  std::ofstream(dir.path() / "users.csv") << "user\nTOP-SECRET-LINE\n";
  Daemon daemon(dir.path() / "data");
  v1::JobSpec spec = Spec();
  v1::Feeder* feeder = spec.add_feeders();
  feeder->set_name("f");
  feeder->set_csv_file((dir.path() / "users.csv").string());
  const grpc::Status status = ValidateOnly(daemon, spec, "");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("spec.feeders[0].csv_file"), std::string::npos)
      << status.error_message();
  EXPECT_NE(status.error_message().find("--feeder-dir"), std::string::npos)
      << status.error_message();
  EXPECT_EQ(status.error_message().find("TOP-SECRET"), std::string::npos);
  EXPECT_EQ(daemon.Stop(), 0);
}

TEST(SecurityTest, CrlfInAHeaderIsRefusedAtSubmit) {
  TempDir dir;
  Daemon daemon(dir.path() / "data");
  v1::JobSpec spec = Spec();
  (*spec.mutable_user_classes(0)
        ->mutable_tasks(0)
        ->mutable_steps(0)
        ->mutable_request()
        ->mutable_headers())["X-A\r\nX-Injected"] = "1";
  const grpc::Status status = ValidateOnly(daemon, spec, "");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("headers[\"X-A\\x0d\\x0aX-Injected\"]: header name must"),
            std::string::npos)
      << status.error_message();
  EXPECT_EQ(daemon.Stop(), 0);
}

}  // namespace
}  // namespace throng
