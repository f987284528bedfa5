#include "throng/cli/selection.h"

#include <algorithm>
#include <set>
#include <string>

#include "throng/cli/error.h"

namespace throng::cli {
namespace {

std::string Join(const std::set<std::string>& names) {
  std::string text;
  for (const std::string& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

bool HasAny(const throng::v1::Task& task, const std::set<std::string>& tags) {
  return std::any_of(task.tags().begin(), task.tags().end(),
                     [&](const std::string& tag) { return tags.count(tag) > 0; });
}

void KeepClasses(const std::vector<std::string>& wanted, throng::v1::JobSpec* spec) {
  if (wanted.empty()) return;
  std::set<std::string> known;
  for (const auto& user_class : spec->user_classes()) known.insert(user_class.name());
  for (const std::string& name : wanted) {
    if (known.count(name) == 0) {
      throw InputError("user class \"" + name + "\" is not in the file (it has: " + Join(known) +
                       ")");
    }
  }
  const std::set<std::string> keep(wanted.begin(), wanted.end());
  auto* classes = spec->mutable_user_classes();
  classes->erase(
      std::remove_if(classes->begin(), classes->end(),
                     [&](const auto& user_class) { return keep.count(user_class.name()) == 0; }),
      classes->end());
}

void CheckTagsKnown(const std::vector<std::string>& tags, const std::set<std::string>& known,
                    const char* flag) {
  for (const std::string& tag : tags) {
    if (known.count(tag) == 0) {
      throw InputError(std::string(flag) + ": no task has the tag \"" + tag + "\"" +
                       (known.empty() ? " (no task has tags)" : " (tags: " + Join(known) + ")"));
    }
  }
}

}  // namespace

void ApplySelection(const Selection& selection, throng::v1::JobSpec* spec) {
  KeepClasses(selection.classes, spec);
  if (selection.tags.empty() && selection.exclude_tags.empty()) return;
  std::set<std::string> known;
  for (const auto& user_class : spec->user_classes()) {
    for (const auto& task : user_class.tasks())
      known.insert(task.tags().begin(), task.tags().end());
  }
  CheckTagsKnown(selection.tags, known, "--tags");
  CheckTagsKnown(selection.exclude_tags, known, "--exclude-tags");
  const std::set<std::string> include(selection.tags.begin(), selection.tags.end());
  const std::set<std::string> exclude(selection.exclude_tags.begin(), selection.exclude_tags.end());
  auto* classes = spec->mutable_user_classes();
  for (auto& user_class : *classes) {
    auto* tasks = user_class.mutable_tasks();
    tasks->erase(std::remove_if(tasks->begin(), tasks->end(),
                                [&](const throng::v1::Task& task) {
                                  return (!include.empty() && !HasAny(task, include)) ||
                                         HasAny(task, exclude);
                                }),
                 tasks->end());
  }
  classes->erase(
      std::remove_if(classes->begin(), classes->end(),
                     [](const auto& user_class) { return user_class.tasks_size() == 0; }),
      classes->end());
  if (classes->empty()) {
    throw InputError("--tags/--exclude-tags: no task of the selected user classes is left to run");
  }
}

}  // namespace throng::cli
