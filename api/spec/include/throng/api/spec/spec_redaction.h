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

/// Replaces with "***" the values in `variables` (what `spec`'s setup steps extracted or set, as
/// in Report.setup_variables) that are secret: by RedactSpec's name rule, or because a
/// `secret: true` step of spec.setup assigned them (see ListSetupSecrets). `spec` may be redacted
/// already (the registry's copy): the rule reads names and markings only.
void RedactSetupVariables(const throng::v1::JobSpec& spec,
                          google::protobuf::Map<std::string, std::string>& variables);

/// Appends to spec.secret_names every variable a `secret: true` step of spec.setup assigns (the
/// values of a SetVariables, the extractions of a Request, and what a list op takes from a list
/// such a request appended to), unless it is listed already. A fleet's segments and teardown get
/// setup's values as job variables, without the steps that marked them: listed, they stay
/// hidden there too.
void ListSetupSecrets(throng::v1::JobSpec& spec);

}  // namespace throng::api
