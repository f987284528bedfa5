// ListJobs pages stay under the gRPC message limit whatever the specs' sizes; DeleteJob forgets
// an ended job; --job-history bounds how many ended jobs the registry keeps.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "robustness_fixture.h"

namespace throng::robustness_test {
namespace {

constexpr std::size_t kGrpcMessageLimit = 4 * 1024 * 1024;

/// One user, one iteration of GET /items/, with a variable of `padding` bytes.
v1::JobSpec PaddedJob(const std::string& base_url, std::size_t padding) {
  v1::JobSpec spec = OneIterationSpec("padded", base_url);
  (*spec.mutable_variables())["padding"] = std::string(padding, 'p');
  return spec;
}

class JobHistoryRobustness : public Robust {
 protected:
  /// Every page of ListJobs; each page's size is checked against the gRPC limit.
  std::vector<v1::ListJobsResponse> AllPages() {
    std::vector<v1::ListJobsResponse> pages;
    v1::ListJobsRequest request;
    for (int i = 0; i < 100; ++i) {
      v1::ListJobsResponse response;
      const grpc::Status status =
          daemon().stub->ListJobs(daemon_test::Context().get(), request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) break;
      EXPECT_LT(response.ByteSizeLong(), kGrpcMessageLimit);
      pages.push_back(response);
      if (response.next_page_token().empty()) break;
      request.set_page_token(response.next_page_token());
    }
    return pages;
  }
  std::string SubmitEnded(const v1::JobSpec& spec) {
    v1::Job job;
    const grpc::Status status = daemon_test::Submit(daemon(), spec, &job);
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(WaitForEnd(job.id()).state(), v1::COMPLETED);
    return job.id();
  }
};

TEST_F(JobHistoryRobustness, ListJobsPagesBySizeSoEveryPageFitsAMessage) {
  StartDaemon();
  // Five 900 KB specs: 4.5 MB together, beyond one gRPC message.
  for (int i = 0; i < 5; ++i) SubmitEnded(PaddedJob(BaseUrl(), 900 * 1024));
  ExpectResponsive();
  const std::vector<v1::ListJobsResponse> pages = AllPages();
  int jobs = 0;
  for (const auto& page : pages) jobs += page.jobs_size();
  EXPECT_EQ(jobs, 6);  // with the healthy job
  EXPECT_GE(pages.size(), 2u);
  ExpectHealthyJobReported();
}

TEST_F(JobHistoryRobustness, DeleteForgetsAnEndedJobAndHistoryKeepsTheNewest) {
  StartDaemon({"--job-history", "2"});
  v1::DeleteJobRequest request;
  request.set_id(healthy_id());
  v1::DeleteJobResponse response;
  grpc::Status status = daemon().stub->DeleteJob(daemon_test::Context().get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  ExpectHealthyJobReported();

  status = daemon().stub->DeleteJob(daemon_test::Context().get(), request, &response);
  EXPECT_TRUE(status.ok()) << status.error_message();
  v1::GetJobRequest get;
  get.set_id(healthy_id());
  v1::Job job;
  EXPECT_EQ(daemon().stub->GetJob(daemon_test::Context().get(), get, &job).error_code(),
            grpc::StatusCode::NOT_FOUND);
  status = daemon().stub->DeleteJob(daemon_test::Context().get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);

  std::vector<std::string> ids;
  for (int i = 0; i < 4; ++i) ids.push_back(SubmitEnded(PaddedJob(BaseUrl(), 10)));
  const std::vector<v1::ListJobsResponse> pages = AllPages();
  ASSERT_EQ(pages.size(), 1u);
  ASSERT_EQ(pages[0].jobs_size(), 2);
  EXPECT_EQ(pages[0].jobs(0).id(), ids[3]);
  EXPECT_EQ(pages[0].jobs(1).id(), ids[2]);
  ExpectResponsive();
}

}  // namespace
}  // namespace throng::robustness_test
