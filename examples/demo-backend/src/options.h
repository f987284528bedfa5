#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace demo {

/// Start-up configuration of the demo backend (from command-line flags).
struct BackendOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8000;
  int threads = 1;
  int prepared_users = 1000;
  bool secure_cookies = false;
  std::chrono::milliseconds hold_ttl{30000};
  int lockers = 200;
};

}  // namespace demo
