// DnsCache: one resolution per host:port until invalidated; failures are reported, not cached.
#include "throng/engine/dns_cache.h"

#include <gtest/gtest.h>

#include "http_test_server.h"

namespace throng::engine {
namespace {

using test_support::RunSync;

TEST(DnsCacheTest, ResolvesOncePerHostAndPort) {
  boost::asio::io_context io;
  DnsCache cache(io);
  DnsCache::Endpoints endpoints;
  ASSERT_FALSE(RunSync(io, cache.Resolve("127.0.0.1", 8080, endpoints)));
  ASSERT_EQ(endpoints.size(), 1u);
  EXPECT_EQ(endpoints[0].port(), 8080);
  EXPECT_TRUE(endpoints[0].address().is_loopback());
  endpoints.clear();
  ASSERT_FALSE(RunSync(io, cache.Resolve("127.0.0.1", 8080, endpoints)));
  EXPECT_EQ(endpoints.size(), 1u);
  EXPECT_EQ(cache.resolutions(), 1u);
  ASSERT_FALSE(RunSync(io, cache.Resolve("127.0.0.1", 8081, endpoints)));
  EXPECT_EQ(cache.resolutions(), 2u);
}

TEST(DnsCacheTest, InvalidateForcesANewResolution) {
  boost::asio::io_context io;
  DnsCache cache(io);
  DnsCache::Endpoints endpoints;
  ASSERT_FALSE(RunSync(io, cache.Resolve("localhost", 80, endpoints)));
  cache.Invalidate("localhost", 80);
  ASSERT_FALSE(RunSync(io, cache.Resolve("localhost", 80, endpoints)));
  EXPECT_EQ(cache.resolutions(), 2u);
  EXPECT_FALSE(endpoints.empty());
}

TEST(DnsCacheTest, FailuresAreReturnedAndNotCached) {
  boost::asio::io_context io;
  DnsCache cache(io);
  DnsCache::Endpoints endpoints;
  EXPECT_TRUE(RunSync(io, cache.Resolve("no-such-host.invalid", 80, endpoints)));
  EXPECT_TRUE(RunSync(io, cache.Resolve("no-such-host.invalid", 80, endpoints)));
  EXPECT_EQ(cache.resolutions(), 2u);
}

}  // namespace
}  // namespace throng::engine
