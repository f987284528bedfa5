// Pieces shared by the files that implement Commands.
#pragma once

#include <grpcpp/grpcpp.h>

#include <ostream>
#include <stdexcept>

#include "throng/cli/client.h"
#include "throng/cli/commands.h"
#include "throng/cli/error.h"

namespace throng::cli {

/// A failed RPC, carried to Guard.
struct RpcError {
  grpc::Status status;
};

inline void Check(const grpc::Status& status) {
  if (!status.ok()) throw RpcError{status};
}

template <typename Body>
int Commands::Guard(Body&& body) {
  try {
    return body();
  } catch (const InputError& error) {
    err_ << error.what() << "\n";
  } catch (const RpcError& error) {
    err_ << "error: " << StatusCodeName(error.status.error_code()) << ": "
         << error.status.error_message() << "\n";
  } catch (const std::runtime_error& error) {  // a report file that cannot be written
    err_ << "error: " << error.what() << "\n";
  }
  return kExitError;
}

}  // namespace throng::cli
