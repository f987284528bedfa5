// --fleet: address lists and DNS names (loopback only), with their limits.
#include <gtest/gtest.h>

#include "throng/cli/error.h"
#include "throng/cli/fleet.h"

namespace throng::cli {
namespace {

std::string ErrorOf(const std::string& text) {
  try {
    ResolveFleet(text);
  } catch (const InputError& error) {
    return error.what();
  }
  return "";
}

TEST(FleetAddressesTest, ListsKeepTheirOrder) {
  EXPECT_EQ(ResolveFleet("127.0.0.1:7401,127.0.0.1:7402,[::1]:7403"),
            (std::vector<std::string>{"127.0.0.1:7401", "127.0.0.1:7402", "[::1]:7403"}));
}

TEST(FleetAddressesTest, DnsNamesResolveToEveryAddress) {
  const std::vector<std::string> addresses = ResolveFleet("dns:///localhost:7400");
  ASSERT_FALSE(addresses.empty());
  for (const std::string& address : addresses) {
    EXPECT_TRUE(address == "127.0.0.1:7400" || address == "[::1]:7400") << address;
  }
  EXPECT_EQ(ResolveFleet("dns:///127.0.0.1:9"), std::vector<std::string>{"127.0.0.1:9"});
}

TEST(FleetAddressesTest, BadInputIsRefusedNamingTheFlag) {
  EXPECT_NE(ErrorOf("").find("--fleet"), std::string::npos);
  EXPECT_NE(ErrorOf("127.0.0.1").find("is not HOST:PORT"), std::string::npos);
  EXPECT_NE(ErrorOf("127.0.0.1:7400,").find("is not HOST:PORT"), std::string::npos);
  EXPECT_NE(ErrorOf("127.0.0.1:0").find("1..65535"), std::string::npos);
  EXPECT_NE(ErrorOf("127.0.0.1:99999").find("1..65535"), std::string::npos);
  EXPECT_NE(ErrorOf("127.0.0.1:7400,127.0.0.1:7400").find("appears twice"), std::string::npos);
  EXPECT_NE(ErrorOf("dns:///no-such-host.invalid:7400").find("cannot resolve"), std::string::npos);
  std::string many;
  for (int i = 0; i <= 1000; ++i)
    many += (i ? "," : "") + std::string("127.0.0.1:") + std::to_string(1000 + i);
  EXPECT_NE(ErrorOf(many).find("at most 1000"), std::string::npos);
}

TEST(FleetAddressesTest, RunIdsFitTheApisGrammar) {
  const std::string id = NewRunId();
  EXPECT_EQ(id.rfind("fleet-", 0), 0u);
  EXPECT_LE(id.size(), 64u);
  for (char c : id) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-') << id;
}

}  // namespace
}  // namespace throng::cli
