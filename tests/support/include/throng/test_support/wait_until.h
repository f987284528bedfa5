// The one wait-for-condition helper of the test suite: tests wait for what they need, never sleep
// for a guessed time.
#pragma once

#include <chrono>
#include <functional>
#include <thread>

namespace throng::test_support {

/// Evaluates `done` every `poll` until it returns true or `timeout` has passed; returns its last
/// value (so a test can ASSERT_TRUE on it and print what it waited for). Bounded by `timeout`.
/// Thread-safety: runs `done` on the calling thread only.
inline bool WaitUntil(const std::function<bool()>& done,
                      std::chrono::steady_clock::duration timeout,
                      std::chrono::milliseconds poll = std::chrono::milliseconds(20)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return done();
    std::this_thread::sleep_for(poll);
  }
  return true;
}

}  // namespace throng::test_support
