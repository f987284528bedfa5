#pragma once

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "throng/cli/client.h"
#include "throng/cli/compare.h"
#include "throng/cli/error.h"
#include "throng/cli/fleet.h"
#include "throng/cli/overrides.h"
#include "throng/v1/load_tester.grpc.pb.h"

namespace throng::engine {
struct ThresholdPlan;
}

namespace throng::cli {

struct FleetSegment;

/// Changes requested by `throngctl update`.
struct UpdateArgs {
  std::optional<unsigned> users;
  std::optional<double> rate;
  std::optional<bool> paused;
};

/// Report files to write besides the console summary; empty fields are skipped.
struct ReportFiles {
  /// Locust-style CSV prefix: <prefix>_stats.csv, _stats_history.csv, _failures.csv.
  std::string csv_prefix;
  std::string html_file;
  std::string json_file;
  /// JUnit XML: each threshold and each endpoint's failures as a test case.
  std::string junit_file;
};

/// The throngctl subcommands. Each returns a process exit code (see ExitCode) and writes results to
/// `out`, diagnostics to `err`; none throws. The gRPC stub is created lazily so `validate` works
/// without a daemon. `terminal` selects the in-place live table over plain progress lines.
/// Not thread-safe.
class Commands {
 public:
  Commands(ClientOptions options, std::ostream& out, std::ostream& err, bool terminal = false);

  /// Checks the file locally; with `remote`, also asks the daemon (SubmitJob validate_only).
  /// With `print_spec`, prints the resulting job spec as JSON (secrets redacted) instead of the
  /// summary line.
  int Validate(const std::string& file, const Overrides& overrides, bool remote = false,
               bool print_spec = false);
  int Submit(const std::string& file, const Overrides& overrides);
  int List(const std::vector<std::string>& states);
  int Get(const std::string& id);
  int Stop(const std::string& id, bool immediate, const std::optional<std::string>& grace);
  int Update(const std::string& id, const UpdateArgs& args);
  /// Forgets an ended job on the daemon (DeleteJob).
  int Delete(const std::string& id);
  /// Prints the console summary and writes the requested files.
  int Report(const std::string& id, const ReportFiles& files = {});
  /// Follows the job until it ends (WatchJob when the daemon has it, else GetJob every
  /// `interval`), then prints its report and writes `files`.
  int Watch(const std::string& id, std::chrono::milliseconds interval,
            const ReportFiles& files = {});
  /// Submit, then Watch.
  int Run(const std::string& file, const Overrides& overrides, std::chrono::milliseconds interval,
          const ReportFiles& files = {});
  /// One job over a fleet (fleet_run.cpp): setup once, one segment per daemon of
  /// `fleet.addresses` starting together, one merged live view with the fleet's thresholds
  /// (an abort stops every segment), teardown once, one merged report.
  int RunFleet(const std::string& file, const Overrides& overrides, const FleetArgs& fleet,
               std::chrono::milliseconds interval, const ReportFiles& files = {});
  /// The merged report of fleet run `run_id`, rebuilt from the daemons of `fleet.addresses`.
  int ReportFleet(const std::string& run_id, const FleetArgs& fleet, const ReportFiles& files);
  /// Sends the fleet's new totals to every running segment of `run_id`; each applies its share.
  int UpdateFleet(const std::string& run_id, const FleetArgs& fleet, const UpdateArgs& args);
  /// Compares two reports (job ids, or JSON report files); exit 1 on a regression beyond
  /// `limits`. Writes a side-by-side HTML page to `html_file` unless it is empty.
  int Compare(const std::string& base, const std::string& next, const RegressionLimits& limits,
              const std::string& html_file);
  /// The exit code of a finished job without thresholds that had failures (Locust's
  /// --exit-code-on-error; default 1, 0 turns it off).
  void SetExitCodeOnError(int code) { exit_code_on_error_ = code; }
  /// Console tables in whole milliseconds exactly like Locust's (default: two decimals below
  /// 10 ms).
  void SetLocustRounding(bool locust_rounding) { locust_rounding_ = locust_rounding; }

 private:
  throng::v1::LoadTester::StubInterface& Stub();
  // Wraps every command: maps InputError and RPC failures to messages and exit codes.
  template <typename Body>
  int Guard(Body&& body);
  throng::v1::JobSpec LoadSpec(const std::string& file, const Overrides& overrides);
  std::string SubmitSpec(const throng::v1::JobSpec& spec);
  throng::v1::Job GetJob(const std::string& id);
  void PollUntilDone(const std::string& id, std::chrono::milliseconds interval);
  int Finish(const std::string& id, const ReportFiles& files);
  // Fetches the report; nullopt only when the daemon does not implement GetReport.
  std::optional<throng::v1::Report> FetchReport(const std::string& id);
  void WriteReportFiles(const throng::v1::Report& report, const ReportFiles& files);
  // The exit code of a finished job: thresholds decide; without them, any failure earns
  // exit_code_on_error_.
  int OutcomeCode(int code, bool has_thresholds, std::uint64_t failures);
  // Prints and writes the merged report of a fleet run; its exit code.
  int FinishFleet(const std::vector<FleetSegment>& segments, const std::string& run_id,
                  const std::vector<engine::ThresholdPlan>& thresholds,
                  std::optional<std::size_t> aborted_by, const ReportFiles& files);
  // The JSON report text of a job id, or the contents of a JSON report file.
  std::string ReportJsonOf(const std::string& id_or_file);

  ClientOptions options_;
  std::ostream& out_;
  std::ostream& err_;
  bool terminal_;
  int exit_code_on_error_ = kExitThresholdsFailed;
  bool locust_rounding_ = false;
  std::unique_ptr<throng::v1::LoadTester::StubInterface> stub_;
};

/// Parses `argv` and runs the chosen subcommand; the whole of throngctl's main().
int RunThrongctl(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace throng::cli
