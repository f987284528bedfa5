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

void Visit(StepList& steps, const std::function<void(RequestPlan&)>& visit) {
  for (StepPlan& step : steps) {
    std::visit(Overloaded{
                   [&](RequestPlan& request) { visit(request); },
                   [&](ChoicePlan& choice) {
                     for (BranchPlan& branch : choice.branches) Visit(branch.steps, visit);
                   },
                   [&](RepeatPlan& repeat) { Visit(repeat.steps, visit); },
                   [](ThinkPlan&) {},
                   [](ListOpPlan&) {},
                   [](SetVariablesPlan&) {},
               },
               step.action);
  }
}

}  // namespace

void ForEachRequest(Plan& plan, const std::function<void(RequestPlan&)>& visit) {
  Visit(plan.setup, visit);
  Visit(plan.teardown, visit);
  for (UserClassPlan& user_class : plan.user_classes) {
    Visit(user_class.on_start, visit);
    Visit(user_class.on_stop, visit);
    for (TaskPlan& task : user_class.tasks) Visit(task.steps, visit);
  }
}

void PrepareExtractions(Plan& plan) {
  ForEachRequest(plan, [](RequestPlan& request) {
    for (ExtractPlan& extract : request.extract) Prepare(extract);
  });
}

}  // namespace throng::engine
