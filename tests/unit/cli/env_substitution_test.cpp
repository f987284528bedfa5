#include "throng/cli/env_substitution.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "throng/cli/error.h"

namespace throng::cli {
namespace {

EnvLookup FakeEnv(std::map<std::string, std::string> values) {
  return [values](const std::string& name) -> std::optional<std::string> {
    auto it = values.find(name);
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

TEST(EnvSubstitutionTest, ReplacesVariablesAndDefaults) {
  const EnvLookup env = FakeEnv({{"USER_NAME", "alice"}, {"EMPTY", ""}});
  EXPECT_EQ(SubstituteEnv("u: ${USER_NAME}, p: ${PASS:-testpass123}", "f.yaml", env),
            "u: alice, p: testpass123");
  EXPECT_EQ(SubstituteEnv("${USER_NAME:-bob}", "f.yaml", env), "alice");
  EXPECT_EQ(SubstituteEnv("${EMPTY:-fallback}", "f.yaml", env), "fallback");
  EXPECT_EQ(SubstituteEnv("${PASS:-}", "f.yaml", env), "");
}

TEST(EnvSubstitutionTest, LeavesOtherDollarsAndTemplatesAlone) {
  const EnvLookup env = FakeEnv({});
  EXPECT_EQ(SubstituteEnv("cost $5 {{var}} $${LITERAL}", "f.yaml", env),
            "cost $5 {{var}} ${LITERAL}");
}

TEST(EnvSubstitutionTest, UnsetVariableNamesFileLineAndVariable) {
  const EnvLookup env = FakeEnv({{"OTHER", "s3cret-value"}});
  try {
    SubstituteEnv("a: ${OTHER}\nb: 1\nc: ${MISSING_TOKEN}\n", "cfg.yaml", env);
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_THAT(error.what(), testing::HasSubstr("cfg.yaml:3:"));
    EXPECT_THAT(error.what(), testing::HasSubstr("\"MISSING_TOKEN\" is not set"));
    EXPECT_THAT(error.what(), testing::Not(testing::HasSubstr("s3cret-value")));
  }
}

TEST(EnvSubstitutionTest, MalformedReferencesAreErrors) {
  const EnvLookup env = FakeEnv({});
  EXPECT_THROW(SubstituteEnv("${UNCLOSED\n}", "f.yaml", env), InputError);
  EXPECT_THROW(SubstituteEnv("${1BAD}", "f.yaml", env), InputError);
  EXPECT_THROW(SubstituteEnv("${}", "f.yaml", env), InputError);
}

}  // namespace
}  // namespace throng::cli
