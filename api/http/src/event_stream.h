// GET /api/v1/jobs/{id}/events: the job's snapshots as Server-Sent Events.
#pragma once

#include <memory>
#include <string>

#include "throng/api/http/http_types.h"
#include "throng/api/service/job_control.h"

namespace throng::api::http {

/// Events "snapshot" (a v1.JobSnapshot in the JSON mapping) now and every interval, and one
/// "final" snapshot when the job has ended, which closes the stream. The same snapshots
/// LoadTester.WatchJob streams. `control` must outlive the source.
std::unique_ptr<EventSource> MakeJobEventSource(JobControl& control, std::string job_id);

}  // namespace throng::api::http
