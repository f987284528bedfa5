// throngd's control-plane security settings: TLS credentials, bearer tokens and the rule that
// refuses an open listen beyond loopback.
#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "throng/api/service/authorizer.h"
#include "throng/daemon/config.h"

namespace throng::daemon {

/// True for 127.0.0.0/8, ::1 (bracketed or not) and "localhost": addresses only this machine can
/// reach. Every other host (0.0.0.0, ::, a name, a routable address) counts as reachable.
bool IsLoopbackHost(std::string_view host);

/// Why `config` must not start (a listen beyond loopback without TLS and tokens, with no
/// --insecure; /metrics beyond loopback without --metrics-open; inconsistent TLS flags), as one
/// line; nullopt when it may. Checked before anything binds.
std::optional<std::string> ListenRefusal(const DaemonConfig& config);

/// Server credentials for --grpc-listen: TLS from --tls-cert/--tls-key (requiring and verifying
/// client certificates against --tls-client-ca when given), else insecure. Throws UsageError
/// naming the flag when a file cannot be read.
std::shared_ptr<grpc::ServerCredentials> GrpcServerCredentials(const DaemonConfig& config);

/// The bearer-token authorizer of --auth-token-file (Disabled() without it). Throws UsageError
/// naming the file and line on a bad token file. SIGHUP re-reads the file (a Reloader entry in
/// daemon.cpp): the new file takes effect for the next call.
std::unique_ptr<api::Authorizer> MakeAuthorizer(const DaemonConfig& config);

/// Server reflection lists the API's methods: only on a loopback listen or when tokens are
/// required (reflection reveals the schema only, never a job).
bool ReflectionAllowed(const DaemonConfig& config);

/// "host:port" -> host, brackets of an IPv6 literal kept.
std::string HostOf(const std::string& address);

}  // namespace throng::daemon
