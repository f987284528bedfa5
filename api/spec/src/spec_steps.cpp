// Steps of a flow: request, think, choice, repeat, list operations and variable assignments.
#include "spec_parts.h"
#include "spec_support.h"

namespace throng::api::spec {
namespace {

engine::ThinkPlan ConvertThink(const v1::Think& think, const FieldPath& path) {
  switch (think.kind_case()) {
    case v1::Think::kConstant: {
      const engine::Duration pause = NonNegativeDuration(think.constant(), path.Field("constant"));
      return {{pause, pause}};
    }
    case v1::Think::kBetween:
      return {ToRange(think.between(), path.Field("between"))};
    default:
      Fail(path, "one of constant or between is required");
  }
}

engine::ChoicePlan ConvertChoice(const v1::Choice& choice, const FieldPath& path,
                                 SpecContext& context) {
  if (choice.branches_size() < 2) Fail(path.Field("branches"), "at least 2 branches are required");
  engine::ChoicePlan plan;
  for (int i = 0; i < choice.branches_size(); ++i) {
    const v1::Branch& branch = choice.branches(i);
    const FieldPath branch_path = path.At("branches", i);
    plan.branches.push_back({branch.name(), WeightOrDefault(branch.weight()),
                             ConvertSteps(branch.steps(), branch_path, "steps", context)});
  }
  return plan;
}

engine::RepeatPlan ConvertRepeat(const v1::Repeat& repeat, const FieldPath& path,
                                 SpecContext& context) {
  if (repeat.count() < 1) Fail(path.Field("count"), "must be >= 1");
  if (repeat.steps_size() == 0) Fail(path.Field("steps"), "at least one step is required");
  return {repeat.count(), ConvertSteps(repeat.steps(), path, "steps", context)};
}

engine::ListOpPlan ConvertListOp(const v1::ListOp& list, const FieldPath& path) {
  Require(list.list(), path.Field("list"));
  engine::ListOpPlan plan{list.list()};
  switch (list.op()) {
    case v1::ListOp::PICK_RANDOM:
      plan.op = engine::ListOpPlan::Op::kPickRandom;
      break;
    case v1::ListOp::REMOVE:
      plan.op = engine::ListOpPlan::Op::kRemove;
      break;
    case v1::ListOp::POP:
      plan.op = engine::ListOpPlan::Op::kPop;
      break;
    case v1::ListOp::CLEAR:
      plan.op = engine::ListOpPlan::Op::kClear;
      break;
    default:
      Fail(path.Field("op"), "required: PICK_RANDOM, REMOVE, POP or CLEAR");
  }
  if (plan.op != engine::ListOpPlan::Op::kClear) Require(list.var(), path.Field("var"));
  plan.var = list.var();
  return plan;
}

engine::SetVariablesPlan ConvertSet(const v1::SetVariables& set, const FieldPath& path,
                                    const SpecContext& context) {
  if (set.values().empty()) Fail(path.Field("values"), "at least one variable is required");
  return {context.ParseTemplateMap(set.values(), path, "values")};
}

engine::StepPlan ConvertStep(const v1::Step& step, const FieldPath& path, SpecContext& context) {
  engine::StepPlan plan;
  plan.skip_if_empty = step.skip_if_empty();
  switch (step.kind_case()) {
    case v1::Step::kRequest:
      plan.action = ConvertRequest(step.request(), path.Field("request"), context);
      break;
    case v1::Step::kThink:
      plan.action = ConvertThink(step.think(), path.Field("think"));
      break;
    case v1::Step::kChoice:
      plan.action = ConvertChoice(step.choice(), path.Field("choice"), context);
      break;
    case v1::Step::kRepeat:
      plan.action = ConvertRepeat(step.repeat(), path.Field("repeat"), context);
      break;
    case v1::Step::kList:
      plan.action = ConvertListOp(step.list(), path.Field("list"));
      break;
    case v1::Step::kSet:
      plan.action = ConvertSet(step.set(), path.Field("set"), context);
      break;
    default:
      Fail(path, "one step kind is required: request, think, choice, repeat, list or set");
  }
  return plan;
}

}  // namespace

engine::StepList ConvertSteps(const StepsField& steps, const FieldPath& parent,
                              std::string_view field, SpecContext& context) {
  engine::StepList plan;
  plan.reserve(static_cast<std::size_t>(steps.size()));
  for (int i = 0; i < steps.size(); ++i) {
    plan.push_back(
        ConvertStep(steps.Get(i), parent.At(field, static_cast<std::size_t>(i)), context));
  }
  return plan;
}

}  // namespace throng::api::spec
