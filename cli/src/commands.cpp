#include "throng/cli/commands.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <boost/algorithm/string/case_conv.hpp>
#include <ostream>
#include <thread>

#include "commands_internal.h"
#include "throng/api/spec/spec_converter.h"
#include "throng/api/spec/spec_redaction.h"
#include "throng/cli/duration.h"
#include "throng/cli/error.h"
#include "throng/cli/live_view.h"
#include "throng/cli/render.h"
#include "throng/cli/scenario_loader.h"
#include "throng/cli/selection.h"

namespace throng::cli {
namespace {

throng::v1::JobState ParseState(const std::string& text) {
  const std::string upper = boost::algorithm::to_upper_copy(text, std::locale::classic());
  throng::v1::JobState state;
  if (!throng::v1::JobState_Parse(upper, &state) || state == throng::v1::JOB_STATE_UNSPECIFIED) {
    throw InputError(
        "--state: unknown state (expected one of: queued, starting, running, paused, "
        "stopping, completed, stopped, aborted, failed, interrupted)");
  }
  return state;
}

/// Runs the daemon's own conversion of `spec` (the same checks, messages and field paths), so a
/// file that validates here is not refused by the daemon for its contents. CSV feeder files are
/// read as this machine sees them; environment and feeder-file restrictions are the daemon's
/// (--allow-env, --feeder-dir) and are applied only there.
void CheckLikeTheDaemon(const throng::v1::JobSpec& spec) {
  try {
    (void)throng::api::ConvertSpec(spec, throng::api::ConvertOptions::Unrestricted());
  } catch (const throng::api::SpecError& error) {
    throw InputError(std::string("error: INVALID_ARGUMENT: ") + error.what());
  }
}

}  // namespace

Commands::Commands(ClientOptions options, std::ostream& out, std::ostream& err, bool terminal)
    : options_(std::move(options)), out_(out), err_(err), terminal_(terminal) {}

throng::v1::LoadTester::StubInterface& Commands::Stub() {
  if (!stub_) stub_ = throng::v1::LoadTester::NewStub(MakeChannel(options_));
  return *stub_;
}

throng::v1::JobSpec Commands::LoadSpec(const std::string& file, const Overrides& overrides) {
  throng::v1::JobSpec spec = LoadScenarioFile(file);
  ApplyOverrides(overrides, &spec);
  ApplySelection(overrides.selection, &spec);
  return spec;
}

std::string Commands::SubmitSpec(const throng::v1::JobSpec& spec) {
  grpc::ClientContext context;
  PrepareContext(options_, &context, true);
  throng::v1::SubmitJobRequest request;
  *request.mutable_spec() = spec;
  throng::v1::Job job;
  Check(Stub().SubmitJob(&context, request, &job));
  for (const std::string& warning : job.warnings()) err_ << "warning: " << warning << "\n";
  return job.id();
}

throng::v1::Job Commands::GetJob(const std::string& id) {
  grpc::ClientContext context;
  PrepareContext(options_, &context, true);
  throng::v1::GetJobRequest request;
  request.set_id(id);
  throng::v1::Job job;
  Check(Stub().GetJob(&context, request, &job));
  return job;
}

int Commands::Validate(const std::string& file, const Overrides& overrides, bool remote,
                       bool print_spec) {
  return Guard([&] {
    const throng::v1::JobSpec spec = LoadSpec(file, overrides);
    CheckLikeTheDaemon(spec);
    if (remote) {
      grpc::ClientContext context;
      PrepareContext(options_, &context, true);
      throng::v1::SubmitJobRequest request;
      *request.mutable_spec() = spec;
      request.set_validate_only(true);
      throng::v1::Job job;
      Check(Stub().SubmitJob(&context, request, &job));
      for (const std::string& warning : job.warnings()) err_ << "warning: " << warning << "\n";
    }
    if (print_spec) {
      throng::v1::JobSpec redacted = spec;
      api::RedactSpec(redacted);
      out_ << ToJson(redacted) << "\n";
      return kExitOk;
    }
    out_ << file << ": ok (" << spec.user_classes_size() << " user classes, " << CountRequests(spec)
         << " requests" << (remote ? ", accepted by the daemon" : "") << ")\n";
    return kExitOk;
  });
}

int Commands::Submit(const std::string& file, const Overrides& overrides) {
  return Guard([&] {
    out_ << SubmitSpec(LoadSpec(file, overrides)) << "\n";
    return kExitOk;
  });
}

int Commands::List(const std::vector<std::string>& states) {
  return Guard([&] {
    throng::v1::ListJobsRequest request;
    for (const std::string& state : states) request.add_states(ParseState(state));
    out_ << ListHeader() << "\n";
    // Bounded: a misbehaving server that always returns a page token cannot loop us forever.
    for (int page = 0; page < 1000; ++page) {
      grpc::ClientContext context;
      PrepareContext(options_, &context, true);
      throng::v1::ListJobsResponse response;
      Check(Stub().ListJobs(&context, request, &response));
      for (const auto& job : response.jobs()) out_ << ListRow(job) << "\n";
      if (response.next_page_token().empty()) break;
      request.set_page_token(response.next_page_token());
    }
    return kExitOk;
  });
}

int Commands::Get(const std::string& id) {
  return Guard([&] {
    out_ << ToJson(GetJob(id)) << "\n";
    return kExitOk;
  });
}

int Commands::Stop(const std::string& id, bool immediate, const std::optional<std::string>& grace) {
  return Guard([&] {
    throng::v1::StopJobRequest request;
    request.set_id(id);
    request.set_immediate(immediate);
    if (grace) {
      std::chrono::nanoseconds period;
      try {
        period = ParseDuration(*grace);
      } catch (const InputError& error) {
        throw InputError(std::string("--grace: ") + error.what());
      }
      *request.mutable_grace_period() =
          google::protobuf::util::TimeUtil::NanosecondsToDuration(period.count());
    }
    grpc::ClientContext context;
    PrepareContext(options_, &context, true);
    throng::v1::Job job;
    Check(Stub().StopJob(&context, request, &job));
    out_ << job.id() << ": " << throng::v1::JobState_Name(job.state()) << "\n";
    return kExitOk;
  });
}

int Commands::Update(const std::string& id, const UpdateArgs& args) {
  return Guard([&] {
    if (!args.users && !args.rate && !args.paused) {
      throw InputError("update: give at least one of --users, --rate, --pause, --resume");
    }
    throng::v1::UpdateJobRequest request;
    request.set_id(id);
    if (args.users) request.set_target_users(*args.users);
    if (args.rate) request.set_arrival_rate(*args.rate);
    if (args.paused) request.set_paused(*args.paused);
    grpc::ClientContext context;
    PrepareContext(options_, &context, true);
    throng::v1::Job job;
    Check(Stub().UpdateJob(&context, request, &job));
    out_ << job.id() << ": " << ProgressLine(job.state(), 0, job.totals()) << "\n";
    return kExitOk;
  });
}

int Commands::Watch(const std::string& id, std::chrono::milliseconds interval,
                    const ReportFiles& files) {
  return Guard([&] {
    grpc::ClientContext context;
    PrepareContext(options_, &context, false);
    throng::v1::WatchJobRequest request;
    request.set_id(id);
    *request.mutable_interval() =
        google::protobuf::util::TimeUtil::MillisecondsToDuration(interval.count());
    auto reader = Stub().WatchJob(&context, request);
    throng::v1::JobSnapshot snapshot;
    LiveView view(out_, terminal_);
    bool received = false;
    bool final = false;
    while (!final && reader->Read(&snapshot)) {
      received = true;
      final = snapshot.final();
      view.Show(snapshot);
    }
    // Finish would wait for a server that keeps the stream open after the final snapshot.
    if (final) context.TryCancel();
    const grpc::Status status = reader->Finish();
    if (!received && status.error_code() == grpc::StatusCode::UNIMPLEMENTED) {
      PollUntilDone(id, interval);
    } else if (!final) {
      Check(status);
    }
    return Finish(id, files);
  });
}

void Commands::PollUntilDone(const std::string& id, std::chrono::milliseconds interval) {
  const auto start = std::chrono::steady_clock::now();
  LiveView view(out_, terminal_);
  for (;;) {
    const throng::v1::Job job = GetJob(id);
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
    // GetJob has no per-name figures: the view shows the totals only.
    throng::v1::JobSnapshot snapshot;
    snapshot.set_state(job.state());
    snapshot.set_elapsed_seconds(elapsed.count());
    *snapshot.mutable_totals() = job.totals();
    view.Show(snapshot);
    if (IsTerminal(job.state())) return;
    std::this_thread::sleep_for(interval);
  }
}

int Commands::Run(const std::string& file, const Overrides& overrides,
                  std::chrono::milliseconds interval, const ReportFiles& files) {
  std::string id;
  const int submitted = Guard([&] {
    id = SubmitSpec(LoadSpec(file, overrides));
    out_ << "submitted job " << id << "\n";
    return kExitOk;
  });
  if (submitted != kExitOk) return submitted;
  return Watch(id, interval, files);
}

}  // namespace throng::cli
