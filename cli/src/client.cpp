#include "throng/cli/client.h"

#include <fstream>
#include <sstream>

#include "throng/cli/error.h"

namespace throng::cli {

std::shared_ptr<grpc::Channel> MakeChannel(const ClientOptions& options) {
  if (!options.tls && options.ca_cert_file.empty()) {  // --ca-cert implies --tls
    return grpc::CreateChannel(options.daemon, grpc::InsecureChannelCredentials());
  }
  grpc::SslCredentialsOptions ssl;
  if (!options.ca_cert_file.empty()) {
    std::ifstream in(options.ca_cert_file, std::ios::binary);
    if (!in) throw InputError("--ca-cert: cannot read " + options.ca_cert_file);
    std::ostringstream pem;
    pem << in.rdbuf();
    ssl.pem_root_certs = pem.str();
  }
  return grpc::CreateChannel(options.daemon, grpc::SslCredentials(ssl));
}

void PrepareContext(const ClientOptions& options, grpc::ClientContext* context,
                    bool with_deadline) {
  // Plain metadata rather than call credentials: those refuse to travel over an insecure channel,
  // and a loopback daemon behind an authenticating proxy is a legitimate setup.
  if (!options.token.empty()) context->AddMetadata("authorization", "Bearer " + options.token);
  if (with_deadline) context->set_deadline(std::chrono::system_clock::now() + options.rpc_timeout);
}

std::string StatusCodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return "OK";
    case grpc::StatusCode::CANCELLED:
      return "CANCELLED";
    case grpc::StatusCode::UNKNOWN:
      return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND:
      return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED:
      return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE:
      return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL:
      return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE:
      return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS:
      return "DATA_LOSS";
    default:
      return "CODE_" + std::to_string(static_cast<int>(code));
  }
}

}  // namespace throng::cli
