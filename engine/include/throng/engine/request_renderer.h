// Turns a RequestPlan into the wire-ready HttpRequest for one virtual user.
#pragma once

#include "throng/engine/http_types.h"
#include "throng/engine/plan.h"
#include "throng/engine/user_state.h"

namespace throng::engine {

/// Renders `request` for `user` into `out`, clearing it first but reusing its buffers' capacity so
/// a user that renders into the same HttpRequest each time allocates little. The target is
/// http.base_path + path + "?" + URL-encoded query; headers are the job's defaults overridden
/// (case-insensitively) by the request's own; a body sets its Content-Type unless the request
/// gives one. The response's headers and body are kept only when the request's checks or
/// extractions read them (out.keep_response_headers / keep_response_body). A zero plan timeout
/// leaves out.timeout zero (the sender's default). Thread-safe for distinct `out`/`user`.
void RenderRequest(const RequestPlan& request, const HttpPlan& http, const UserState& user,
                   HttpRequest& out);

}  // namespace throng::engine
