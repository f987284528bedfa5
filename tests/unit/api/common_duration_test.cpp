// The one duration grammar shared by scenario files, throngctl, throngd flags and thresholds.
#include <gtest/gtest.h>

#include "throng/api/common/duration.h"

namespace throng::api {
namespace {

using namespace std::chrono_literals;

TEST(CommonDurationTest, ReadsEveryUnitAndCompoundTerms) {
  EXPECT_EQ(*ParseDuration("7ns"), 7ns);
  EXPECT_EQ(*ParseDuration("250us"), 250us);
  EXPECT_EQ(*ParseDuration("250\xC2\xB5s"), 250us);
  EXPECT_EQ(*ParseDuration("1.5e3ms"), 1500ms);
  EXPECT_EQ(*ParseDuration(".5s"), 500ms);
  EXPECT_EQ(*ParseDuration("1h2m3s4ms"), 1h + 2min + 3s + 4ms);
  EXPECT_EQ(*ParseDuration("1.000000001s"), 1s + 1ns);
  EXPECT_EQ(*ParseDuration("0"), 0s);
}

TEST(CommonDurationTest, RefusesWithoutEchoingTheText) {
  for (const char* bad : {"", "15", "s", "secret-1x", "-1s", "+1s", "1 s", "1.5", "5sec", "nans"}) {
    const auto parsed = ParseDuration(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(std::string(parsed.status().message()).find("secret"), std::string::npos);
  }
}

TEST(CommonDurationTest, RefusesWhatDoesNotFitSixtyFourBitNanoseconds) {
  for (const char* huge : {"9999999999999h", "1e400s", "300y", "293000000000000000s"}) {
    EXPECT_FALSE(ParseDuration(huge).ok()) << huge;
  }
  EXPECT_EQ(ParseDuration("9999999999999h").status().code(), absl::StatusCode::kOutOfRange);
}

TEST(CommonDurationTest, UnitsAreTheThresholdsUnitsToo) {
  EXPECT_EQ(DurationUnitNanos("ms"), 1'000'000);
  EXPECT_EQ(DurationUnitNanos("m"), 60'000'000'000);
  EXPECT_FALSE(DurationUnitNanos("mins"));
  EXPECT_FALSE(DurationUnitNanos(""));
}

}  // namespace
}  // namespace throng::api
