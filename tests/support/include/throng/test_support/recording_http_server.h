// A loopback HTTP/1.1 server that records every request it reads, for tests that must prove what
// reached the wire (and what did not). Routes, by target:
//   /redirect?to=URL   302 with Location: URL (the rest of the target after "to=", verbatim)
//   /hops/N            302 to /hops/N-1; /hops/0 answers 200 "arrived"
//   anything else      200 "ok"
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace throng::test_support {

/// One request as parsed by the server: its target and header fields in wire order.
struct RecordedRequest {
  std::string method;
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;
};

/// Listens on `address`:`port` (a loopback address such as "127.0.0.1" or "127.0.0.2"; port 0 picks
/// a free one) and serves on its own thread from construction to Stop() or destruction. Accessors
/// are thread-safe and keep answering after Stop().
class RecordingHttpServer {
 public:
  explicit RecordingHttpServer(const std::string& address = "127.0.0.1", std::uint16_t port = 0);
  ~RecordingHttpServer();
  RecordingHttpServer(const RecordingHttpServer&) = delete;
  RecordingHttpServer& operator=(const RecordingHttpServer&) = delete;

  /// Stops serving and closes the listening socket: connects to it are refused from then on.
  void Stop();

  std::uint16_t port() const;
  /// TCP connections accepted so far.
  int connections() const;
  /// Every request read so far, in arrival order.
  std::vector<RecordedRequest> requests() const;
  /// Requests whose target starts with `prefix`.
  int RequestsStartingWith(std::string_view prefix) const;
  /// Whether any request carried a header named `name` (case-insensitive).
  bool SawHeader(std::string_view name) const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace throng::test_support
