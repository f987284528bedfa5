// Small helpers that build engine plans in tests.
#pragma once

#include <string>
#include <utility>

#include "throng/engine/plan.h"

namespace throng::engine::testing {

inline StepPlan Get(Plan& plan, const std::string& path, std::string name = "") {
  if (name.empty()) name = path;
  std::uint32_t endpoint = 0;
  while (endpoint < plan.endpoints.size() && plan.endpoints[endpoint].name != name) ++endpoint;
  if (endpoint == plan.endpoints.size()) plan.endpoints.push_back({name, "GET"});
  RequestPlan request;
  request.endpoint = endpoint;
  request.path = Template::Parse(path);
  return StepPlan{std::move(request), ""};
}

inline StepPlan Think(Duration duration) { return StepPlan{ThinkPlan{{duration, duration}}, ""}; }

inline StepPlan Skippable(StepPlan step, std::string variable) {
  step.skip_if_empty = std::move(variable);
  return step;
}

inline TaskPlan Task(std::string name, std::uint32_t weight, StepList steps) {
  return TaskPlan{std::move(name), weight, std::move(steps)};
}

/// A plan with one user class (no wait) against a fake target.
inline Plan BasicPlan() {
  Plan plan;
  plan.name = "test";
  plan.http.host = "127.0.0.1";
  plan.user_classes.push_back(UserClassPlan{});
  plan.user_classes[0].name = "user";
  plan.load.graceful_stop = std::chrono::seconds(5);
  return plan;
}

inline void PerUser(Plan& plan, std::uint32_t users, std::uint32_t iterations,
                    std::uint32_t concurrency = 0) {
  plan.load.model = PerUserIterationsPlan{users, iterations, concurrency};
}

}  // namespace throng::engine::testing
