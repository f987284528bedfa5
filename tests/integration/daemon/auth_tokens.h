// Bearer tokens for the daemon tests that start throngd with --auth-token-file.
#pragma once

#include <grpcpp/grpcpp.h>

#include <fstream>
#include <memory>
#include <string>

#include "daemon_fixture.h"
#include "throng/test_support/temp_dir.h"

namespace throng::daemon_test {

inline constexpr const char* kOperatorToken = "operator-token-7f3a9c1e5b";
inline constexpr const char* kReaderToken = "reader-token-2d8e4f6a0c1b";

/// Writes `dir`/tokens with one operator and one reader token; its path.
inline std::string TokenFile(const test_support::TempDir& dir) {
  const auto path = dir.path() / "tokens";
  std::ofstream(path) << kOperatorToken << " operator\n" << kReaderToken << " reader\n";
  return path.string();
}

/// A client context (deadline kRpcTimeout) carrying `token`, or no token when it is empty.
inline std::unique_ptr<grpc::ClientContext> WithToken(const std::string& token) {
  auto context = Context();
  if (!token.empty()) context->AddMetadata("authorization", "Bearer " + token);
  return context;
}

}  // namespace throng::daemon_test
