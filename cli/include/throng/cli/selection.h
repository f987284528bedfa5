#pragma once

#include <string>
#include <vector>

#include "throng/v1/job_spec.pb.h"

namespace throng::cli {

/// Which user classes and tasks of a scenario to run: Locust's positional class names and its
/// --tags / --exclude-tags. Empty lists select everything.
struct Selection {
  std::vector<std::string> classes;
  std::vector<std::string> tags;
  std::vector<std::string> exclude_tags;
};

/// Limits on Task.tags (checked for every task, selected or not).
inline constexpr int kMaxTagsPerTask = 16;
inline constexpr std::size_t kMaxTagLength = 64;

/// Checks every task's tags against the limits; throws InputError naming the field path
/// (user_classes[i].tasks[j].tags[k]) and the limit.
void CheckTaskTags(const throng::v1::JobSpec& spec);

/// Keeps only the selected classes, then only the tasks that carry one of `tags` (when given) and
/// none of `exclude_tags`; a class left without tasks is dropped. Throws InputError naming an
/// unknown class or tag, or when nothing is left to run.
void ApplySelection(const Selection& selection, throng::v1::JobSpec* spec);

}  // namespace throng::cli
