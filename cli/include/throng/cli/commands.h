#pragma once

#include <chrono>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "throng/cli/client.h"
#include "throng/cli/overrides.h"
#include "throng/v1/load_tester.grpc.pb.h"

namespace throng::cli {

/// Changes requested by `throngctl update`.
struct UpdateArgs {
  std::optional<unsigned> users;
  std::optional<double> rate;
  std::optional<bool> paused;
};

/// The throngctl subcommands. Each returns a process exit code (see ExitCode) and writes results to
/// `out`, diagnostics to `err`; none throws. The gRPC stub is created lazily so `validate` works
/// without a daemon. Not thread-safe.
class Commands {
 public:
  Commands(ClientOptions options, std::ostream& out, std::ostream& err);

  int Validate(const std::string& file, const Overrides& overrides);
  int Submit(const std::string& file, const Overrides& overrides);
  int List(const std::vector<std::string>& states);
  int Get(const std::string& id);
  int Stop(const std::string& id, bool immediate, const std::optional<std::string>& grace);
  int Update(const std::string& id, const UpdateArgs& args);
  int Report(const std::string& id);
  /// Follows the job until it ends; WatchJob when the daemon has it, else GetJob every `interval`.
  int Watch(const std::string& id, std::chrono::milliseconds interval);
  /// Submit, then Watch.
  int Run(const std::string& file, const Overrides& overrides, std::chrono::milliseconds interval);

 private:
  throng::v1::LoadTester::StubInterface& Stub();
  // Wraps every command: maps InputError and RPC failures to messages and exit codes.
  template <typename Body>
  int Guard(Body&& body);
  throng::v1::JobSpec LoadSpec(const std::string& file, const Overrides& overrides);
  std::string SubmitSpec(const throng::v1::JobSpec& spec);
  throng::v1::Job GetJob(const std::string& id);
  int PollUntilDone(const std::string& id, std::chrono::milliseconds interval);
  int Finish(const std::string& id);

  ClientOptions options_;
  std::ostream& out_;
  std::ostream& err_;
  std::unique_ptr<throng::v1::LoadTester::StubInterface> stub_;
};

/// Parses `argv` and runs the chosen subcommand; the whole of throngctl's main().
int RunThrongctl(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace throng::cli
