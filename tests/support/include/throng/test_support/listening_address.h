#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "throng/test_support/child_process.h"

namespace throng::test_support {

/// Where a server child process said it listens.
struct ListeningAddress {
  std::string host;
  uint16_t port = 0;
};

/// Waits for the line `listening on http://HOST:PORT` that Throng's servers print on start-up and
/// returns its address. Throws like ChildProcess::WaitForLine.
ListeningAddress WaitForListening(ChildProcess& child,
                                  std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace throng::test_support
