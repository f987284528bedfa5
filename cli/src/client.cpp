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

}  // namespace throng::cli
