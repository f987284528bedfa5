#include "throng/engine/request_renderer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "throng/engine/rendered_request_check.h"

namespace throng::engine {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

RequestPlan Get(std::string_view path) {
  RequestPlan request;
  request.path = Template::Parse(path);
  return request;
}

std::pair<std::string, Template> Named(std::string name, std::string_view value) {
  return {std::move(name), Template::Parse(value)};
}

class RequestRendererTest : public ::testing::Test {
 protected:
  HttpRequest Render(const RequestPlan& request) {
    HttpRequest out;
    RenderRequest(request, http_, user_, out);
    return out;
  }

  HttpPlan http_;
  std::map<std::string, std::string> job_{{"token", "abc"}};
  UserState user_{4, &job_, 1};
};

TEST_F(RequestRendererTest, RendersMethodPathAndBasePath) {
  http_.base_path = "/api";
  user_.SetVariable("todo_id", "17");
  RequestPlan request = Get("/todos/{{todo_id}}");
  request.method = "DELETE";
  const HttpRequest out = Render(request);
  EXPECT_EQ(out.method, "DELETE");
  EXPECT_EQ(out.target, "/api/todos/17");
  EXPECT_TRUE(out.headers.empty());
  EXPECT_TRUE(out.body.empty());
  EXPECT_EQ(out.timeout, std::chrono::milliseconds(0));
}

TEST_F(RequestRendererTest, JoinsBasePathAndPathWithOneSlash) {
  http_.base_path = "/api/";
  EXPECT_EQ(Render(Get("/items")).target, "/api/items");
  EXPECT_EQ(Render(Get("items")).target, "/api/items");
  http_.base_path = "";
  EXPECT_EQ(Render(Get("items")).target, "/items");
  EXPECT_EQ(Render(Get("")).target, "/");
}

TEST_F(RequestRendererTest, EncodesUnsafeBytesInThePath) {
  user_.SetVariable("name", "a b#\"c\"\r\n");
  EXPECT_EQ(Render(Get("/users/{{name}}?x=1")).target, "/users/a%20b%23%22c%22%0D%0A?x=1");
}

TEST_F(RequestRendererTest, AppendsUrlEncodedQuery) {
  RequestPlan request = Get("/search");
  user_.SetVariable("q", "a b&c=d/é");
  request.query = {Named("q", "{{q}}"), Named("page size", "-._~10"), Named("empty", "")};
  EXPECT_EQ(Render(request).target, "/search?q=a%20b%26c%3Dd%2F%C3%A9&page%20size=-._~10&empty=");
}

TEST_F(RequestRendererTest, QueryExtendsAQueryAlreadyInThePath) {
  RequestPlan request = Get("/items?sort=id");
  request.query = {Named("page", "2")};
  EXPECT_EQ(Render(request).target, "/items?sort=id&page=2");
}

TEST_F(RequestRendererTest, RequestHeadersOverrideDefaultsCaseInsensitively) {
  http_.default_headers = {Named("Accept", "application/json"), Named("X-Run", "r{{user_index}}"),
                           Named("authorization", "none")};
  RequestPlan request = Get("/me");
  request.headers = {Named("Authorization", "Bearer {{token}}")};
  EXPECT_THAT(Render(request).headers,
              ElementsAre(Pair("Accept", "application/json"), Pair("X-Run", "r4"),
                          Pair("Authorization", "Bearer abc")));
}

TEST_F(RequestRendererTest, HeaderValuesCannotInjectLines) {
  user_.SetVariable("token", "abc\r\nX-Evil: 1");
  RequestPlan request = Get("/me");
  request.headers = {Named("Authorization", "Bearer {{token}}")};
  const HttpRequest rendered = Render(request);
  // Rendering keeps the bytes; the check before sending refuses the request, naming the header
  // and never the value.
  const std::optional<std::string> problem = RenderedRequestProblem(rendered);
  ASSERT_TRUE(problem.has_value());
  EXPECT_NE(problem->find("header Authorization"), std::string::npos) << *problem;
  EXPECT_EQ(problem->find("abc"), std::string::npos) << *problem;
  user_.SetVariable("token", std::string("abc\0def", 7));
  EXPECT_TRUE(RenderedRequestProblem(Render(request)).has_value());
  user_.SetVariable("token", "abc def");
  EXPECT_FALSE(RenderedRequestProblem(Render(request)).has_value());
}

TEST_F(RequestRendererTest, JsonBodyKeepsShapeAndFillsTemplatedLeaves) {
  RequestPlan request = Get("/todos");
  request.method = "POST";
  JsonBodyPlan body;
  body.shape = nlohmann::json::parse(
      R"({"title": "t-{{user_index}}", "done": false, "n": 3, "tags": ["x", "{{token}}"]})");
  body.strings.emplace_back(nlohmann::json::json_pointer("/title"),
                            Template::Parse("t-{{user_index}}"));
  body.strings.emplace_back(nlohmann::json::json_pointer("/tags/1"), Template::Parse("{{token}}"));
  request.body = std::move(body);
  const HttpRequest out = Render(request);
  EXPECT_EQ(
      nlohmann::json::parse(out.body),
      nlohmann::json::parse(R"({"title": "t-4", "done": false, "n": 3, "tags": ["x", "abc"]})"));
  EXPECT_THAT(out.headers, ElementsAre(Pair("Content-Type", "application/json")));
}

TEST_F(RequestRendererTest, JsonBodySurvivesInvalidUtf8) {
  user_.SetVariable("bad", std::string("a\xff", 2));
  RequestPlan request = Get("/x");
  JsonBodyPlan body;
  body.shape = {{"v", ""}};
  body.strings.emplace_back(nlohmann::json::json_pointer("/v"), Template::Parse("{{bad}}"));
  request.body = std::move(body);
  const HttpRequest out = Render(request);
  EXPECT_EQ(nlohmann::json::parse(out.body)["v"], "a\xEF\xBF\xBD");
}

TEST_F(RequestRendererTest, FormBodyIsUrlEncoded) {
  ::setenv("THRONG_RENDERER_TEST_PW", "p@ss word", 1);
  RequestPlan request = Get("/auth/token");
  request.method = "POST";
  request.body = FormBodyPlan{{Named("username", "user_{{user_index}}"),
                               Named("password", "{{env:THRONG_RENDERER_TEST_PW}}")}};
  const HttpRequest out = Render(request);
  EXPECT_EQ(out.body, "username=user_4&password=p%40ss%20word");
  EXPECT_THAT(out.headers, ElementsAre(Pair("Content-Type", "application/x-www-form-urlencoded")));
  ::unsetenv("THRONG_RENDERER_TEST_PW");
}

TEST_F(RequestRendererTest, RawBodyUsesItsContentType) {
  RequestPlan request = Get("/raw");
  request.body = RawBodyPlan{Template::Parse("id={{user_index}}"), "text/csv"};
  const HttpRequest out = Render(request);
  EXPECT_EQ(out.body, "id=4");
  EXPECT_THAT(out.headers, ElementsAre(Pair("Content-Type", "text/csv")));
}

TEST_F(RequestRendererTest, ContentTypePrecedence) {
  http_.default_headers = {Named("Content-Type", "text/default")};
  // No body: the job default stands.
  EXPECT_THAT(Render(Get("/a")).headers, ElementsAre(Pair("Content-Type", "text/default")));
  // A body's own type beats the job default.
  RequestPlan request = Get("/b");
  request.body = RawBodyPlan{Template::Parse("x"), "text/plain"};
  EXPECT_THAT(Render(request).headers, ElementsAre(Pair("Content-Type", "text/plain")));
  // The request's explicit header beats both.
  request.headers = {Named("content-type", "application/vnd.x")};
  EXPECT_THAT(Render(request).headers, ElementsAre(Pair("content-type", "application/vnd.x")));
}

TEST_F(RequestRendererTest, TimeoutComesFromThePlanRoundedUpToMilliseconds) {
  RequestPlan request = Get("/slow");
  request.timeout = std::chrono::microseconds(1500);
  EXPECT_EQ(Render(request).timeout, std::chrono::milliseconds(2));
  request.timeout = std::chrono::seconds(3);
  EXPECT_EQ(Render(request).timeout, std::chrono::milliseconds(3000));
}

TEST_F(RequestRendererTest, ReusedOutputLosesEverythingFromThePreviousRequest) {
  RequestPlan first = Get("/first");
  first.method = "POST";
  first.headers = {Named("A", "1"), Named("B", "2"), Named("C", "3")};
  first.body = RawBodyPlan{Template::Parse("payload"), "text/plain"};
  first.timeout = std::chrono::seconds(1);
  HttpRequest out;
  RenderRequest(first, http_, user_, out);
  ASSERT_EQ(out.headers.size(), 4u);
  RequestPlan second = Get("/second");
  second.headers = {Named("Z", "9")};
  RenderRequest(second, http_, user_, out);
  EXPECT_EQ(out.method, "GET");
  EXPECT_EQ(out.target, "/second");
  EXPECT_THAT(out.headers, ElementsAre(Pair("Z", "9")));
  EXPECT_TRUE(out.body.empty());
  EXPECT_EQ(out.timeout, std::chrono::milliseconds(0));
}

}  // namespace
}  // namespace throng::engine
