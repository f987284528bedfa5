// What the engine builds once per job before it runs: compiled regexes and parsed JSON pointers.
#pragma once

#include <functional>

#include "throng/engine/plan.h"

namespace throng::engine {

/// Compiles every regex extraction with RE2 (ExtractPlan::regex) and parses every JSON-pointer
/// extraction (ExtractPlan::pointer) of every flow, unless already done. Throws JobError naming
/// the extraction's variable and what is wrong.
void PrepareExtractions(Plan& plan);

/// Calls `visit` on every request of every flow (setup, teardown, each class's on_start, on_stop
/// and tasks), nested choices and repeats included.
void ForEachRequest(Plan& plan, const std::function<void(RequestPlan&)>& visit);

}  // namespace throng::engine
