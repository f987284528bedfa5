// A protobuf arena for the large transient messages the daemon builds again and again (a running
// job's report with its timeline, every checkpoint interval).
#pragma once

#include <google/protobuf/arena.h>

#include <cstddef>

namespace throng::api {

/// Size of the first block of a ReportArena; later blocks double up to kReportArenaMaxBlockBytes.
/// Both are above glibc's mmap threshold as throngd fixes it (128 KiB, daemon/memory_trimmer.h).
inline constexpr std::size_t kReportArenaBlockBytes = 256 * 1024;
inline constexpr std::size_t kReportArenaMaxBlockBytes = 1024 * 1024;

/// A protobuf Arena whose blocks are each mapped on their own and unmapped when the arena is
/// destroyed. A report built on the heap is thousands of small blocks (a timeline point is about
/// 16); freed, they leave holes that pin pages of the heap between longer-lived blocks, so a
/// long-running daemon's RSS creeps up with every checkpoint. Not thread-safe beyond what
/// google::protobuf::Arena guarantees (allocation from any thread; destruction by the owner).
class ReportArena {
 public:
  ReportArena();
  ReportArena(const ReportArena&) = delete;
  ReportArena& operator=(const ReportArena&) = delete;

  /// A new, empty message of type `Message` owned by this arena.
  template <typename Message>
  Message* Create() {
    return google::protobuf::Arena::CreateMessage<Message>(&arena_);
  }

 private:
  google::protobuf::Arena arena_;
};

}  // namespace throng::api
