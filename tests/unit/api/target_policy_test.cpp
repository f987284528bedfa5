#include "throng/api/service/target_policy.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace throng::api {
namespace {

namespace ip = boost::asio::ip;

/// A resolver that knows a fixed table and counts lookups, so tests never touch real DNS.
TargetPolicy::Resolver FakeResolver(std::map<std::string, std::vector<std::string>> table,
                                    int* lookups = nullptr) {
  return [table = std::move(table), lookups](const std::string& host) {
    if (lookups) ++*lookups;
    std::vector<ip::address> addresses;
    if (auto it = table.find(host); it != table.end()) {
      for (const auto& text : it->second) addresses.push_back(ip::make_address(text));
    }
    return addresses;
  };
}

TEST(TargetPolicyTest, DefaultAllowsLoopbackOnly) {
  const TargetPolicy policy({"127.0.0.0/8", "::1", "localhost"}, FakeResolver({}));
  EXPECT_EQ(policy.Denial("127.0.0.1"), std::nullopt);
  EXPECT_EQ(policy.Denial("127.255.0.9"), std::nullopt);
  EXPECT_EQ(policy.Denial("::1"), std::nullopt);
  EXPECT_EQ(policy.Denial("[::1]"), std::nullopt);
  EXPECT_EQ(policy.Denial("LOCALHOST"), std::nullopt);
  EXPECT_NE(policy.Denial("198.51.100.7"), std::nullopt);
  EXPECT_NE(policy.Denial("10.0.0.1"), std::nullopt);
  EXPECT_NE(policy.Denial("2001:db8::1"), std::nullopt);
  EXPECT_NE(policy.Denial(""), std::nullopt);
}

TEST(TargetPolicyTest, DefaultEntriesAreLoopback) {
  const TargetPolicy policy(TargetPolicy::DefaultEntries(), FakeResolver({}));
  EXPECT_EQ(policy.Denial("127.0.0.1"), std::nullopt);
  EXPECT_NE(policy.Denial("192.0.2.1"), std::nullopt);
}

TEST(TargetPolicyTest, DenialNamesTheTarget) {
  const TargetPolicy policy({"127.0.0.0/8"}, FakeResolver({}));
  const auto denial = policy.Denial("198.51.100.7");
  ASSERT_TRUE(denial);
  EXPECT_NE(denial->find("198.51.100.7"), std::string::npos) << *denial;
  EXPECT_NE(denial->find("allow-target"), std::string::npos) << *denial;
}

TEST(TargetPolicyTest, CidrNetworksV4AndV6) {
  const TargetPolicy policy({"10.1.0.0/16", "2001:db8:1::/48", "192.0.2.5"}, FakeResolver({}));
  EXPECT_EQ(policy.Denial("10.1.255.3"), std::nullopt);
  EXPECT_NE(policy.Denial("10.2.0.1"), std::nullopt);
  EXPECT_EQ(policy.Denial("2001:db8:1:ffff::7"), std::nullopt);
  EXPECT_NE(policy.Denial("2001:db8:2::1"), std::nullopt);
  EXPECT_EQ(policy.Denial("192.0.2.5"), std::nullopt);
  EXPECT_NE(policy.Denial("192.0.2.6"), std::nullopt);
  // Loopback is not implied once an explicit list is given.
  EXPECT_NE(policy.Denial("127.0.0.1"), std::nullopt);
}

TEST(TargetPolicyTest, NonCanonicalCidrCoversItsNetwork) {
  const TargetPolicy policy({"10.1.2.3/8"}, FakeResolver({}));
  EXPECT_EQ(policy.Denial("10.200.0.1"), std::nullopt);
}

TEST(TargetPolicyTest, V4MappedV6IsJudgedAsV4) {
  const TargetPolicy policy({"127.0.0.0/8"}, FakeResolver({}));
  EXPECT_EQ(policy.Denial("::ffff:127.0.0.1"), std::nullopt);
  EXPECT_NE(policy.Denial("::ffff:198.51.100.7"), std::nullopt);
}

TEST(TargetPolicyTest, ListedNamesNeedNoLookup) {
  int lookups = 0;
  const TargetPolicy policy({"staging.example.com", "*.svc.example.com"},
                            FakeResolver({}, &lookups));
  EXPECT_EQ(policy.Denial("Staging.Example.com"), std::nullopt);
  EXPECT_EQ(policy.Denial("api.svc.example.com"), std::nullopt);
  EXPECT_EQ(lookups, 0);
  // The wildcard covers subdomains only, not the bare domain nor look-alike suffixes.
  EXPECT_NE(policy.Denial("svc.example.com"), std::nullopt);
  EXPECT_NE(policy.Denial("evilsvc.example.com"), std::nullopt);
}

TEST(TargetPolicyTest, UnlistedNameNeedsEveryAddressAllowed) {
  const TargetPolicy policy({"10.0.0.0/8"}, FakeResolver({{"inside", {"10.0.0.1", "10.9.9.9"}},
                                                          {"mixed", {"10.0.0.1", "192.0.2.1"}}}));
  EXPECT_EQ(policy.Denial("inside"), std::nullopt);
  const auto mixed = policy.Denial("mixed");
  ASSERT_TRUE(mixed);
  EXPECT_NE(mixed->find("192.0.2.1"), std::string::npos) << *mixed;
  const auto unknown = policy.Denial("nowhere");
  ASSERT_TRUE(unknown);
  EXPECT_NE(unknown->find("does not resolve"), std::string::npos) << *unknown;
}

TEST(TargetPolicyTest, SystemResolverResolvesLocalhostAlias) {
  // "localhost" via the real resolver, with only loopback networks listed.
  const TargetPolicy policy({"127.0.0.0/8", "::1"});
  EXPECT_EQ(policy.Denial("localhost"), std::nullopt);
}

TEST(TargetPolicyTest, BadEntriesAreRejectedByName) {
  for (const std::string bad : {"10.0.0.0/33", "10.0.0/8", "2001:db8::/129", "bad host", "a/b"}) {
    try {
      TargetPolicy policy({bad}, FakeResolver({}));
      ADD_FAILURE() << "accepted " << bad;
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(bad), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace throng::api
