#include "throng/cli/selection.h"

#include <gtest/gtest.h>

#include "throng/cli/error.h"

namespace throng::cli {
namespace {

throng::v1::JobSpec TwoClasses() {
  throng::v1::JobSpec spec;
  auto* reader = spec.add_user_classes();
  reader->set_name("Reader");
  auto* list = reader->add_tasks();
  list->set_name("list");
  list->add_tags("read");
  auto* health = reader->add_tasks();
  health->set_name("health");
  health->add_tags("smoke");
  health->add_tags("read");
  auto* writer = spec.add_user_classes();
  writer->set_name("Writer");
  writer->add_tasks()->set_name("create");
  return spec;
}

std::vector<std::string> TaskNames(const throng::v1::JobSpec& spec) {
  std::vector<std::string> names;
  for (const auto& user_class : spec.user_classes()) {
    for (const auto& task : user_class.tasks())
      names.push_back(user_class.name() + "." + task.name());
  }
  return names;
}

TEST(SelectionTest, EmptySelectionKeepsEverything) {
  auto spec = TwoClasses();
  ApplySelection({}, &spec);
  EXPECT_EQ(TaskNames(spec),
            (std::vector<std::string>{"Reader.list", "Reader.health", "Writer.create"}));
}

TEST(SelectionTest, PositionalClassesKeepOnlyThoseClasses) {
  auto spec = TwoClasses();
  ApplySelection({{"Writer"}, {}, {}}, &spec);
  EXPECT_EQ(TaskNames(spec), std::vector<std::string>{"Writer.create"});
}

TEST(SelectionTest, UnknownClassNamesItAndTheKnownOnes) {
  auto spec = TwoClasses();
  try {
    ApplySelection({{"Nobody"}, {}, {}}, &spec);
    FAIL() << "no error";
  } catch (const InputError& error) {
    EXPECT_STREQ(error.what(), "user class \"Nobody\" is not in the file (it has: Reader, Writer)");
  }
}

TEST(SelectionTest, TagsKeepTaggedTasksAndDropEmptiedClasses) {
  auto spec = TwoClasses();
  ApplySelection({{}, {"smoke"}, {}}, &spec);
  EXPECT_EQ(TaskNames(spec), std::vector<std::string>{"Reader.health"});
}

TEST(SelectionTest, ExcludeTagsDropTaggedTasks) {
  auto spec = TwoClasses();
  ApplySelection({{}, {}, {"smoke"}}, &spec);
  EXPECT_EQ(TaskNames(spec), (std::vector<std::string>{"Reader.list", "Writer.create"}));
}

TEST(SelectionTest, UnknownTagAndEmptySelectionAreErrors) {
  auto spec = TwoClasses();
  EXPECT_THROW(ApplySelection({{}, {"nope"}, {}}, &spec), InputError);
  spec = TwoClasses();
  EXPECT_THROW(ApplySelection({{"Writer"}, {"read"}, {}}, &spec), InputError);
}

}  // namespace
}  // namespace throng::cli
