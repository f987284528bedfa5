// CookieJar: RFC 6265 parsing and matching, with injected time for expiry.
#include "throng/engine/cookie_jar.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace throng::engine {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::system_clock;

class CookieJarTest : public ::testing::Test {
 protected:
  std::string Header(std::string_view host, std::string_view path, bool secure = false,
                     bool* withheld = nullptr) {
    std::string out;
    const bool w = jar_.BuildHeader(host, path, secure, out);
    if (withheld) *withheld = w;
    return out;
  }

  // 2024-01-01T00:00:00Z
  Clock::time_point now_ = Clock::time_point{std::chrono::seconds{1704067200}};
  CookieJar jar_{[this] { return now_; }};
};

TEST_F(CookieJarTest, StoresAndSendsASimpleCookie) {
  jar_.SetFromHeader("session=abc; Path=/", "api.test", "/auth/token");
  EXPECT_EQ(jar_.Value("session"), "abc");
  EXPECT_EQ(Header("api.test", "/accounts/me"), "session=abc");
  EXPECT_EQ(jar_.Size(), 1u);
}

TEST_F(CookieJarTest, MalformedHeadersAreIgnored) {
  jar_.SetFromHeader("no-equals-sign", "api.test", "/");
  jar_.SetFromHeader("=value-without-name", "api.test", "/");
  EXPECT_TRUE(jar_.Empty());
}

TEST_F(CookieJarTest, SameNameDomainPathReplaces) {
  jar_.SetFromHeader("a=1; Path=/", "api.test", "/");
  jar_.SetFromHeader("a=2; Path=/", "api.test", "/");
  EXPECT_EQ(Header("api.test", "/"), "a=2");
  EXPECT_EQ(jar_.Size(), 1u);
}

TEST_F(CookieJarTest, HostOnlyCookieIsNotSentToSubdomains) {
  jar_.SetFromHeader("a=1", "example.test", "/");
  EXPECT_EQ(Header("example.test", "/"), "a=1");
  EXPECT_EQ(Header("www.example.test", "/"), "");
}

TEST_F(CookieJarTest, DomainCookieMatchesSubdomainsAndForeignDomainIsRejected) {
  jar_.SetFromHeader("a=1; Domain=.Example.test", "www.example.test", "/");
  EXPECT_EQ(Header("api.example.test", "/"), "a=1");
  EXPECT_EQ(Header("example.test", "/"), "a=1");
  EXPECT_EQ(Header("badexample.test", "/"), "");
  jar_.SetFromHeader("b=2; Domain=other.test", "www.example.test", "/");
  EXPECT_EQ(jar_.Value("b"), "");
}

TEST_F(CookieJarTest, PathMatchingAndDefaultPath) {
  jar_.SetFromHeader("todo=1; Path=/todos", "h.test", "/");
  jar_.SetFromHeader("dflt=2", "h.test", "/api/v1/login?x=1");
  EXPECT_EQ(Header("h.test", "/todos"), "todo=1");
  EXPECT_EQ(Header("h.test", "/todos/7?q=1"), "todo=1");
  EXPECT_EQ(Header("h.test", "/todosx"), "");
  EXPECT_EQ(Header("h.test", "/api/v1/items"), "dflt=2");
  EXPECT_EQ(Header("h.test", "/api/v2"), "");
}

TEST_F(CookieJarTest, LongerPathsComeFirst) {
  jar_.SetFromHeader("a=root; Path=/", "h.test", "/");
  jar_.SetFromHeader("b=deep; Path=/x/y", "h.test", "/");
  EXPECT_EQ(Header("h.test", "/x/y/z"), "b=deep; a=root");
}

TEST_F(CookieJarTest, SecureCookieIsWithheldOverHttpAndReported) {
  jar_.SetFromHeader("tok=s; Secure; HttpOnly; Path=/", "h.test", "/");
  jar_.SetFromHeader("plain=p; Path=/", "h.test", "/");
  bool withheld = false;
  EXPECT_EQ(Header("h.test", "/", false, &withheld), "plain=p");
  EXPECT_TRUE(withheld);
  EXPECT_EQ(Header("h.test", "/", true, &withheld), "tok=s; plain=p");
  EXPECT_FALSE(withheld);
  // Not reported when the Secure cookie would not have matched anyway.
  EXPECT_EQ(Header("other.test", "/", false, &withheld), "");
  EXPECT_FALSE(withheld);
}

TEST_F(CookieJarTest, MaxAgeExpiresWithTime) {
  jar_.SetFromHeader("short=1; Max-Age=60", "h.test", "/");
  EXPECT_EQ(jar_.Value("short"), "1");
  now_ += 59s;
  EXPECT_EQ(Header("h.test", "/"), "short=1");
  now_ += 1s;
  EXPECT_EQ(Header("h.test", "/"), "");
  EXPECT_EQ(jar_.Value("short"), "");
  EXPECT_EQ(jar_.Size(), 0u);
}

TEST_F(CookieJarTest, MaxAgeZeroDeletesAnExistingCookie) {
  jar_.SetFromHeader("a=1", "h.test", "/");
  jar_.SetFromHeader("a=; Max-Age=0", "h.test", "/");
  EXPECT_TRUE(jar_.Empty());
}

TEST_F(CookieJarTest, ExpiresAttributeAndMaxAgePrecedence) {
  jar_.SetFromHeader("e=1; Expires=Mon, 01 Jan 2024 01:00:00 GMT", "h.test", "/");
  jar_.SetFromHeader("old=1; Expires=Sun, 31-Dec-2023 23:00:00 GMT", "h.test", "/");
  jar_.SetFromHeader("both=1; Expires=Sun, 31 Dec 2023 23:00:00 GMT; Max-Age=7200", "h.test", "/");
  EXPECT_EQ(jar_.Value("e"), "1");
  EXPECT_EQ(jar_.Value("old"), "");
  EXPECT_EQ(jar_.Value("both"), "1");
  now_ += 1h;
  EXPECT_EQ(jar_.Value("e"), "");
  EXPECT_EQ(jar_.Value("both"), "1");
}

TEST(CookieDateTest, ParsesTheCommonFormats) {
  const Clock::time_point expected{std::chrono::seconds{1445412480}};  // 2015-10-21 07:28:00Z
  EXPECT_EQ(ParseCookieDate("Wed, 21 Oct 2015 07:28:00 GMT"), expected);
  EXPECT_EQ(ParseCookieDate("Wednesday, 21-Oct-15 07:28:00 GMT"), expected);
  EXPECT_EQ(ParseCookieDate("Wed Oct 21 07:28:00 2015"), expected);
  EXPECT_FALSE(ParseCookieDate("yesterday"));
  EXPECT_FALSE(ParseCookieDate("Wed, 32 Oct 2015 07:28:00 GMT"));
  EXPECT_FALSE(ParseCookieDate("Wed, 21 Oct 2015 25:28:00 GMT"));
}

}  // namespace
}  // namespace throng::engine
