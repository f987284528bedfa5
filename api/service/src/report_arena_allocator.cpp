#include "throng/api/service/report_arena_allocator.h"

#include "throng/api/common/report_arena.h"

namespace throng::api {
namespace {

/// One call's messages and the arena they live on; gRPC calls Release() when the call is done.
class ArenaMessageHolder final : public grpc::MessageHolder<v1::GetReportRequest, v1::Report> {
 public:
  ArenaMessageHolder() {
    set_request(arena_.Create<v1::GetReportRequest>());
    set_response(arena_.Create<v1::Report>());
  }
  void Release() override { delete this; }

 private:
  ReportArena arena_;
};

}  // namespace

grpc::MessageHolder<v1::GetReportRequest, v1::Report>* ReportArenaAllocator::AllocateMessages() {
  return new ArenaMessageHolder();
}

}  // namespace throng::api
