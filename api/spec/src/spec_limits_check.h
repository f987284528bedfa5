// The SpecLimits checks of ConvertSpec: one pass on the proto before conversion (so nothing
// oversized is ever built) and one on the plan after it (figures only the plan knows).
#pragma once

#include "throng/api/spec/spec_limits.h"
#include "throng/engine/plan.h"
#include "throng/v1/job_spec.pb.h"

namespace throng::api::spec {

/// Throws SpecLimitError naming the first field beyond `limits`: spec size, nesting depth, users,
/// feeder rows, buckets, label lengths, load durations.
void CheckSpecLimits(const v1::JobSpec& spec, const SpecLimits& limits);

/// Throws SpecLimitError when the converted plan is beyond `limits`: request names (stats keys)
/// and their lengths, rows of CSV feeders.
void CheckPlanLimits(const engine::Plan& plan, const SpecLimits& limits);

}  // namespace throng::api::spec
