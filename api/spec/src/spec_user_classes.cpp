// User classes: weights, waits and tasks.
#include <algorithm>
#include <cctype>
#include <set>
#include <string>

#include "spec_parts.h"
#include "spec_support.h"

namespace throng::api::spec {
namespace {

engine::WaitPlan ConvertWait(const v1::WaitTime& wait, const FieldPath& path) {
  using Kind = engine::WaitPlan::Kind;
  switch (wait.kind_case()) {
    case v1::WaitTime::kConstant: {
      const engine::Duration pause = NonNegativeDuration(wait.constant(), path.Field("constant"));
      return {Kind::kConstant, {pause, pause}};
    }
    case v1::WaitTime::kBetween:
      return {Kind::kBetween, ToRange(wait.between(), path.Field("between"))};
    case v1::WaitTime::kPacing: {
      const engine::Duration period = PositiveDuration(wait.pacing(), path.Field("pacing"));
      return {Kind::kPacing, {period, period}};
    }
    default:
      return {};
  }
}

// Tags only select tasks in throngctl (--tags), but they are stored with the job: bounded here.
void CheckTags(const v1::Task& task, const FieldPath& path) {
  constexpr int kMaxTags = 16;
  constexpr std::size_t kMaxTagLength = 64;
  if (task.tags_size() > kMaxTags) {
    Fail(path.Field("tags"), "at most " + std::to_string(kMaxTags) + " tags");
  }
  for (int i = 0; i < task.tags_size(); ++i) {
    const std::string& tag = task.tags(i);
    const bool valid =
        !tag.empty() && tag.size() <= kMaxTagLength &&
        std::all_of(tag.begin(), tag.end(), [](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
        });
    if (!valid) {
      Fail(path.At("tags", static_cast<std::size_t>(i)),
           "a tag is 1.." + std::to_string(kMaxTagLength) +
               " characters of letters, digits, '_', '-', '.'");
    }
  }
}

engine::TaskPlan ConvertTask(const v1::Task& task, std::size_t index, const FieldPath& path,
                             SpecContext& context) {
  if (task.steps_size() == 0) Fail(path.Field("steps"), "at least one step is required");
  CheckTags(task, path);
  return {task.name().empty() ? "task" + std::to_string(index) : task.name(),
          WeightOrDefault(task.weight()), ConvertSteps(task.steps(), path, "steps", context)};
}

engine::UserClassPlan ConvertUserClass(const v1::UserClass& user_class, const FieldPath& path,
                                       SpecContext& context) {
  engine::UserClassPlan plan;
  Require(user_class.name(), path.Field("name"));
  plan.name = user_class.name();
  plan.weight = WeightOrDefault(user_class.weight());
  plan.wait = ConvertWait(user_class.wait(), path.Field("wait"));
  plan.on_start = ConvertSteps(user_class.on_start(), path, "on_start", context);
  plan.on_stop = ConvertSteps(user_class.on_stop(), path, "on_stop", context);
  if (user_class.tasks_size() == 0) Fail(path.Field("tasks"), "at least one task is required");
  for (int i = 0; i < user_class.tasks_size(); ++i) {
    const auto index = static_cast<std::size_t>(i);
    plan.tasks.push_back(ConvertTask(user_class.tasks(i), index, path.At("tasks", index), context));
  }
  plan.sequential = user_class.task_order() == v1::TASK_ORDER_SEQUENTIAL;
  return plan;
}

}  // namespace

std::vector<engine::UserClassPlan> ConvertUserClasses(const v1::JobSpec& spec,
                                                      SpecContext& context) {
  const FieldPath root;
  if (spec.user_classes_size() == 0) {
    Fail(root.Field("user_classes"), "at least one user class is required");
  }
  std::vector<engine::UserClassPlan> plans;
  std::set<std::string> names;
  for (int i = 0; i < spec.user_classes_size(); ++i) {
    const FieldPath path = root.At("user_classes", static_cast<std::size_t>(i));
    plans.push_back(ConvertUserClass(spec.user_classes(i), path, context));
    if (!names.insert(plans.back().name).second) {
      Fail(path.Field("name"), "duplicate user class name \"" + plans.back().name + "\"");
    }
  }
  return plans;
}

}  // namespace throng::api::spec
