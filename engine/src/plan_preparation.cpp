#include "plan_preparation.h"

#include <variant>

#include "overloaded.h"
#include "throng/engine/running_job.h"

namespace throng::engine {
namespace {

void Prepare(ExtractPlan& extract) {
  try {
    if (extract.source == ExtractPlan::Source::kRegex && extract.regex == nullptr) {
      extract.regex = std::make_shared<const Regex>(extract.expression);
    }
    if (extract.source == ExtractPlan::Source::kJsonPointer && !extract.pointer) {
      extract.pointer.emplace(extract.expression);
    }
  } catch (const RegexError& e) {
    throw JobError("extract " + extract.var + ": invalid regular expression: " + e.what());
  } catch (const nlohmann::json::exception& e) {
    throw JobError("extract " + extract.var + ": invalid JSON pointer: " + e.what());
  }
}

void Prepare(StepList& steps) {
  for (StepPlan& step : steps) {
    std::visit(Overloaded{
                   [](RequestPlan& request) {
                     for (ExtractPlan& extract : request.extract) Prepare(extract);
                   },
                   [](ChoicePlan& choice) {
                     for (BranchPlan& branch : choice.branches) Prepare(branch.steps);
                   },
                   [](RepeatPlan& repeat) { Prepare(repeat.steps); },
                   [](ThinkPlan&) {},
                   [](ListOpPlan&) {},
                   [](SetVariablesPlan&) {},
               },
               step.action);
  }
}

}  // namespace

void PrepareExtractions(Plan& plan) {
  Prepare(plan.setup);
  Prepare(plan.teardown);
  for (UserClassPlan& user_class : plan.user_classes) {
    Prepare(user_class.on_start);
    Prepare(user_class.on_stop);
    for (TaskPlan& task : user_class.tasks) Prepare(task.steps);
  }
}

}  // namespace throng::engine
