// The HTTP port under the control plane's rules and hostile input: tokens and roles as on gRPC
// (401, 403, /metrics open), bounded bodies and headers, malformed HTTP, foreign Host headers and
// cross-site form posts refused, and the --scenario-dir library confined to its directory.
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "http_api_fixture.h"
#include "throng/test_support/temp_dir.h"

namespace throng::http_api_test {
namespace {

using daemon_test::Daemon;
using test_support::TempDir;
using namespace std::chrono_literals;

constexpr const char* kOperator = "operator-token-7f3a9c1e5b";
constexpr const char* kReader = "reader-token-2d8e4f6a0c1b";

/// A spec that validates (the target is never contacted: validate_only).
const std::string kSpec =
    "name: s\nbase_url: http://127.0.0.1:1\nuser_classes: [{name: u, tasks: [{steps: "
    "[{request: {path: /}}]}]}]\nload: {closed: {users: 1}, duration: 1s}\n";

/// Sends `bytes` on a fresh connection and returns everything the server answers until it
/// closes the connection or `timeout` passes.
std::string RawExchange(std::uint16_t port, const std::string& bytes,
                        std::chrono::milliseconds timeout = 5s) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket(io);
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  std::string answer;
  boost::asio::async_write(socket, boost::asio::buffer(bytes),
                           [](boost::system::error_code, std::size_t) {});
  std::array<char, 4096> chunk{};
  std::function<void()> read = [&] {
    socket.async_read_some(boost::asio::buffer(chunk),
                           [&](boost::system::error_code ec, std::size_t n) {
                             answer.append(chunk.data(), n);
                             if (!ec) read();
                           });
  };
  read();
  io.run_for(timeout);
  return answer;
}

std::string StatusLine(const std::string& answer) { return answer.substr(0, answer.find('\r')); }

class HttpApiTokensTest : public ::testing::Test {
 protected:
  static std::vector<std::string> Args(const TempDir& dir) {
    const auto path = dir.path() / "tokens";
    std::ofstream(path) << kOperator << " operator\n" << kReader << " reader\n";
    return {"--auth-token-file", path.string()};
  }
  TempDir data_;
  TempDir config_;
  Daemon daemon_{data_.path(), Args(config_)};
};

TEST_F(HttpApiTokensTest, ReadsNeedAReaderTokenAndControlAnOperator) {
  EXPECT_EQ(Http(daemon_, "GET", "/metrics").status, 200);  // open: it controls nothing
  EXPECT_EQ(Http(daemon_, "GET", "/").status, 200);         // static files, no job data

  const HttpTestResponse anonymous = Http(daemon_, "GET", "/api/v1/jobs");
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(anonymous.Header("www-authenticate"), "Bearer");
  EXPECT_EQ(Error(anonymous)["code"], "UNAUTHENTICATED");
  EXPECT_EQ(Http(daemon_, "GET", "/api/v1/jobs", "", "wrong-token-0000000000").status, 401);
  EXPECT_EQ(Http(daemon_, "GET", "/api/v1/jobs", "", kReader).status, 200);
  EXPECT_EQ(Http(daemon_, "GET", "/api/v1/jobs/nope/events", "", kReader).status, 404);
  EXPECT_EQ(Http(daemon_, "GET", "/api/v1/scenarios").status, 401);

  EXPECT_EQ(Http(daemon_, "POST", "/api/v1/jobs?validate_only=true", kSpec).status, 401);
  const HttpTestResponse reader =
      Http(daemon_, "POST", "/api/v1/jobs?validate_only=true", kSpec, kReader);
  EXPECT_EQ(reader.status, 403);
  EXPECT_EQ(Error(reader)["code"], "PERMISSION_DENIED");
  EXPECT_EQ(Http(daemon_, "PATCH", "/api/v1/jobs/nope", "{}", kReader).status, 403);
  EXPECT_EQ(Http(daemon_, "DELETE", "/api/v1/jobs/nope", "", kReader).status, 403);
  const HttpTestResponse operator_call =
      Http(daemon_, "POST", "/api/v1/jobs?validate_only=true", kSpec, kOperator);
  EXPECT_EQ(operator_call.status, 200) << operator_call.body;
  EXPECT_EQ(Http(daemon_, "POST", "/api/v1/jobs/nope/stop", "{}", kOperator).status, 404);
}

class HttpApiHostileInputTest : public ::testing::Test {
 protected:
  TempDir data_;
  Daemon daemon_{data_.path()};
};

TEST_F(HttpApiHostileInputTest, OversizedMalformedAndForeignRequestsAreRefused) {
  const std::string big(5u << 20, 'x');
  const HttpTestResponse oversized = Http(daemon_, "POST", "/api/v1/jobs", big, "", {}, 20s);
  EXPECT_EQ(oversized.status, 413);
  EXPECT_EQ(Error(oversized)["code"], "PAYLOAD_TOO_LARGE");

  EXPECT_EQ(StatusLine(RawExchange(daemon_.metrics_port, "THIS IS NOT HTTP\r\n\r\n")),
            "HTTP/1.1 400 Bad Request");
  EXPECT_EQ(StatusLine(RawExchange(daemon_.metrics_port,
                                   "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "
                                   "-5\r\n\r\n")),
            "HTTP/1.1 400 Bad Request");
  std::string many = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (int i = 0; i < 100; ++i) many += "X-H" + std::to_string(i) + ": v\r\n";
  EXPECT_EQ(StatusLine(RawExchange(daemon_.metrics_port, many + "\r\n")),
            "HTTP/1.1 431 Request Header Fields Too Large");
  const std::string long_header =
      "GET / HTTP/1.1\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n";
  EXPECT_EQ(StatusLine(RawExchange(daemon_.metrics_port, long_header)),
            "HTTP/1.1 431 Request Header Fields Too Large");
  // A request that never completes is dropped after the read timeout, never answered; others
  // are served meanwhile.
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket slow(io);
  slow.connect({boost::asio::ip::make_address("127.0.0.1"), daemon_.metrics_port});
  boost::asio::write(slow, boost::asio::buffer(std::string("GET /metrics HTTP/1.1\r\nHo")));

  // DNS rebinding: a loopback port answers only to loopback names.
  const std::string rebound = RawExchange(
      daemon_.metrics_port,
      "GET /api/v1/jobs HTTP/1.1\r\nHost: attacker.example:9400\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(StatusLine(rebound), "HTTP/1.1 403 Forbidden");
  EXPECT_NE(rebound.find("BAD_HOST"), std::string::npos) << rebound;
  // Two Host headers are ambiguous: refused whatever they say.
  EXPECT_EQ(Http(daemon_, "GET", "/api/v1/jobs", "", "", {{"Host", "attacker.example"}}).status,
            400);
  // A cross-site form post (a CORS "simple" content type) cannot submit or stop a job.
  const HttpTestResponse form = Http(daemon_, "POST", "/api/v1/jobs", kSpec, "",
                                     {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(form.status, 415);
  EXPECT_EQ(
      Http(daemon_, "POST", "/api/v1/jobs/x/stop", "", "", {{"Content-Type", "text/plain"}}).status,
      415);
  EXPECT_EQ(Http(daemon_, "GET", "/api/v1/jobs/%zz").status, 400);
  EXPECT_EQ(Http(daemon_, "GET", "/api/v1/jobs/%2e%2e/report").status, 400);
  EXPECT_EQ(Http(daemon_, "PATCH", "/api/v1/jobs/x", "{not json").status, 400);
  // A YAML spec that is not UTF-8 (bench/fuzz.sh's find) is the client's error, not a 500.
  const HttpTestResponse not_utf8 =
      Http(daemon_, "POST", "/api/v1/jobs", "name: a\nbase_url: http://127.0.\xd6.1:8000\n");
  EXPECT_EQ(not_utf8.status, 400) << not_utf8.body;
  EXPECT_NE(not_utf8.body.find("body:2: not UTF-8 text (byte 0xD6 at offset 31)"),
            std::string::npos)
      << not_utf8.body;

  // Still serving, and pipelined keep-alive requests on one connection are answered in order.
  const std::string two =
      "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /nope HTTP/1.1\r\nHost: "
      "127.0.0.1\r\nConnection: close\r\n\r\n";
  const std::string answers = RawExchange(daemon_.metrics_port, two);
  EXPECT_EQ(StatusLine(answers), "HTTP/1.1 200 OK");
  EXPECT_NE(answers.find("HTTP/1.1 404 Not Found"), std::string::npos);
  EXPECT_EQ(Http(daemon_, "GET", "/metrics").status, 200);
  EXPECT_EQ(daemon_.Stop(), 0);  // shuts down with the slow connection still open
}

class HttpApiScenarioLibraryTest : public ::testing::Test {
 protected:
  static std::vector<std::string> Args(const TempDir& dir) {
    const auto library = dir.path() / "library";
    std::filesystem::create_directory(library);
    std::ofstream(library / "todo.yaml") << kSpec;
    std::ofstream(library / ".hidden.yaml") << kSpec;
    std::ofstream(library / "notes.txt") << "not a scenario";
    std::ofstream(library / "huge.yaml") << std::string((1u << 20) + 1, '#');
    std::filesystem::create_directory(library / "sub.yaml");
    std::ofstream(dir.path() / "outside.yaml") << "secret: outside the library\n";
    std::filesystem::create_symlink(dir.path() / "outside.yaml", library / "link.yaml");
    return {"--scenario-dir", library.string()};
  }
  TempDir data_;
  TempDir files_;
  Daemon daemon_{data_.path(), Args(files_)};
};

TEST_F(HttpApiScenarioLibraryTest, ListsAndReadsOnlyRegularYamlFilesInside) {
  const Json list = Body(Http(daemon_, "GET", "/api/v1/scenarios"));
  EXPECT_EQ(list["configured"], true);
  ASSERT_EQ(list["scenarios"].size(), 1u) << list;
  EXPECT_EQ(list["scenarios"][0]["name"], "todo.yaml");
  const HttpTestResponse todo = Http(daemon_, "GET", "/api/v1/scenarios/todo.yaml");
  EXPECT_EQ(todo.status, 200);
  EXPECT_EQ(todo.body, kSpec);
  for (const char* name : {"link.yaml", ".hidden.yaml", "notes.txt", "huge.yaml", "sub.yaml",
                           "..%2Foutside.yaml", "%2E%2E"}) {
    const HttpTestResponse refused = Http(daemon_, "GET", std::string("/api/v1/scenarios/") + name);
    EXPECT_TRUE(refused.status == 404 || refused.status == 400) << name << ": " << refused.status;
    EXPECT_EQ(refused.body.find("outside the library"), std::string::npos) << name;
  }
}

}  // namespace
}  // namespace throng::http_api_test
