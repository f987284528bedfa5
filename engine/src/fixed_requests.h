// Requests without placeholders, rendered once per job instead of once per send.
#pragma once

#include "throng/engine/plan.h"

namespace throng::engine {

/// Sets RequestPlan::fixed on every request of every flow whose method, path, query, headers
/// (the job's default headers included) and body hold no placeholder and whose rendering passes
/// RenderedRequestProblem: that one rendering is what every user sends. A request that fails the
/// check is left to be rendered (and refused) per send, as before. Call once, before the users
/// start; the plan is read-only afterwards.
void PrepareFixedRequests(Plan& plan);

}  // namespace throng::engine
