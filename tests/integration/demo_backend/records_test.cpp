#include <gtest/gtest.h>

#include "backend_fixture.h"

namespace demo_test {
namespace {

// Todos (seed 001) and items (seed 003) share one contract; every case runs on both.
class RecordsTest : public ::testing::TestWithParam<const char*> {
 protected:
  std::string Collection() const { return GetParam(); }
  std::string One(long long id) const { return Collection() + std::to_string(id); }
  DemoBackend backend_;
};

TEST_P(RecordsTest, CreateGetUpdateDelete) {
  auto created = backend_.Send(
      "POST", Collection(), R"({"title":"buy milk","description":"2 litres","completed":false})");
  ASSERT_EQ(created.status, 201) << created.body;
  Json record = Json::parse(created.body);
  long long id = record["id"];
  EXPECT_EQ(record["title"], "buy milk");
  EXPECT_EQ(record["description"], "2 litres");
  EXPECT_EQ(record["completed"], false);

  auto got = backend_.Send("GET", One(id));
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(Json::parse(got.body), record);

  auto updated = backend_.Send("PUT", One(id), R"({"completed":true})");
  ASSERT_EQ(updated.status, 200) << updated.body;
  EXPECT_EQ(Json::parse(updated.body)["completed"], true);
  EXPECT_EQ(Json::parse(updated.body)["title"], "buy milk");

  auto deleted = backend_.Send("DELETE", One(id));
  EXPECT_EQ(deleted.status, 204);
  EXPECT_TRUE(deleted.body.empty());
  EXPECT_EQ(backend_.Send("GET", One(id)).status, 404);
  EXPECT_EQ(backend_.Send("PUT", One(id), R"({"title":"x"})").status, 404);
  EXPECT_EQ(backend_.Send("DELETE", One(id)).status, 404);
}

TEST_P(RecordsTest, ListPaginatesWithSkipAndLimit) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(
        backend_.Send("POST", Collection(), Json{{"title", "t" + std::to_string(i)}}.dump()).status,
        201);
  }
  Json all = Json::parse(backend_.Send("GET", Collection()).body);
  ASSERT_EQ(all.size(), 5u);
  auto page = backend_.Send("GET", Collection() + "?skip=1&limit=2");
  ASSERT_EQ(page.status, 200);
  Json items = Json::parse(page.body);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0]["title"], "t1");
  EXPECT_EQ(items[1]["title"], "t2");
  EXPECT_EQ(backend_.Send("GET", Collection() + "?limit=-1").status, 422);
  EXPECT_EQ(backend_.Send("GET", Collection() + "?skip=abc").status, 422);
}

TEST_P(RecordsTest, InvalidBodiesAre422NamingTheField) {
  struct Case {
    const char* body;
    const char* field;
  };
  for (auto [body, field] :
       {Case{R"({"description":"no title"})", "title"}, Case{R"({"title":42})", "title"},
        Case{R"({"title":"ok","completed":"yes"})", "completed"},
        Case{R"({"title":"ok","description":7})", "description"}, Case{R"(not json)", "JSON"}}) {
    auto response = backend_.Send("POST", Collection(), body);
    EXPECT_EQ(response.status, 422) << body;
    EXPECT_NE(response.body.find(field), std::string::npos) << response.body;
  }
  auto created = backend_.Send("POST", Collection(), R"({"title":"x"})");
  long long id = Json::parse(created.body)["id"];
  EXPECT_EQ(backend_.Send("PUT", One(id), R"({"completed":1})").status, 422);
  EXPECT_EQ(backend_.Send("GET", Collection() + "abc").status, 422);
}

INSTANTIATE_TEST_SUITE_P(DemoBackend, RecordsTest, ::testing::Values("/todos/", "/items/"),
                         [](const auto& info) {
                           return std::string(info.param).find("todo") != std::string::npos
                                      ? "Todos"
                                      : "Items";
                         });

}  // namespace
}  // namespace demo_test
