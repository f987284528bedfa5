#include "throng/cli/duration.h"

#include <gtest/gtest.h>

#include "throng/cli/error.h"

namespace throng::cli {
namespace {

using std::chrono::nanoseconds;
using namespace std::chrono_literals;

TEST(DurationTest, ParsesFriendlyForms) {
  EXPECT_EQ(ParseDuration("15s"), 15s);
  EXPECT_EQ(ParseDuration("500ms"), 500ms);
  EXPECT_EQ(ParseDuration("1m30s"), 90s);
  EXPECT_EQ(ParseDuration("2h"), 2h);
  EXPECT_EQ(ParseDuration("1.5s"), 1500ms);
  EXPECT_EQ(ParseDuration("0.5s"), 500ms);
  EXPECT_EQ(ParseDuration("250us"), 250us);
  EXPECT_EQ(ParseDuration("7ns"), 7ns);
  EXPECT_EQ(ParseDuration("1h2m3s4ms"), 1h + 2min + 3s + 4ms);
  EXPECT_EQ(ParseDuration("0"), 0s);
}

TEST(DurationTest, RejectsMalformedText) {
  for (const char* bad : {"", "15", "s", "1x", "1.s5", "-1s", "1 s", "ms", "1.5", "5sec"}) {
    EXPECT_THROW(ParseDuration(bad), InputError) << bad;
  }
}

TEST(DurationTest, RejectsOverflow) { EXPECT_THROW(ParseDuration("9999999999999h"), InputError); }

TEST(DurationTest, FormatsForProtoJson) {
  EXPECT_EQ(ToProtoJsonDuration(15s), "15s");
  EXPECT_EQ(ToProtoJsonDuration(500ms), "0.5s");
  EXPECT_EQ(ToProtoJsonDuration(90s + 1ns), "90.000000001s");
  EXPECT_EQ(ToProtoJsonDuration(0s), "0s");
}

}  // namespace
}  // namespace throng::cli
