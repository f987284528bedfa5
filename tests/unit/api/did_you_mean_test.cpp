#include "throng/api/spec/did_you_mean.h"

#include <gtest/gtest.h>

namespace throng::api {
namespace {

TEST(DidYouMeanTest, EditDistanceCountsTranspositionsOnce) {
  EXPECT_EQ(EditDistance("weight", "weight"), 0u);
  EXPECT_EQ(EditDistance("wieght", "weight"), 1u);
  EXPECT_EQ(EditDistance("wight", "weight"), 1u);
  EXPECT_EQ(EditDistance("BASE_URL", "base_url"), 0u);
  EXPECT_EQ(EditDistance("", "abc"), 3u);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
}

TEST(DidYouMeanTest, SuggestsOnlyCloseCandidates) {
  const std::vector<std::string> fields = {"name", "weight", "steps"};
  EXPECT_EQ(ClosestMatch("wieght", fields), "weight");
  EXPECT_EQ(ClosestMatch("step", fields), "steps");
  EXPECT_EQ(ClosestMatch("completely_different", fields), std::nullopt);
}

}  // namespace
}  // namespace throng::api
