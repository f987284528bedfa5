#include "throng/api/common/report_arena.h"

namespace throng::api {
namespace {

google::protobuf::ArenaOptions LargeBlockOptions() {
  google::protobuf::ArenaOptions options;
  options.start_block_size = kReportArenaBlockBytes;
  options.max_block_size = kReportArenaMaxBlockBytes;
  return options;
}

}  // namespace

ReportArena::ReportArena() : arena_(LargeBlockOptions()) {}

}  // namespace throng::api
