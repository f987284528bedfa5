#include "throng/daemon/security.h"

#include <spdlog/spdlog.h>

#include <boost/asio/ip/address.hpp>
#include <fstream>
#include <sstream>

#include "throng/daemon/daemon.h"

namespace throng::daemon {
namespace {

std::string ReadPem(const std::string& flag, const std::filesystem::path& path) {
  std::error_code ec;
  constexpr std::uintmax_t kMaxPemBytes = 1 << 20;
  if (!std::filesystem::is_regular_file(path, ec) ||
      std::filesystem::file_size(path, ec) > kMaxPemBytes) {
    throw UsageError(flag + " " + path.string() + ": not a regular file of at most 1 MiB");
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in || text.str().empty()) throw UsageError(flag + " " + path.string() + ": cannot read");
  return text.str();
}

bool TlsConfigured(const DaemonConfig& config) {
  return !config.tls_cert.empty() && !config.tls_key.empty();
}

}  // namespace

std::string HostOf(const std::string& address) {
  const auto colon = address.rfind(':');
  return colon == std::string::npos ? address : address.substr(0, colon);
}

bool IsLoopbackHost(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host == "localhost") return true;
  boost::system::error_code ec;
  const boost::asio::ip::address address = boost::asio::ip::make_address(std::string(host), ec);
  return !ec && address.is_loopback();
}

std::optional<std::string> ListenRefusal(const DaemonConfig& config) {
  if (config.tls_cert.empty() != config.tls_key.empty()) {
    return "--tls-cert and --tls-key go together";
  }
  if (!config.tls_client_ca.empty() && !TlsConfigured(config)) {
    return "--tls-client-ca needs --tls-cert and --tls-key";
  }
  if (config.insecure) return std::nullopt;
  if (!IsLoopbackHost(HostOf(config.grpc_listen)) &&
      (!TlsConfigured(config) || config.auth_token_file.empty())) {
    return "--grpc-listen " + config.grpc_listen +
           " is reachable beyond loopback: give --tls-cert, --tls-key and --auth-token-file, or "
           "--insecure to run it open";
  }
  if (!IsLoopbackHost(HostOf(config.metrics_listen)) && !config.metrics_open) {
    return "--metrics-listen " + config.metrics_listen +
           " is reachable beyond loopback: pass --metrics-open to serve /metrics without a token "
           "(it controls nothing), or --insecure";
  }
  return std::nullopt;
}

std::shared_ptr<grpc::ServerCredentials> GrpcServerCredentials(const DaemonConfig& config) {
  if (!TlsConfigured(config)) return grpc::InsecureServerCredentials();
  grpc::SslServerCredentialsOptions options(
      config.tls_client_ca.empty() ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
                                   : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  options.pem_key_cert_pairs.push_back(
      {ReadPem("--tls-key", config.tls_key), ReadPem("--tls-cert", config.tls_cert)});
  if (!config.tls_client_ca.empty()) {
    options.pem_root_certs = ReadPem("--tls-client-ca", config.tls_client_ca);
  }
  return grpc::SslServerCredentials(options);
}

std::unique_ptr<api::Authorizer> MakeAuthorizer(const DaemonConfig& config) {
  if (config.auth_token_file.empty()) return api::Authorizer::Disabled();
  try {
    return api::Authorizer::FromFile(config.auth_token_file);
  } catch (const std::runtime_error& e) {
    throw UsageError(e.what());
  }
}

bool ReflectionAllowed(const DaemonConfig& config) {
  return IsLoopbackHost(HostOf(config.grpc_listen)) || !config.auth_token_file.empty();
}

}  // namespace throng::daemon
