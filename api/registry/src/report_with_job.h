// A report serialized for the registry's store with the registry's copy of its job.
#pragma once

#include <string>

#include "throng/api/common/serialized_report.h"
#include "throng/v1/job.pb.h"

namespace throng::api {

/// `report` with `job` (the registry's copy: redacted spec, the registry's timestamps) in place
/// of its own and its setup variables redacted by that spec's rules, serialized. The report is
/// never a message here: its other top-level fields are kept from its serialization, as bytes,
/// in the one string returned.
std::string SerializedWithJob(const SerializedReport& report, const v1::Job& job);

}  // namespace throng::api
