// One gRPC stub per daemon of a fleet, and the calls the fleet commands make on them.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "throng/cli/client.h"
#include "throng/v1/load_tester.grpc.pb.h"

namespace throng::cli {

/// The daemons of a fleet run. Every call has the unary deadline of `base`; none throws (the
/// caller decides whether a failure loses a segment). Not thread-safe.
class FleetDaemons {
 public:
  /// `base` carries TLS, CA and token, the same for every daemon; stubs are made on first use.
  FleetDaemons(ClientOptions base, std::vector<std::string> addresses);

  std::size_t Size() const { return addresses_.size(); }
  const std::string& Address(std::size_t daemon) const { return addresses_[daemon]; }

  grpc::Status Submit(std::size_t daemon, const v1::JobSpec& spec, v1::Job* job);
  grpc::Status GetJob(std::size_t daemon, const std::string& id, v1::Job* job);
  /// With `reveal_setup_variables`, the real values of a setup-only job's setup_variables
  /// (an operator's call; otherwise secrets read "***").
  grpc::Status GetReport(std::size_t daemon, const std::string& id, v1::Report* report,
                         bool reveal_setup_variables = false);
  grpc::Status Stop(std::size_t daemon, const std::string& id, bool immediate);
  grpc::Status Update(std::size_t daemon, v1::UpdateJobRequest request, const std::string& id,
                      v1::Job* job);
  /// The jobs of fleet run `run_id` on `daemon` (every page of ListJobs, at most 1000 pages).
  grpc::Status FindRun(std::size_t daemon, const std::string& run_id, std::vector<v1::Job>* jobs);

 private:
  v1::LoadTester::StubInterface& Stub(std::size_t daemon);

  ClientOptions base_;
  std::vector<std::string> addresses_;
  std::vector<std::unique_ptr<v1::LoadTester::StubInterface>> stubs_;
};

}  // namespace throng::cli
