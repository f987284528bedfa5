#include "throng/engine/template.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <regex>
#include <set>
#include <string>

#include "throng/engine/plan.h"
#include "throng/engine/user_state.h"

namespace throng::engine {
namespace {

using ::testing::HasSubstr;
using Kind = Template::Part::Kind;

class TemplateTest : public ::testing::Test {
 protected:
  std::string Render(std::string_view text) { return Template::Parse(text).Render(user_); }

  std::string ParseError(std::string_view text) {
    try {
      Template::Parse(text);
    } catch (const TemplateError& error) {
      return error.what();
    }
    ADD_FAILURE() << "no TemplateError for \"" << text << "\"";
    return {};
  }

  std::map<std::string, std::string> job_variables_{{"host", "example"}, {"shared", "job"}};
  UserState user_{7, &job_variables_, 42};
};

TEST_F(TemplateTest, PlainTextIsOneLiteral) {
  const Template tpl = Template::Parse("/todos/all");
  EXPECT_TRUE(tpl.IsLiteral());
  EXPECT_EQ(tpl.Source(), "/todos/all");
  EXPECT_EQ(tpl.Render(user_), "/todos/all");
}

TEST_F(TemplateTest, EmptyTemplateRendersEmpty) {
  const Template tpl = Template::Parse("");
  EXPECT_TRUE(tpl.IsLiteral());
  EXPECT_EQ(tpl.Render(user_), "");
  EXPECT_EQ(Template().Render(user_), "");
}

TEST_F(TemplateTest, VariablesPreferUserLevelOverJobLevel) {
  user_.SetVariable("shared", "mine");
  EXPECT_EQ(Render("{{host}}/{{shared}}"), "example/mine");
}

TEST_F(TemplateTest, WhitespaceInsideBracesIsIgnored) {
  user_.SetVariable("todo_id", "12");
  EXPECT_EQ(Render("/todos/{{ todo_id }}/{{\ttodo_id\t}}"), "/todos/12/12");
  EXPECT_EQ(Render("{{ randint : 3 : 3 }}"), "3");
}

TEST_F(TemplateTest, UnsetVariableRendersEmpty) { EXPECT_EQ(Render("[{{missing}}]"), "[]"); }

TEST_F(TemplateTest, QuadrupleBraceIsLiteralDoubleBrace) {
  const Template tpl = Template::Parse("a{{{{b}}c");
  EXPECT_TRUE(tpl.IsLiteral());
  ASSERT_EQ(tpl.Parts().size(), 1u);
  EXPECT_EQ(tpl.Render(user_), "a{{b}}c");
  EXPECT_EQ(Render("{{{{{{host}}"), "{{example");
}

TEST_F(TemplateTest, ParsesPartsWithTheirArguments) {
  const Template tpl =
      Template::Parse("x{{feed:users.name}}{{randint:-5:10}}{{len:ids}}{{env:HOME}}");
  ASSERT_EQ(tpl.Parts().size(), 5u);
  EXPECT_FALSE(tpl.IsLiteral());
  EXPECT_EQ(tpl.Parts()[0].kind, Kind::kLiteral);
  EXPECT_EQ(tpl.Parts()[1].kind, Kind::kFeed);
  EXPECT_EQ(tpl.Parts()[1].text, "users");
  EXPECT_EQ(tpl.Parts()[1].column, "name");
  EXPECT_EQ(tpl.Parts()[2].kind, Kind::kRandInt);
  EXPECT_EQ(tpl.Parts()[2].low, -5);
  EXPECT_EQ(tpl.Parts()[2].high, 10);
  EXPECT_EQ(tpl.Parts()[3].kind, Kind::kListSize);
  EXPECT_EQ(tpl.Parts()[4].kind, Kind::kEnv);
  EXPECT_EQ(tpl.Parts()[4].text, "HOME");
}

TEST_F(TemplateTest, EnvironmentIsReadAtRenderTime) {
  const Template tpl = Template::Parse("pw={{env:THRONG_TEMPLATE_TEST_PW}}");
  ::unsetenv("THRONG_TEMPLATE_TEST_PW");
  EXPECT_EQ(tpl.Render(user_), "pw=");
  ::setenv("THRONG_TEMPLATE_TEST_PW", "s3cret", 1);
  EXPECT_EQ(tpl.Render(user_), "pw=s3cret");
  ::unsetenv("THRONG_TEMPLATE_TEST_PW");
}

TEST_F(TemplateTest, FeedUserIndexAndListSize) {
  const FeederPlan feeder{
      "users", FeederPlan::Mode::kUnique, {"name", "pw"}, {{"u0", "p0"}, {"u1", "p1"}}};
  user_.SetFeedRow("users", &feeder, 1);
  user_.List("ids") = {"a", "b", "c"};
  EXPECT_EQ(
      Render("{{feed:users.name}}:{{feed:users.pw}}#{{user_index}} n={{len:ids}} m={{len:none}}"),
      "u1:p1#7 n=3 m=0");
  EXPECT_EQ(Render("[{{feed:users.nope}}][{{feed:other.name}}]"), "[][]");
}

TEST_F(TemplateTest, UuidIsVersion4AndRandom) {
  const Template tpl = Template::Parse("{{uuid}}");
  const std::regex v4("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    const std::string uuid = tpl.Render(user_);
    EXPECT_TRUE(std::regex_match(uuid, v4)) << uuid;
    seen.insert(uuid);
  }
  EXPECT_EQ(seen.size(), 50u);
}

TEST_F(TemplateTest, RandIntStaysWithinInclusiveBounds) {
  const Template tpl = Template::Parse("{{randint:-2:2}}");
  std::set<std::string> seen;
  for (int i = 0; i < 500; ++i) seen.insert(tpl.Render(user_));
  EXPECT_EQ(seen, (std::set<std::string>{"-2", "-1", "0", "1", "2"}));
}

TEST_F(TemplateTest, SameSeedRendersTheSameRandomText) {
  const Template tpl = Template::Parse("{{uuid}} {{randint:0:1000000}}");
  UserState a(0, nullptr, 99);
  UserState b(1, nullptr, 99);
  EXPECT_EQ(tpl.Render(a), tpl.Render(b));
}

TEST_F(TemplateTest, RenderToAppends) {
  std::string out = "prefix:";
  Template::Parse("{{host}}").RenderTo(user_, out);
  EXPECT_EQ(out, "prefix:example");
}

TEST_F(TemplateTest, ErrorsSayWhatAndWhere) {
  EXPECT_THAT(ParseError("abc{{name"), AllOf(HasSubstr("unclosed"), HasSubstr("offset 3")));
  EXPECT_THAT(ParseError("{{ }}"), HasSubstr("empty placeholder at offset 0"));
  EXPECT_THAT(ParseError("x{{nope:1}}"),
              AllOf(HasSubstr("unknown function \"nope\""), HasSubstr("offset 1")));
  EXPECT_THAT(ParseError("{{randint:5:1}}"), HasSubstr("lower bound"));
  EXPECT_THAT(ParseError("{{randint:a:1}}"), HasSubstr("\"a\" is not an integer"));
  EXPECT_THAT(ParseError("{{randint:1}}"), HasSubstr("randint needs A:B"));
  EXPECT_THAT(ParseError("{{randint:1:99999999999999999999}}"), HasSubstr("not an integer"));
  EXPECT_THAT(ParseError("{{feed:users}}"), HasSubstr("FEEDER.COLUMN"));
  EXPECT_THAT(ParseError("{{feed:.name}}"), HasSubstr("invalid feeder name"));
  EXPECT_THAT(ParseError("{{a b}}"), HasSubstr("invalid variable name \"a b\""));
  EXPECT_THAT(ParseError("{{env:}}"), HasSubstr("invalid environment variable name"));
  EXPECT_THAT(ParseError("{{a{{b}}"), HasSubstr("inside a placeholder"));
}

TEST_F(TemplateTest, ClosingBracesAloneAreLiteral) { EXPECT_EQ(Render("a}}b"), "a}}b"); }

}  // namespace
}  // namespace throng::engine
