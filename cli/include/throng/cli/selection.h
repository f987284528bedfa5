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

/// Keeps only the selected classes, then only the tasks that carry one of `tags` (when given) and
/// none of `exclude_tags`; a class left without tasks is dropped. Throws InputError naming an
/// unknown class or tag, or when nothing is left to run. (The tags' own limits are the spec's,
/// checked like every field by `validate` and the daemon.)
void ApplySelection(const Selection& selection, throng::v1::JobSpec* spec);

}  // namespace throng::cli
