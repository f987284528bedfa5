#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <string>

#include "throng/api/common/status_names.h"

namespace throng::cli {

/// How to reach the daemon.
struct ClientOptions {
  /// host:port of throngd's gRPC endpoint.
  std::string daemon = "127.0.0.1:7400";
  /// Use TLS; `ca_cert_file` (PEM) replaces the system roots when set and implies TLS.
  bool tls = false;
  std::string ca_cert_file;
  /// Sent as "authorization: Bearer <token>" metadata on every call when set.
  std::string token;
  /// Deadline of each unary call (streams have none).
  std::chrono::milliseconds rpc_timeout{30'000};
};

/// A channel for `options`; throws InputError when the CA file cannot be read.
std::shared_ptr<grpc::Channel> MakeChannel(const ClientOptions& options);

/// Adds the bearer token and, when `with_deadline`, the unary deadline to `context`.
void PrepareContext(const ClientOptions& options, grpc::ClientContext* context, bool with_deadline);

using api::StatusCodeName;  // gRPC code names (throng/api/common/status_names.h)

}  // namespace throng::cli
