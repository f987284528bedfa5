#include "throng/cli/selection.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <string>

#include "throng/cli/error.h"

namespace throng::cli {
namespace {

bool IsTagChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
}

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

void CheckTaskTags(const throng::v1::JobSpec& spec) {
  for (int i = 0; i < spec.user_classes_size(); ++i) {
    const auto& tasks = spec.user_classes(i).tasks();
    for (int j = 0; j < tasks.size(); ++j) {
      const std::string path =
          "user_classes[" + std::to_string(i) + "].tasks[" + std::to_string(j) + "].tags";
      if (tasks[j].tags_size() > kMaxTagsPerTask) {
        throw InputError(path + ": at most " + std::to_string(kMaxTagsPerTask) + " tags");
      }
      for (int k = 0; k < tasks[j].tags_size(); ++k) {
        const std::string& tag = tasks[j].tags(k);
        if (tag.empty() || tag.size() > kMaxTagLength ||
            !std::all_of(tag.begin(), tag.end(), IsTagChar)) {
          throw InputError(path + "[" + std::to_string(k) + "]: a tag is 1.." +
                           std::to_string(kMaxTagLength) +
                           " characters of letters, digits, '_', '-', '.'");
        }
      }
    }
  }
}

void ApplySelection(const Selection& selection, throng::v1::JobSpec* spec) {
  CheckTaskTags(*spec);
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
