// What the engine builds once per job before it runs: compiled regexes and parsed JSON pointers.
#pragma once

#include "throng/engine/plan.h"

namespace throng::engine {

/// Compiles every regex extraction with RE2 (ExtractPlan::regex) and parses every JSON-pointer
/// extraction (ExtractPlan::pointer) of every flow, unless already done. Throws JobError naming
/// the extraction's variable and what is wrong.
void PrepareExtractions(Plan& plan);

}  // namespace throng::engine
