#include "fleet_daemons.h"

namespace throng::cli {

FleetDaemons::FleetDaemons(ClientOptions base, std::vector<std::string> addresses)
    : base_(std::move(base)), addresses_(std::move(addresses)), stubs_(addresses_.size()) {}

v1::LoadTester::StubInterface& FleetDaemons::Stub(std::size_t daemon) {
  if (!stubs_[daemon]) {
    ClientOptions options = base_;
    options.daemon = addresses_[daemon];
    stubs_[daemon] = v1::LoadTester::NewStub(MakeChannel(options));
  }
  return *stubs_[daemon];
}

grpc::Status FleetDaemons::Submit(std::size_t daemon, const v1::JobSpec& spec, v1::Job* job) {
  grpc::ClientContext context;
  PrepareContext(base_, &context, true);
  v1::SubmitJobRequest request;
  *request.mutable_spec() = spec;
  return Stub(daemon).SubmitJob(&context, request, job);
}

grpc::Status FleetDaemons::GetJob(std::size_t daemon, const std::string& id, v1::Job* job) {
  grpc::ClientContext context;
  PrepareContext(base_, &context, true);
  v1::GetJobRequest request;
  request.set_id(id);
  return Stub(daemon).GetJob(&context, request, job);
}

grpc::Status FleetDaemons::GetReport(std::size_t daemon, const std::string& id, v1::Report* report,
                                     bool reveal_setup_variables) {
  grpc::ClientContext context;
  PrepareContext(base_, &context, true);
  v1::GetReportRequest request;
  request.set_id(id);
  request.set_reveal_setup_variables(reveal_setup_variables);
  return Stub(daemon).GetReport(&context, request, report);
}

grpc::Status FleetDaemons::Stop(std::size_t daemon, const std::string& id, bool immediate) {
  grpc::ClientContext context;
  PrepareContext(base_, &context, true);
  v1::StopJobRequest request;
  request.set_id(id);
  request.set_immediate(immediate);
  v1::Job job;
  return Stub(daemon).StopJob(&context, request, &job);
}

grpc::Status FleetDaemons::Update(std::size_t daemon, v1::UpdateJobRequest request,
                                  const std::string& id, v1::Job* job) {
  grpc::ClientContext context;
  PrepareContext(base_, &context, true);
  request.set_id(id);
  return Stub(daemon).UpdateJob(&context, request, job);
}

grpc::Status FleetDaemons::FindRun(std::size_t daemon, const std::string& run_id,
                                   std::vector<v1::Job>* jobs) {
  v1::ListJobsRequest request;
  request.set_page_size(500);
  for (int page = 0; page < 1000; ++page) {
    grpc::ClientContext context;
    PrepareContext(base_, &context, true);
    v1::ListJobsResponse response;
    const grpc::Status status = Stub(daemon).ListJobs(&context, request, &response);
    if (!status.ok()) return status;
    for (const v1::Job& job : response.jobs()) {
      if (job.spec().has_fleet() && job.spec().fleet().run_id() == run_id) jobs->push_back(job);
    }
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  return grpc::Status::OK;
}

}  // namespace throng::cli
