#include "throng/api/service/authorizer.h"

#include <gtest/gtest.h>

#include <fstream>

#include "throng/test_support/temp_dir.h"

namespace throng::api {
namespace {

using grpc::StatusCode;
using test_support::TempDir;

constexpr const char* kOperator = "operator-token-0123456789";
constexpr const char* kReader = "reader-token-0123456789ab";

std::filesystem::path WriteTokens(const TempDir& dir, const std::string& text) {
  const auto path = dir.path() / "tokens";
  std::ofstream(path) << text;
  return path;
}

TEST(AuthorizerTest, RolesDecideWhatATokenMayDo) {
  TempDir dir;
  const auto auth = Authorizer::FromFile(WriteTokens(
      dir, std::string("# comment\n\n") + kOperator + " operator\n" + kReader + " reader\n"));
  EXPECT_EQ(auth->token_count(), 2u);
  EXPECT_TRUE(auth->Authorize(kOperator, Action::kControl).ok());
  EXPECT_TRUE(auth->Authorize(kReader, Action::kRead).ok());
  EXPECT_EQ(auth->Authorize(kReader, Action::kControl).error_code(), StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(auth->Authorize("", Action::kRead).error_code(), StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(auth->Authorize("operator-token-012345678", Action::kRead).error_code(),
            StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(auth->AuthorizeHeader(std::string("bearer ") + kOperator, Action::kControl).ok());
  EXPECT_EQ(auth->AuthorizeHeader(std::string("Basic ") + kOperator, Action::kRead).error_code(),
            StatusCode::UNAUTHENTICATED);
}

TEST(AuthorizerTest, DisabledAllowsEverything) {
  const auto auth = Authorizer::Disabled();
  EXPECT_FALSE(auth->enabled());
  EXPECT_TRUE(auth->Authorize("", Action::kControl).ok());
  EXPECT_TRUE(auth->Reload().ok());
}

TEST(AuthorizerTest, BadFilesNameTheLineNotTheToken) {
  TempDir dir;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"short-secret admin\n", ":1: a token needs 16..4096 characters"},
      {std::string(kOperator) + " admin\n", ":1: role must be operator or reader"},
      {std::string("x\n") + kOperator, ":1: expected \"TOKEN ROLE\""},
      {std::string(kOperator) + " reader\n" + kOperator + " operator\n", ":2: duplicate token"},
      {"# nothing\n", "no tokens"},
  };
  for (const auto& [text, message] : cases) {
    try {
      Authorizer::FromFile(WriteTokens(dir, text));
      ADD_FAILURE() << "accepted " << text;
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << e.what();
      EXPECT_EQ(std::string(e.what()).find(kOperator), std::string::npos) << e.what();
    }
  }
}

TEST(AuthorizerTest, ReloadSwapsTokensAndKeepsTheOldOnError) {
  TempDir dir;
  const auto path = WriteTokens(dir, std::string(kOperator) + " operator\n");
  const auto auth = Authorizer::FromFile(path);
  WriteTokens(dir, std::string(kReader) + " operator\n");
  ASSERT_TRUE(auth->Reload().ok());
  EXPECT_EQ(auth->Authorize(kOperator, Action::kRead).error_code(), StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(auth->Authorize(kReader, Action::kControl).ok());
  WriteTokens(dir, "garbage\n");
  EXPECT_FALSE(auth->Reload().ok());
  EXPECT_TRUE(auth->Authorize(kReader, Action::kControl).ok());
}

}  // namespace
}  // namespace throng::api
