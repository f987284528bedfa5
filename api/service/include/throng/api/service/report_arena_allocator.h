// GetReport's messages on a ReportArena.
#pragma once

#include <grpcpp/support/message_allocator.h>

#include "throng/v1/job.pb.h"
#include "throng/v1/load_tester.pb.h"

namespace throng::api {

/// gRPC message allocator for GetReport: each call's request and response live on a ReportArena
/// of their own, freed when gRPC releases the call. A running job's report (about 16 messages
/// per timeline point, the whole timeline every call) is then built in a few mapped blocks that
/// go back to the system after the call, not in thousands of heap blocks that leave holes in a
/// long-running daemon's heap. Stateless and thread-safe; must outlive the server's calls.
class ReportArenaAllocator final : public grpc::MessageAllocator<v1::GetReportRequest, v1::Report> {
 public:
  grpc::MessageHolder<v1::GetReportRequest, v1::Report>* AllocateMessages() override;
};

}  // namespace throng::api
