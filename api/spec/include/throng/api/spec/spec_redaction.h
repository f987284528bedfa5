// Removing secrets from a job spec before it is logged, listed or reported.
#pragma once

#include "throng/v1/job_spec.pb.h"

namespace throng::api {

/// Replaces secret values in `spec` with "***": header values whose name looks like
/// authorization/cookie/token/api-key/secret/password, and form fields, query parameters, JSON
/// string leaves, variables, tags and feeder columns whose key looks like
/// password/passwd/secret/token/api_key/access_key (names compared case-insensitively, ignoring
/// '-' and '_'), plus a password in base_url. Idempotent. Redact a copy: the job itself needs the
/// real values.
void RedactSpec(throng::v1::JobSpec& spec);

}  // namespace throng::api
