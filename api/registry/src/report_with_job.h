// A report serialized for the registry's store with the registry's copy of its job.
#pragma once

#include <string>

#include "throng/v1/job.pb.h"

namespace throng::api {

/// `report` with `job` (the registry's copy: redacted spec, the registry's timestamps) in place
/// of its own and its setup variables redacted by that spec's rules, serialized. The report is
/// not copied as a message (a 200-endpoint report is megabytes as one): its other top-level
/// fields are copied from its serialization as bytes.
std::string SerializedWithJob(const v1::Report& report, const v1::Job& job);

}  // namespace throng::api
