// A real throngd and demo backend for the robustness tests, with the checks every case makes:
// health answers within 1 s, and a healthy job running beside the hostile one reports.
#pragma once

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "backend_fixture.h"
#include "daemon_fixture.h"
#include "throng/test_support/temp_dir.h"
#include "throng/test_support/wait_until.h"

namespace throng::robustness_test {

using namespace std::chrono_literals;

/// A healthy job's planned run: long enough to overlap the hostile case.
inline constexpr auto kHealthyJobDuration = 3s;
/// Time a job gets to end and deliver its report beyond its planned duration.
inline constexpr auto kEndTimeout = 20s;

/// `users` closed users for `seconds` against `base_url`, GET /items/ every 10 ms.
inline v1::JobSpec ItemsSpec(const std::string& name, const std::string& base_url,
                             std::uint32_t users, std::int64_t seconds) {
  v1::JobSpec spec;
  spec.set_name(name);
  spec.set_base_url(base_url);
  v1::UserClass* user = spec.add_user_classes();
  user->set_name("visitor");
  user->mutable_wait()->mutable_constant()->set_nanos(10'000'000);
  v1::Request* request = user->add_tasks()->add_steps()->mutable_request();
  request->set_name("list items");
  request->set_path("/items/");
  spec.mutable_load()->mutable_closed()->set_users(users);
  spec.mutable_load()->mutable_duration()->set_seconds(seconds);
  return spec;
}

/// One user running one iteration of GET /items/ against `base_url`: a job that ends by itself.
inline v1::JobSpec OneIterationSpec(const std::string& name, const std::string& base_url) {
  v1::JobSpec spec = ItemsSpec(name, base_url, 1, 1);
  spec.mutable_load()->clear_duration();
  spec.mutable_load()->mutable_shared_iterations()->set_users(1);
  spec.mutable_load()->mutable_shared_iterations()->set_iterations(1);
  return spec;
}

/// Resident set size of process `pid` in KiB (VmRSS), -1 if unreadable.
inline long RssKiB(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string key;
  while (status >> key) {
    if (key == "VmRSS:") {
      long kib = -1;
      status >> kib;
      return kib;
    }
    status.ignore(4096, '\n');
  }
  return -1;
}

/// One throngd (with `daemon_args`) and one demo backend, plus a healthy job started at once.
class Robust : public ::testing::Test {
 protected:
  void StartDaemon(std::vector<std::string> daemon_args = {}) {
    daemon_ = std::make_unique<daemon_test::Daemon>(dir_.path(), std::move(daemon_args));
    StartHealthyJob();
  }

  /// Starts the healthy job (2 users for kHealthyJobDuration) that ExpectHealthyJobReported checks.
  void StartHealthyJob() {
    v1::Job job;
    const grpc::Status status = daemon_test::Submit(
        *daemon_, ItemsSpec("healthy", BaseUrl(), 2, kHealthyJobDuration.count()), &job);
    ASSERT_TRUE(status.ok()) << status.error_message();
    healthy_id_ = job.id();
  }

  std::string BaseUrl() const {
    return "http://127.0.0.1:" + std::to_string(backend_.address().port);
  }

  /// Health answers SERVING within 1 s.
  void ExpectResponsive() {
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(daemon_test::HealthStatus(*daemon_), 1);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 1s) << "health took over 1 s";
  }

  /// Waits for job `id` to end; its final state (JOB_STATE_UNSPECIFIED if it did not end).
  v1::Job WaitForEnd(const std::string& id, std::chrono::seconds timeout = kEndTimeout) {
    v1::Job job;
    test_support::WaitUntil(
        [&] {
          v1::GetJobRequest request;
          request.set_id(id);
          job.Clear();
          return daemon_->stub->GetJob(daemon_test::Context().get(), request, &job).ok() &&
                 (job.state() == v1::COMPLETED || job.state() == v1::STOPPED ||
                  job.state() == v1::FAILED || job.state() == v1::ABORTED);
        },
        timeout, 100ms);
    return job;
  }

  /// The healthy job completed with requests and a final report; health still answers.
  void ExpectHealthyJobReported() {
    ExpectResponsive();
    const v1::Job job = WaitForEnd(healthy_id_);
    EXPECT_EQ(job.state(), v1::COMPLETED) << job.ShortDebugString();
    v1::GetReportRequest request;
    request.set_id(healthy_id_);
    v1::Report report;
    const grpc::Status status =
        daemon_->stub->GetReport(daemon_test::Context().get(), request, &report);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_TRUE(report.final());
    EXPECT_GT(report.aggregated().requests(), 0u);
    EXPECT_EQ(report.aggregated().failures(), 0u);
    ExpectResponsive();
  }

  daemon_test::Daemon& daemon() { return *daemon_; }
  const std::string& healthy_id() const { return healthy_id_; }

  test_support::TempDir dir_{"throng-robustness"};
  demo_test::DemoBackend backend_;
  std::unique_ptr<daemon_test::Daemon> daemon_;
  std::string healthy_id_;
};

}  // namespace throng::robustness_test
