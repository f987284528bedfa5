// ParseSimpleResponse: the common responses it reads, the ones it leaves to Beast's parser, and a
// differential check that whatever it reads, Beast's parser reads the same way.
#include "simple_response.h"

#include <gtest/gtest.h>

#include <boost/asio/buffer.hpp>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "http_response_parser.h"

namespace throng::engine {
namespace {

using namespace std::string_literals;  // "..."s keeps embedded NULs

const std::string kNginx =
    "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Tue, 01 Dec 2026 12:22:11 GMT\r\n"
    "Content-Type: text/plain\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\nok";

ParsedResponse Options(bool keep) {
  ParsedResponse parsed;
  parsed.Clear(keep, keep, 1 << 20);
  return parsed;
}

// The fast path's reading of `wire`, which it must take whole.
ParsedResponse ReadWhole(const std::string& wire, bool keep) {
  ParsedResponse parsed = Options(keep);
  EXPECT_EQ(ParseSimpleResponse(wire, parsed), wire.size()) << testing::PrintToString(wire);
  return parsed;
}

std::vector<std::pair<std::string, std::string>> Fields(const ParsedResponse& parsed) {
  std::vector<std::pair<std::string, std::string>> fields;
  for (const auto& f : parsed.fields) fields.emplace_back(parsed.Name(f), parsed.Value(f));
  return fields;
}

TEST(SimpleResponseTest, ReadsNginxResponseWithoutKeepingFields) {
  const ParsedResponse parsed = ReadWhole(kNginx, false);
  EXPECT_EQ(parsed.status, 200u);
  EXPECT_EQ(parsed.body_size, 2u);
  EXPECT_TRUE(parsed.body.empty());
  EXPECT_TRUE(parsed.fields.empty());
  EXPECT_TRUE(parsed.keep_alive);
}

TEST(SimpleResponseTest, KeepsEveryFieldTrimmedAndTheBodyWhenAsked) {
  const ParsedResponse parsed = ReadWhole(
      "HTTP/1.1 404 Not Found\r\nX-Trace: \t a b \t\r\nEmpty:\r\ncontent-length: 3\r\n\r\nnop",
      true);
  EXPECT_EQ(parsed.status, 404u);
  EXPECT_EQ(parsed.body, "nop");
  const std::vector<std::pair<std::string, std::string>> want = {
      {"X-Trace", "a b"}, {"Empty", ""}, {"content-length", "3"}};
  EXPECT_EQ(Fields(parsed), want);
}

TEST(SimpleResponseTest, ConnectionCloseEndsKeepAlive) {
  const ParsedResponse parsed =
      ReadWhole("HTTP/1.1 500 Oops\r\nConnection: Close\r\nContent-Length: 0\r\n\r\n", false);
  EXPECT_EQ(parsed.status, 500u);
  EXPECT_FALSE(parsed.keep_alive);
}

TEST(SimpleResponseTest, KeepsSetCookieForTheJarEvenWhenFieldsAreNotKept) {
  const ParsedResponse parsed = ReadWhole(
      "HTTP/1.1 200 OK\r\nSet-Cookie: sid=1; Path=/\r\nX: y\r\nContent-Length: 0\r\n\r\n", false);
  ASSERT_EQ(parsed.fields.size(), 1u);
  EXPECT_TRUE(parsed.fields[0].set_cookie);
  EXPECT_EQ(parsed.Value(parsed.fields[0]), "sid=1; Path=/");
}

TEST(SimpleResponseTest, ReadsOnlyTheFirstOfPipelinedResponses) {
  ParsedResponse parsed = Options(true);
  EXPECT_EQ(ParseSimpleResponse(kNginx + kNginx, parsed), kNginx.size());
  EXPECT_EQ(parsed.body, "ok");
}

// A response whose one odd part is its status line, or one field line before a valid length.
std::string WithStatusLine(const std::string& line) {
  return line + "\r\nContent-Length: 2\r\n\r\nok";
}
std::string WithField(const std::string& line) {
  return WithStatusLine("HTTP/1.1 200 OK\r\n" + line);
}

TEST(SimpleResponseTest, LeavesEverythingElseToBeast) {
  const std::vector<std::pair<const char*, std::string>> cases = {
      {"head incomplete", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n"},
      {"body incomplete", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok"},
      {"HTTP/1.0", WithStatusLine("HTTP/1.0 200 OK")},
      {"1xx", "HTTP/1.1 100 Continue\r\n\r\n"},
      {"204", WithStatusLine("HTTP/1.1 204 No Content")},
      {"304", WithStatusLine("HTTP/1.1 304 Not Modified")},
      {"redirect", WithStatusLine("HTTP/1.1 302 Found\r\nLocation: /x")},
      {"status 600", WithStatusLine("HTTP/1.1 600 What")},
      {"no reason separator", WithStatusLine("HTTP/1.1 200")},
      {"control in reason", WithStatusLine("HTTP/1.1 200 O\x01K")},
      {"no length", "HTTP/1.1 200 OK\r\n\r\nok"},
      {"chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"},
      {"two lengths", WithField("Content-Length: 2")},
      {"length list", "HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nok"},
      {"length too long", "HTTP/1.1 200 OK\r\nContent-Length: 0000000000000000002\r\n\r\nok"},
      {"negative length", "HTTP/1.1 200 OK\r\nContent-Length: -2\r\n\r\nok"},
      {"obs-fold", WithField("X: a\r\n b")},
      {"space before colon", WithField("X : a")},
      {"separator in name", WithField("X(y): a")},
      {"empty name", WithField(": a")},
      {"no colon", WithField("Xa")},
      {"NUL in value", WithField("X: a\0b"s)},
      {"DEL in value", WithField("X: a\x7f")},
      {"bare LF", WithField("X: a\nY: b")},
      {"bare CR", WithField("X: a\rY: b")},
      {"connection upgrade", WithField("Connection: upgrade")},
      {"connection list", WithField("Connection: close, x")},
      {"upgrade", WithField("Upgrade: h2c")},
      {"proxy-connection", WithField("Proxy-Connection: close")},
      {"head too long", WithField("X: " + std::string(kSimpleHeadLimit, 'a'))},
  };
  for (const auto& [why, wire] : cases) {
    ParsedResponse parsed = Options(true);
    EXPECT_EQ(ParseSimpleResponse(wire, parsed), 0u) << why;
    EXPECT_EQ(parsed.status, 0u) << why;
    EXPECT_TRUE(parsed.fields.empty() && parsed.field_bytes.empty()) << why;
    EXPECT_TRUE(parsed.body.empty()) << why;
    EXPECT_TRUE(parsed.keep_body && parsed.keep_fields) << why << ": the options stay";
  }
}

TEST(SimpleResponseTest, LeavesLimitsAndHeadRequestsToBeast) {
  ParsedResponse over_limit;
  over_limit.Clear(true, true, 1);
  EXPECT_EQ(ParseSimpleResponse(kNginx, over_limit), 0u);
  ParsedResponse head;
  head.Clear(true, true, 1 << 20, /*head=*/true);
  EXPECT_EQ(ParseSimpleResponse(kNginx, head), 0u);
  EXPECT_TRUE(head.head_request);
}

// Beast's reading of `wire`: bytes used (0 on an error or when it needs more) and the result.
std::size_t ParseWithBeast(const std::string& wire, ParsedResponse& parsed) {
  ResponseParser parser(parsed);
  parser.body_limit(parsed.body_limit);
  parser.eager(true);
  boost::beast::error_code ec;
  const std::size_t used = parser.put(boost::asio::buffer(wire), ec);
  return !ec && parser.is_done() ? used : 0;
}

// Mutates `wire` at a random place with one of the octets parsers trip on.
void Mutate(std::mt19937& rng, std::string& wire) {
  static const std::string kOctets = " \t\r\n:,;-0129aAzZ()\x7f\x80\xff\x01\0"s;
  std::uniform_int_distribution<std::size_t> where(0, wire.size() - 1);
  const char octet =
      kOctets[std::uniform_int_distribution<std::size_t>(0, kOctets.size() - 1)(rng)];
  switch (std::uniform_int_distribution<int>(0, 2)(rng)) {
    case 0:
      wire[where(rng)] = octet;
      break;
    case 1:
      wire.insert(wire.begin() + static_cast<std::ptrdiff_t>(where(rng)), octet);
      break;
    default:
      wire.erase(where(rng), 1);
      break;
  }
}

TEST(SimpleResponseTest, AgreesWithBeastOnEverythingItReads) {
  const std::vector<std::string> bases = {
      kNginx,
      "HTTP/1.1 201 Created\r\nSet-Cookie: a=b\r\nConnection: close\r\nContent-Length: "
      "4\r\n\r\nbody",
      "HTTP/1.1 503 Busy\r\nRetry-After: 1\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\n",
  };
  std::mt19937 rng(21);
  int read_by_both = 0;
  int left_to_beast = 0;
  for (int i = 0; i < 200'000; ++i) {
    std::string wire = bases[static_cast<std::size_t>(i) % bases.size()];
    const int mutations = std::uniform_int_distribution<int>(1, 3)(rng);
    for (int m = 0; m < mutations; ++m) Mutate(rng, wire);
    const bool keep = (i & 1) != 0;
    ParsedResponse fast = Options(keep);
    const std::size_t fast_used = ParseSimpleResponse(wire, fast);
    if (fast_used == 0) {
      ++left_to_beast;
      continue;
    }
    ++read_by_both;
    ParsedResponse beast = Options(keep);
    ASSERT_EQ(ParseWithBeast(wire, beast), fast_used) << testing::PrintToString(wire);
    EXPECT_EQ(beast.status, fast.status) << testing::PrintToString(wire);
    EXPECT_EQ(Fields(beast), Fields(fast)) << testing::PrintToString(wire);
    EXPECT_EQ(beast.body, fast.body) << testing::PrintToString(wire);
    EXPECT_EQ(beast.body_size, fast.body_size) << testing::PrintToString(wire);
    EXPECT_EQ(beast.keep_alive, fast.keep_alive) << testing::PrintToString(wire);
    ASSERT_FALSE(HasFailure());
  }
  // Both sides of the check were exercised.
  EXPECT_GT(read_by_both, 10'000);
  EXPECT_GT(left_to_beast, 10'000);
}

}  // namespace
}  // namespace throng::engine
