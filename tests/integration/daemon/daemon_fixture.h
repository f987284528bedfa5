// The real throngd binary on loopback ports with a gRPC client, shared by the daemon tests.
#pragma once

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <future>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "throng/test_support/child_process.h"
#include "throng/test_support/listening_address.h"
#include "throng/v1/load_tester.grpc.pb.h"

namespace throng::daemon_test {

inline constexpr std::chrono::seconds kStartTimeout{10};
inline constexpr std::chrono::seconds kRpcTimeout{5};

/// A running throngd (`--grpc-listen` and `--metrics-listen` on 127.0.0.1:0, `--data-dir`
/// `data_dir`) with a client stub on its gRPC port. A non-empty `launcher` (a program and its
/// arguments, e.g. unshare) is started instead and must exec throngd, whose path and arguments it
/// receives last. The destructor SIGKILLs a daemon that was not stopped with Stop().
struct Daemon {
  explicit Daemon(const std::filesystem::path& data_dir, std::vector<std::string> extra_args = {},
                  std::vector<std::string> launcher = {}) {
    std::vector<std::string> args = {"--grpc-listen", "127.0.0.1:0", "--metrics-listen",
                                     "127.0.0.1:0",   "--data-dir",  data_dir.string()};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    std::string executable = THRONGD_PATH;
    if (!launcher.empty()) {
      args.insert(args.begin(), executable);
      args.insert(args.begin(), launcher.begin() + 1, launcher.end());
      executable = launcher.front();
    }
    child = std::make_unique<test_support::ChildProcess>(executable, args);
    const std::string grpc_line =
        child->WaitForLine(std::regex(R"(^grpc listening on 127\.0\.0\.1:(\d+)$)"), kStartTimeout);
    grpc_port = std::stoi(grpc_line.substr(grpc_line.rfind(':') + 1));
    metrics_port = test_support::WaitForListening(*child, kStartTimeout).port;
    channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(grpc_port),
                                  grpc::InsecureChannelCredentials());
    stub = v1::LoadTester::NewStub(channel);
  }

  /// SIGTERM and the exit code. The client goes first: gRPC holds a server's shutdown open, up to
  /// its grace period, while idle clients stay connected.
  int Stop() {
    stub.reset();
    channel.reset();
    child->Signal(SIGTERM);
    return child->Wait(std::chrono::seconds(10));
  }

  std::unique_ptr<test_support::ChildProcess> child;
  int grpc_port = 0;
  uint16_t metrics_port = 0;
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<v1::LoadTester::Stub> stub;
};

/// A client context whose deadline is kRpcTimeout from now.
inline std::unique_ptr<grpc::ClientContext> Context() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + kRpcTimeout);
  return context;
}

/// A loopback port nothing listens on: bound, read, released.
inline uint16_t UnusedPort() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(
      io, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
  return acceptor.local_endpoint().port();
}

inline grpc::Status Submit(Daemon& daemon, const v1::JobSpec& spec, v1::Job* job) {
  v1::SubmitJobRequest request;
  *request.mutable_spec() = spec;
  return daemon.stub->SubmitJob(Context().get(), request, job);
}

/// grpc.health.v1.Health/Check for the whole server, through a generic stub (the health proto's
/// generated code is not installed). Returns the raw ServingStatus (1 = SERVING), -1 when the
/// answer is not one.
inline int HealthStatus(Daemon& daemon) {
  grpc::GenericStub stub(daemon.channel);
  auto context = Context();
  grpc::Slice empty("");  // HealthCheckRequest{service: ""} encodes as no bytes
  grpc::ByteBuffer request(&empty, 1);
  grpc::ByteBuffer response;
  std::promise<grpc::Status> done;
  stub.UnaryCall(context.get(), "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request,
                 &response, [&](grpc::Status status) { done.set_value(status); });
  const grpc::Status status = done.get_future().get();
  EXPECT_TRUE(status.ok()) << status.error_message();
  std::vector<grpc::Slice> slices;
  EXPECT_TRUE(response.Dump(&slices).ok());
  std::string bytes;
  for (const auto& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  // HealthCheckResponse: field 1 (status) as a varint.
  if (bytes.size() != 2 || bytes[0] != 0x08) return -1;
  return bytes[1];
}

}  // namespace throng::daemon_test
