// Secrets in a submitted job reach the target (the job runs with them) and nowhere else: not
// GetJob, ListJobs, GetReport, `throngctl get`, the JSON/HTML/CSV/console reports, the daemon's
// log, nor the bytes of the registry's SQLite file. One marker value per case of issue 15.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "daemon_fixture.h"
#include "job_wait.h"
#include "throng/test_support/child_process.h"
#include "throng/test_support/recording_http_server.h"
#include "throng/test_support/temp_dir.h"

namespace throng {
namespace {

using daemon_test::Daemon;
using test_support::ChildProcess;
using test_support::RecordingHttpServer;
using test_support::TempDir;
using namespace std::chrono_literals;

/// Where each secret sits (the case name) and its marker value.
const std::vector<std::pair<std::string, std::string>> kSecrets = {
    {"header X-Auth", "m-xauth-41c9"},
    {"header X-Session-Key", "m-sesskey-7d20"},
    {"variable db_pass", "m-dbpass-3a11"},
    {"variable pwd", "m-pwd-90be"},
    {"variable credentials", "m-cred-55f2"},
    {"variable private_key", "m-privkey-0c7e"},
    {"feeder column pin", "m-pin-6b4d"},
    {"form field otp", "m-otp-2e88"},
    {"query sig", "m-sig-c3a0"},
    {"json key pass", "m-jpass-81d5"},
    {"?api_key= in a path", "m-apikey-4f6c"},
    {"request secret: true", "m-secretreq-9a3b"},
};

std::string Secret(const std::string& where) {
  for (const auto& [name, value] : kSecrets) {
    if (name == where) return value;
  }
  ADD_FAILURE() << "no secret " << where;
  return "";
}

v1::JobSpec LeakySpec(const std::string& base_url) {
  v1::JobSpec spec;
  spec.set_name("redaction");
  spec.set_base_url(base_url);
  auto& vars = *spec.mutable_variables();
  vars["db_pass"] = Secret("variable db_pass");
  vars["pwd"] = Secret("variable pwd");
  vars["credentials"] = Secret("variable credentials");
  vars["private_key"] = Secret("variable private_key");
  v1::Feeder* feeder = spec.add_feeders();
  feeder->set_name("f");
  (*feeder->mutable_inline_()->add_rows()->mutable_values())["pin"] = Secret("feeder column pin");
  v1::Task* task = spec.add_user_classes()->add_tasks();
  spec.mutable_user_classes(0)->set_name("u");
  v1::Request* login = task->add_steps()->mutable_request();
  login->set_name("login");
  login->set_method("POST");
  login->set_path("/login?api_key=" + Secret("?api_key= in a path"));
  (*login->mutable_headers())["X-Auth"] = Secret("header X-Auth");
  (*login->mutable_headers())["X-Session-Key"] = Secret("header X-Session-Key");
  (*login->mutable_headers())["X-Vars"] = "{{db_pass}}/{{pwd}}/{{credentials}}/{{private_key}}";
  (*login->mutable_query())["sig"] = Secret("query sig");
  (*login->mutable_query())["pin"] = "{{feed:f.pin}}";
  (*login->mutable_form()->mutable_fields())["otp"] = Secret("form field otp");
  v1::Request* profile = task->add_steps()->mutable_request();
  profile->set_name("profile");
  profile->set_method("POST");
  (*profile->mutable_json()->mutable_struct_value()->mutable_fields())["pass"].set_string_value(
      Secret("json key pass"));
  profile->set_path("/profile");
  v1::Request* marked = task->add_steps()->mutable_request();
  marked->set_name("marked");
  marked->set_path("/marked");
  marked->set_secret(true);
  (*marked->mutable_headers())["X-Plain"] = Secret("request secret: true");
  spec.mutable_load()->mutable_per_user_iterations()->set_users(1);
  spec.mutable_load()->mutable_per_user_iterations()->set_iterations(2);
  return spec;
}

std::string ReadBytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

/// Every secret that appears in `text`, for a failure message naming the leaking cases.
void ExpectNoSecret(const std::string& where, const std::string& text) {
  for (const auto& [name, value] : kSecrets) {
    EXPECT_EQ(text.find(value), std::string::npos) << name << " leaks into " << where;
  }
}

std::string Throngctl(const Daemon& daemon, std::vector<std::string> args) {
  args.insert(args.begin(), {"--daemon", "127.0.0.1:" + std::to_string(daemon.grpc_port)});
  ChildProcess cli(THRONGCTL_PATH, args);
  EXPECT_EQ(cli.Wait(20s), 0) << cli.Stderr();
  return cli.Stdout() + cli.Stderr();
}

TEST(RedactionTest, SecretsReachTheTargetAndNothingElse) {
  TempDir dir;
  RecordingHttpServer server;
  Daemon daemon(dir.path() / "data");
  const std::string base_url = "http://127.0.0.1:" + std::to_string(server.port());
  const std::string id = daemon_test::SubmitOk(daemon, LeakySpec(base_url));
  const v1::Report report = daemon_test::WaitForFinalReport(daemon, id);

  // The job ran with the real values.
  std::string wire;
  for (const auto& request : server.requests()) {
    wire += request.target + "\n";
    for (const auto& [name, value] : request.headers) wire += name + ": " + value + "\n";
  }
  for (const std::string where :
       {"header X-Auth", "header X-Session-Key", "variable db_pass", "variable pwd",
        "variable credentials", "variable private_key", "feeder column pin", "query sig",
        "?api_key= in a path", "request secret: true"}) {
    EXPECT_NE(wire.find(Secret(where)), std::string::npos) << where << " not sent:\n" << wire;
  }
  EXPECT_EQ(server.RequestsStartingWith("/profile"), 2);

  ExpectNoSecret("GetReport", report.DebugString());
  ExpectNoSecret("GetJob", daemon_test::GetJob(daemon, id).DebugString());
  v1::ListJobsResponse list;
  ASSERT_TRUE(daemon.stub->ListJobs(daemon_test::Context().get(), {}, &list).ok());
  ASSERT_EQ(list.jobs_size(), 1);
  ExpectNoSecret("ListJobs", list.DebugString());
  ExpectNoSecret("throngctl get", Throngctl(daemon, {"get", id}));
  const auto out = dir.path() / "out";
  std::filesystem::create_directory(out);
  const std::string console =
      Throngctl(daemon, {"report", id, "--json", (out / "r.json").string(), "--html",
                         (out / "r.html").string(), "--csv", (out / "r").string()});
  ExpectNoSecret("throngctl report (console)", console);
  int files = 0;
  for (const auto& file : std::filesystem::directory_iterator(out)) {
    ++files;
    ExpectNoSecret(file.path().filename().string(), ReadBytes(file.path()));
  }
  EXPECT_GE(files, 3);
  EXPECT_EQ(daemon.Stop(), 0);
  ExpectNoSecret("the daemon's log", daemon.child->Stdout() + daemon.child->Stderr());
  // Every byte of the registry (database, WAL, shared memory) after a clean stop.
  for (const auto& file : std::filesystem::recursive_directory_iterator(dir.path() / "data")) {
    if (file.is_regular_file()) ExpectNoSecret(file.path().string(), ReadBytes(file.path()));
  }
}

}  // namespace
}  // namespace throng
