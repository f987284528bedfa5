// The variable names a JobSpec can define, so templates naming anything else are refused.
#pragma once

#include <functional>
#include <set>
#include <string>

#include "throng/v1/job_spec.pb.h"

namespace throng::api::spec {

/// Every name a {{name}} template may read: job variables, `set` keys, `extract` vars and list
/// op vars, wherever they appear in the spec (setup, teardown, users, nested steps). Walks the
/// spec by reflection; its depth is bounded by CheckSpecLimits, which runs first.
std::set<std::string, std::less<>> DefinableVariables(const v1::JobSpec& spec);

}  // namespace throng::api::spec
