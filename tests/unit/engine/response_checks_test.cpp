#include "throng/engine/response_checks.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <regex>
#include <string>

namespace throng::engine {
namespace {

using ::testing::ElementsAre;

// Stands in for the HTTP client: only the cookie jar is consulted by extractions.
class FakeSender : public RequestSender {
 public:
  boost::asio::awaitable<void> Exchange(const HttpRequest&, HttpResponse& out) override {
    out = HttpResponse{};
    co_return;
  }
  std::string CookieValue(std::string_view name) const override {
    const auto it = cookies.find(std::string(name));
    return it != cookies.end() ? it->second : std::string();
  }
  void Close() override {}

  std::map<std::string, std::string> cookies;
};

HttpResponse Response(unsigned status, std::string body = "", HeaderList headers = {}) {
  HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  response.headers = std::move(headers);
  return response;
}

ExtractPlan Extract(std::string var, ExtractPlan::Source source, std::string expression,
                    bool required = false, ExtractPlan::Action action = ExtractPlan::Action::kSet) {
  ExtractPlan plan;
  plan.var = std::move(var);
  plan.source = source;
  plan.expression = std::move(expression);
  plan.required = required;
  plan.action = action;
  if (source == ExtractPlan::Source::kRegex) {
    plan.regex = std::make_shared<const Regex>(plan.expression);
  }
  return plan;
}

JsonEqualsPlan JsonEquals(const std::string& pointer, nlohmann::json equals) {
  return JsonEqualsPlan{nlohmann::json::json_pointer(pointer), std::move(equals)};
}

class ResponseChecksTest : public ::testing::Test {
 protected:
  CheckOutcome Check(const HttpResponse& response) {
    return CheckExpectations(expect_, response, user_);
  }
  CheckOutcome Apply(const HttpResponse& response) {
    return ApplyExtractions(extracts_, response, sender_, user_);
  }
  std::string Var(std::string_view name) {
    const std::string* value = user_.Variable(name);
    return value != nullptr ? *value : "<unset>";
  }

  ExpectPlan expect_;
  std::vector<ExtractPlan> extracts_;
  FakeSender sender_;
  UserState user_{0, nullptr, 1};
};

TEST_F(ResponseChecksTest, DefaultAcceptsTwoHundredToThreeNinetyNine) {
  for (unsigned status : {200u, 201u, 204u, 302u, 399u}) {
    EXPECT_EQ(Check(Response(status)).failure, FailureKind::kNone) << status;
  }
  for (unsigned status : {100u, 199u, 400u, 404u, 500u}) {
    EXPECT_EQ(Check(Response(status)).failure, FailureKind::kUnexpectedStatus) << status;
  }
  EXPECT_EQ(Check(Response(500)).message, "unexpected status 500");
}

TEST_F(ResponseChecksTest, ExplicitStatusesReplaceTheDefault) {
  expect_.statuses = {204, 404};
  EXPECT_EQ(Check(Response(404)).failure, FailureKind::kNone);
  EXPECT_EQ(Check(Response(204)).failure, FailureKind::kNone);
  const CheckOutcome outcome = Check(Response(200));
  EXPECT_EQ(outcome.failure, FailureKind::kUnexpectedStatus);
  EXPECT_EQ(outcome.message, "unexpected status 200");
}

TEST_F(ResponseChecksTest, TransportFailurePassesThrough) {
  HttpResponse response;
  response.failure = FailureKind::kTimeout;
  response.error = "request timed out";
  const CheckOutcome outcome = Check(response);
  EXPECT_EQ(outcome.failure, FailureKind::kTimeout);
  EXPECT_EQ(outcome.message, "request timed out");
}

TEST_F(ResponseChecksTest, BodyContainsRendersItsTemplate) {
  user_.SetVariable("name", "alice");
  expect_.body_contains = Template::Parse("hello {{name}}");
  EXPECT_EQ(Check(Response(200, "<p>hello alice</p>")).failure, FailureKind::kNone);
  const CheckOutcome outcome = Check(Response(200, "hello bob"));
  EXPECT_EQ(outcome.failure, FailureKind::kExpectationFailed);
  EXPECT_EQ(outcome.message, "body does not contain \"hello alice\"");
}

TEST_F(ResponseChecksTest, StatusIsCheckedBeforeTheBody) {
  expect_.body_contains = Template::Parse("ok");
  EXPECT_EQ(Check(Response(500, "not")).failure, FailureKind::kUnexpectedStatus);
}

TEST_F(ResponseChecksTest, JsonEqualsComparesValues) {
  expect_.json = {JsonEquals("/status", "done"), JsonEquals("/count", 3.0),
                  JsonEquals("/items/1/ok", true)};
  EXPECT_EQ(Check(Response(200, R"({"status":"done","count":3,"items":[{},{"ok":true}]})")).failure,
            FailureKind::kNone);
  CheckOutcome outcome =
      Check(Response(200, R"({"status":"open","count":3,"items":[{},{"ok":true}]})"));
  EXPECT_EQ(outcome.failure, FailureKind::kExpectationFailed);
  EXPECT_EQ(outcome.message, "json /status: expected \"done\", got \"open\"");
  outcome = Check(Response(200, R"({"status":"done","count":4.5,"items":[]})"));
  EXPECT_EQ(outcome.message, "json /count: expected 3, got 4.5");
  outcome = Check(Response(200, R"({"status":"done","count":3,"items":[]})"));
  EXPECT_EQ(outcome.message, "json /items/1/ok: not found");
}

TEST_F(ResponseChecksTest, JsonEqualsOnNonJsonOrMismatchedShape) {
  expect_.json = {JsonEquals("/a/b", 1)};
  EXPECT_EQ(Check(Response(200, "<html>")).message, "json /a/b: body is not JSON");
  EXPECT_EQ(Check(Response(200, R"({"a":[1,2]})")).message, "json /a/b: not found");
  EXPECT_EQ(Check(Response(200, R"({"a":"text"})")).message, "json /a/b: not found");
}

TEST_F(ResponseChecksTest, ResponseJsonParsesOnceAndRemembersFailure) {
  const HttpResponse good = Response(200, R"({"x":1})");
  ResponseJson json(good);
  const nlohmann::json* first = json.Get();
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first, json.Get());
  const HttpResponse bad = Response(200, "{");
  ResponseJson bad_json(bad);
  EXPECT_EQ(bad_json.Get(), nullptr);
  EXPECT_EQ(bad_json.Get(), nullptr);
}

TEST_F(ResponseChecksTest, JsonPointerExtractionRendersScalarsPlainly) {
  using S = ExtractPlan::Source;
  extracts_ = {Extract("token", S::kJsonPointer, "/access_token"),
               Extract("id", S::kJsonPointer, "/items/0/id"),
               Extract("price", S::kJsonPointer, "/price"),
               Extract("whole", S::kJsonPointer, "/whole"),
               Extract("big", S::kJsonPointer, "/big"),
               Extract("flag", S::kJsonPointer, "/flag"),
               Extract("obj", S::kJsonPointer, "/obj"),
               Extract("escaped", S::kJsonPointer, "/a~1b/c~0d"),
               Extract("neg", S::kJsonPointer, "/neg")};
  const CheckOutcome outcome =
      Apply(Response(200, R"({"access_token":"t.k.n","items":[{"id":42}],"price":9.5,"whole":7.0,
              "big":18446744073709551615,"flag":false,"obj":{"k":[1]},"a/b":{"c~d":"esc"},
              "neg":-3})"));
  EXPECT_EQ(outcome.failure, FailureKind::kNone) << outcome.message;
  EXPECT_EQ(Var("token"), "t.k.n");
  EXPECT_EQ(Var("id"), "42");
  EXPECT_EQ(Var("price"), "9.5");
  EXPECT_EQ(Var("whole"), "7");
  EXPECT_EQ(Var("big"), "18446744073709551615");
  EXPECT_EQ(Var("flag"), "false");
  EXPECT_EQ(Var("obj"), R"({"k":[1]})");
  EXPECT_EQ(Var("escaped"), "esc");
  EXPECT_EQ(Var("neg"), "-3");
}

TEST_F(ResponseChecksTest, MissingRequiredValueFailsExtraction) {
  extracts_ = {Extract("todo_id", ExtractPlan::Source::kJsonPointer, "/id", /*required=*/true)};
  const CheckOutcome outcome = Apply(Response(201, R"({"title":"x"})"));
  EXPECT_EQ(outcome.failure, FailureKind::kExtractionFailed);
  EXPECT_EQ(outcome.message, "extract todo_id: /id not found");
  EXPECT_EQ(Apply(Response(201, "oops")).message, "extract todo_id: body is not JSON");
  EXPECT_EQ(Apply(Response(201, R"({"id":null})")).message, "extract todo_id: /id not found");
}

TEST_F(ResponseChecksTest, MalformedPointersFindNothing) {
  using S = ExtractPlan::Source;
  extracts_ = {Extract("a", S::kJsonPointer, "no-slash", true),
               Extract("b", S::kJsonPointer, "/list/01", true),
               Extract("c", S::kJsonPointer, "/list/-", true),
               Extract("d", S::kJsonPointer, "/list/5", true),
               Extract("e", S::kJsonPointer, "/bad~2", true),
               Extract("f", S::kJsonPointer, "/list/0/deeper", true)};
  const CheckOutcome outcome = Apply(Response(200, R"({"list":[1,2],"bad~2":1})"));
  EXPECT_EQ(outcome.failure, FailureKind::kExtractionFailed);
  EXPECT_EQ(outcome.message, "extract a: no-slash not found");
  for (const char* var : {"a", "b", "c", "d", "e", "f"}) EXPECT_EQ(Var(var), "<unset>") << var;
}

TEST_F(ResponseChecksTest, EmptyPointerIsTheWholeDocument) {
  extracts_ = {Extract("all", ExtractPlan::Source::kJsonPointer, "")};
  EXPECT_EQ(Apply(Response(200, "[1,2]")).failure, FailureKind::kNone);
  EXPECT_EQ(Var("all"), "[1,2]");
}

TEST_F(ResponseChecksTest, OptionalMissingValueUnsetsTheVariableAndOthersStillApply) {
  user_.SetVariable("todo_id", "stale");
  extracts_ = {Extract("todo_id", ExtractPlan::Source::kJsonPointer, "/id"),
               Extract("missing", ExtractPlan::Source::kHeader, "X-Nope", true),
               Extract("title", ExtractPlan::Source::kJsonPointer, "/title")};
  const CheckOutcome outcome = Apply(Response(200, R"({"title":"x"})"));
  EXPECT_EQ(outcome.failure, FailureKind::kExtractionFailed);
  EXPECT_EQ(outcome.message, "extract missing: header X-Nope not found");
  EXPECT_EQ(Var("todo_id"), "<unset>");
  EXPECT_EQ(Var("title"), "x");
}

TEST_F(ResponseChecksTest, HeaderExtractionIsCaseInsensitive) {
  extracts_ = {Extract("loc", ExtractPlan::Source::kHeader, "location")};
  EXPECT_EQ(Apply(Response(201, "", {{"Content-Type", "x"}, {"Location", "/todos/9"}})).failure,
            FailureKind::kNone);
  EXPECT_EQ(Var("loc"), "/todos/9");
}

TEST_F(ResponseChecksTest, CookieExtractionReadsTheSendersJar) {
  sender_.cookies["sessionid"] = "s-123";
  extracts_ = {Extract("sid", ExtractPlan::Source::kCookie, "sessionid"),
               Extract("csrf", ExtractPlan::Source::kCookie, "csrftoken", true)};
  const CheckOutcome outcome = Apply(Response(200));
  EXPECT_EQ(Var("sid"), "s-123");
  EXPECT_EQ(outcome.failure, FailureKind::kExtractionFailed);
  EXPECT_EQ(outcome.message, "extract csrf: cookie csrftoken not found");
}

TEST_F(ResponseChecksTest, RegexTakesFirstGroupOrWholeMatch) {
  using S = ExtractPlan::Source;
  extracts_ = {Extract("csrf", S::kRegex, R"re(name="csrf" value="([^"]+)")re"),
               Extract("num", S::kRegex, R"(\d+)"), Extract("none", S::kRegex, "zzz", true)};
  const CheckOutcome outcome =
      Apply(Response(200, R"(<input name="csrf" value="abc123"> order 77)"));
  EXPECT_EQ(Var("csrf"), "abc123");
  EXPECT_EQ(Var("num"), "123");
  EXPECT_EQ(outcome.message, "extract none: regex \"zzz\" did not match");
}

TEST_F(ResponseChecksTest, RegexWithoutPrecompiledPatternStillWorks) {
  ExtractPlan plan = Extract("id", ExtractPlan::Source::kRegex, "id=(\\w+)");
  plan.regex.reset();
  ExtractPlan broken = Extract("x", ExtractPlan::Source::kJsonPointer, "", true);
  broken.source = ExtractPlan::Source::kRegex;
  broken.expression = "(";
  extracts_ = {plan, broken};
  const CheckOutcome outcome = Apply(Response(200, "id=q7"));
  EXPECT_EQ(Var("id"), "q7");
  EXPECT_EQ(outcome.message, "extract x: regex \"(\" is invalid");
}

TEST_F(ResponseChecksTest, AppendAddsToTheList) {
  extracts_ = {Extract("ids", ExtractPlan::Source::kJsonPointer, "/id", false,
                       ExtractPlan::Action::kAppend)};
  Apply(Response(201, R"({"id":1})"));
  Apply(Response(201, R"({"id":2})"));
  Apply(Response(201, R"({})"));
  EXPECT_THAT(user_.List("ids"), ElementsAre("1", "2"));
}

TEST_F(ResponseChecksTest, TransportFailureExtractsNothing) {
  user_.SetVariable("token", "old");
  extracts_ = {Extract("token", ExtractPlan::Source::kJsonPointer, "/token", true)};
  HttpResponse response;
  response.failure = FailureKind::kReset;
  EXPECT_EQ(Apply(response).failure, FailureKind::kNone);
  EXPECT_EQ(Var("token"), "old");
}

TEST_F(ResponseChecksTest, SharedResponseJsonServesChecksAndExtractions) {
  const HttpResponse response = Response(200, R"({"status":"done","id":5})");
  ResponseJson json(response);
  expect_.json = {JsonEquals("/status", "done")};
  extracts_ = {Extract("id", ExtractPlan::Source::kJsonPointer, "/id")};
  EXPECT_EQ(CheckExpectations(expect_, response, user_, json).failure, FailureKind::kNone);
  EXPECT_EQ(ApplyExtractions(extracts_, response, sender_, user_, json).failure,
            FailureKind::kNone);
  EXPECT_EQ(Var("id"), "5");
}

TEST_F(ResponseChecksTest, LongValuesAreShortenedInMessages) {
  expect_.json = {JsonEquals("/s", "x")};
  const CheckOutcome outcome = Check(Response(200, R"({"s":")" + std::string(500, 'a') + R"("})"));
  EXPECT_LT(outcome.message.size(), 150u);
  EXPECT_THAT(outcome.message, ::testing::EndsWith("...\""));
}

}  // namespace
}  // namespace throng::engine
