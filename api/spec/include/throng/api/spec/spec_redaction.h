// Removing secrets from a job spec before it is logged, listed, stored for display or reported.
#pragma once

#include "throng/v1/job_spec.pb.h"

namespace throng::api {

/// Replaces secret values in `spec` with "***". A value is secret when its name (header, query
/// parameter, form field, JSON key and everything below it, variable, tag, feeder column),
/// compared lower-case without '-' and '_', contains one of pass, pwd, secret, token, key, auth,
/// cred, session, cookie, otp, pin, sig, private, jwt, csrf, xsrf, bearer, salt; or equals one of
/// spec.secret_names; or sits in a Request, SetVariables or Feeder marked `secret: true` (a secret
/// request also loses its raw body and its path's query values). Query strings inside a path or
/// the base_url are redacted by the same rule, and a password in base_url always is. Idempotent.
/// Redact a copy: the job itself needs the real values.
void RedactSpec(throng::v1::JobSpec& spec);

}  // namespace throng::api
