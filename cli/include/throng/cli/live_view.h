// The live progress display of `throngctl run` / `watch`.
#pragma once

#include <iosfwd>
#include <string>

#include "throng/v1/job.pb.h"

namespace throng::cli {

/// A frame of the terminal view: state/stage/users header, progress bar (or "unbounded"), and a
/// table per request name of requests, failures, rps and interval p50/p95/p99 (ms), then the
/// aggregated row. Lines end in '\n'; no ANSI codes.
std::string LiveTable(const throng::v1::JobSnapshot& snapshot);

/// "[#####.....]  42%" for `progress` in 0..1; "unbounded" for a negative value.
std::string ProgressBar(double progress, int width);

/// Shows successive snapshots. On a terminal each frame replaces the previous one in place (ANSI
/// cursor-up and clear); otherwise one plain progress line per snapshot. Not thread-safe.
class LiveView {
 public:
  LiveView(std::ostream& out, bool terminal) : out_(out), terminal_(terminal) {}
  void Show(const throng::v1::JobSnapshot& snapshot);

 private:
  std::ostream& out_;
  bool terminal_;
  int previous_lines_ = 0;
};

}  // namespace throng::cli
