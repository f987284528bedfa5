#include <gtest/gtest.h>

#include "backend_fixture.h"

namespace demo_test {
namespace {

constexpr char kForm[] = "application/x-www-form-urlencoded";

TEST(DemoBackendAuth, HealthAnswersOk) {
  DemoBackend backend;
  auto response = backend.Send("GET", "/health");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(Json::parse(response.body), (Json{{"status", "ok"}}));
  EXPECT_EQ(response.Header("content-type"), "application/json");
}

TEST(DemoBackendAuth, FormLoginGivesTokensAndHttpOnlyCookie) {
  DemoBackend backend;
  auto response =
      backend.Send("POST", "/auth/token", "username=load_test_user_7&password=testpass123",
                   {{"Content-Type", kForm}});
  ASSERT_EQ(response.status, 200) << response.body;
  Json body = Json::parse(response.body);
  EXPECT_EQ(body["token_type"], "bearer");
  EXPECT_FALSE(body["access_token"].get<std::string>().empty());
  EXPECT_FALSE(body["refresh_token"].get<std::string>().empty());
  std::string cookie = response.Header("set-cookie");
  EXPECT_EQ(cookie.rfind("session=", 0), 0u) << cookie;
  EXPECT_NE(cookie.find("; Path=/; HttpOnly"), std::string::npos) << cookie;
  EXPECT_EQ(cookie.find("Secure"), std::string::npos) << cookie;
}

TEST(DemoBackendAuth, SecureCookiesFlagMarksTheCookieSecure) {
  DemoBackend backend({"--secure-cookies"});
  auto response =
      backend.Send("POST", "/auth/token", "username=load_test_user_0&password=testpass123",
                   {{"Content-Type", kForm}});
  ASSERT_EQ(response.status, 200);
  EXPECT_NE(response.Header("set-cookie").find("; Secure"), std::string::npos);
}

TEST(DemoBackendAuth, WrongOrUnknownCredentialsAre401) {
  DemoBackend backend;
  for (std::string form : {"username=load_test_user_0&password=nope",
                           "username=load_test_user_20&password=testpass123",  // only 0..19
                           "username=nobody&password=testpass123"}) {
    auto response = backend.Send("POST", "/auth/token", form, {{"Content-Type", kForm}});
    EXPECT_EQ(response.status, 401) << form;
  }
}

TEST(DemoBackendAuth, MissingFieldIs422NamingIt) {
  DemoBackend backend;
  auto response =
      backend.Send("POST", "/auth/token", "username=load_test_user_0", {{"Content-Type", kForm}});
  EXPECT_EQ(response.status, 422);
  EXPECT_NE(response.body.find("password"), std::string::npos) << response.body;
}

TEST(DemoBackendAuth, TokenOpensAccountsMeAndUsersMe) {
  DemoBackend backend;
  std::string token = backend.Login("load_test_user_3");
  for (const char* path : {"/accounts/me", "/users/me"}) {
    auto response = backend.SendAs(token, "GET", path);
    ASSERT_EQ(response.status, 200) << path;
    EXPECT_EQ(Json::parse(response.body)["username"], "load_test_user_3");
  }
}

TEST(DemoBackendAuth, MissingOrForgedTokenIs401) {
  DemoBackend backend;
  EXPECT_EQ(backend.Send("GET", "/accounts/me").status, 401);
  std::string token = backend.Login();
  token.back() = token.back() == '1' ? '2' : '1';
  EXPECT_EQ(backend.SendAs(token, "GET", "/accounts/me").status, 401);
  EXPECT_EQ(backend.SendAs("garbage", "GET", "/accounts/me").status, 401);
}

TEST(DemoBackendAuth, SessionCookieAuthenticates) {
  DemoBackend backend;
  auto login = backend.Send("POST", "/auth/token", "username=load_test_user_1&password=testpass123",
                            {{"Content-Type", kForm}});
  std::string cookie = login.Header("set-cookie");
  cookie = cookie.substr(0, cookie.find(';'));
  auto response = backend.Send("GET", "/accounts/me", "", {{"Cookie", "theme=dark; " + cookie}});
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(Json::parse(response.body)["username"], "load_test_user_1");
}

TEST(DemoBackendAuth, JsonLoginWorks) {
  DemoBackend backend;
  auto response = backend.Send("POST", "/auth/login",
                               R"({"username":"load_test_user_2","password":"testpass123"})");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_TRUE(Json::parse(response.body).contains("access_token"));
  EXPECT_EQ(backend.Send("POST", "/auth/login", R"({"username":"load_test_user_2","password":"x"})")
                .status,
            401);
}

TEST(DemoBackendAuth, RefreshGivesWorkingAccessToken) {
  DemoBackend backend;
  auto login = backend.Send("POST", "/auth/login",
                            R"({"username":"load_test_user_4","password":"testpass123"})");
  std::string refresh = Json::parse(login.body)["refresh_token"];
  auto by_body = backend.Send("POST", "/auth/refresh", Json{{"refresh_token", refresh}}.dump());
  ASSERT_EQ(by_body.status, 200) << by_body.body;
  std::string access = Json::parse(by_body.body)["access_token"];
  EXPECT_EQ(backend.SendAs(access, "GET", "/accounts/me").status, 200);
  EXPECT_EQ(backend.SendAs(refresh, "POST", "/auth/refresh").status, 200);
  // An access token is not a refresh token, and vice versa.
  EXPECT_EQ(backend.SendAs(access, "POST", "/auth/refresh").status, 401);
  EXPECT_EQ(backend.SendAs(refresh, "GET", "/accounts/me").status, 401);
}

TEST(DemoBackendAuth, AdminUsersCanBeAddedAndRemoved) {
  DemoBackend backend;
  EXPECT_EQ(backend.Send("POST", "/admin/users", R"({"username":"alice","password":"pw1"})").status,
            201);
  EXPECT_EQ(backend.Send("POST", "/admin/users", R"({"username":"alice","password":"pw1"})").status,
            409);
  std::string token = backend.Login("alice", "pw1");
  EXPECT_EQ(backend.SendAs(token, "GET", "/accounts/me").status, 200);
  EXPECT_EQ(backend.Send("DELETE", "/admin/users/alice").status, 204);
  EXPECT_EQ(backend.Send("DELETE", "/admin/users/alice").status, 404);
  // Tokens die with their user.
  EXPECT_EQ(backend.SendAs(token, "GET", "/accounts/me").status, 401);
  EXPECT_EQ(
      backend.Send("POST", "/auth/token", "username=alice&password=pw1", {{"Content-Type", kForm}})
          .status,
      401);
  EXPECT_EQ(backend.Send("POST", "/admin/users", R"({"username":"bob"})").status, 422);
}

TEST(DemoBackendAuth, UnknownRouteIs404AndWrongMethodIs405) {
  DemoBackend backend;
  EXPECT_EQ(backend.Send("GET", "/nope").status, 404);
  EXPECT_EQ(backend.Send("DELETE", "/health").status, 405);
}

}  // namespace
}  // namespace demo_test
