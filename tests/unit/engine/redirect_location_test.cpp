// ResolveRedirect: Location forms (absolute, network-path, absolute and relative paths) against
// the answered request, and the Locations it refuses.
#include "throng/engine/redirect_location.h"

#include <gtest/gtest.h>

namespace throng::engine {
namespace {

const Origin kHome{"http", "127.0.0.1", 8000};

std::string Describe(const std::optional<RedirectHop>& hop) {
  if (!hop) return "refused";
  return hop->origin.scheme + "://" + hop->origin.host + ":" + std::to_string(hop->origin.port) +
         hop->target;
}

std::string Resolve(std::string_view location, std::string_view target = "/a/b?x=1") {
  return Describe(ResolveRedirect(kHome, target, location));
}

TEST(RedirectLocationTest, ResolvesEveryLocationForm) {
  EXPECT_EQ(Resolve("https://Example.TEST/p?q#frag"), "https://example.test:443/p?q");
  EXPECT_EQ(Resolve("http://127.0.0.2:9000"), "http://127.0.0.2:9000/");
  EXPECT_EQ(Resolve("http://[::1]:81/v6"), "http://::1:81/v6");
  EXPECT_EQ(Resolve("//other.test/x"), "http://other.test:80/x");
  EXPECT_EQ(Resolve("/root?y=2"), "http://127.0.0.1:8000/root?y=2");
  EXPECT_EQ(Resolve("c"), "http://127.0.0.1:8000/a/c");
  EXPECT_EQ(Resolve("?z=3"), "http://127.0.0.1:8000/a/b?z=3");
}

TEST(RedirectLocationTest, RefusesWhatCannotBeAnHttpHop) {
  EXPECT_EQ(Resolve("ftp://host/file"), "refused");
  EXPECT_EQ(Resolve("javascript:alert(1)"), "refused");
  EXPECT_EQ(Resolve("http://user:pw@host/"), "refused");
  EXPECT_EQ(Resolve("http://host:99999/"), "refused");
  EXPECT_EQ(Resolve("http:///nohost"), "refused");
  EXPECT_EQ(Resolve("/with space"), "refused");
  EXPECT_EQ(Resolve(""), "refused");
}

TEST(RedirectLocationTest, KnowsTheRedirectStatuses) {
  for (unsigned status : {301u, 302u, 303u, 307u, 308u}) EXPECT_TRUE(IsRedirectStatus(status));
  for (unsigned status : {200u, 300u, 304u, 305u, 400u}) EXPECT_FALSE(IsRedirectStatus(status));
}

}  // namespace
}  // namespace throng::engine
