#include "job_runner.h"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <random>
#include <set>

#include "fixed_requests.h"
#include "overloaded.h"
#include "plan_preparation.h"
#include "throng/engine/execution_segment.h"

namespace throng::engine {
namespace {

namespace asio = boost::asio;

// After every user was cancelled the last one's end wakes the controller; this only bounds the
// wait should that signal ever be missed.
constexpr Duration kDrainRecheck = std::chrono::seconds(1);

std::vector<std::uint32_t> ClassWeights(const Plan& plan) {
  std::vector<std::uint32_t> weights;
  for (const auto& user_class : plan.user_classes) weights.push_back(user_class.weight);
  return weights;
}

// Names a setup flow can set, so their values can be promoted to job variables.
void CollectAssignedNames(const StepList& steps, std::set<std::string>& names) {
  for (const StepPlan& step : steps) {
    std::visit(Overloaded{
                   [&](const RequestPlan& request) {
                     for (const auto& extract : request.extract) names.insert(extract.var);
                   },
                   [&](const ChoicePlan& choice) {
                     for (const auto& branch : choice.branches) {
                       CollectAssignedNames(branch.steps, names);
                     }
                   },
                   [&](const RepeatPlan& repeat) { CollectAssignedNames(repeat.steps, names); },
                   [&](const ListOpPlan& list_op) {
                     if (!list_op.var.empty()) names.insert(list_op.var);
                   },
                   [&](const SetVariablesPlan& set) {
                     for (const auto& value : set.values) names.insert(value.first);
                   },
                   [](const ThinkPlan&) {},
               },
               step.action);
  }
}

Plan Prepared(Plan plan) {
  PrepareExtractions(plan);
  PrepareFixedRequests(plan);
  ApplyExecutionSegment(plan);
  return plan;
}

std::unique_ptr<LoadModel> CheckedModel(const Plan& plan, const FeederPool& feeders) {
  if (plan.user_classes.empty()) throw JobError("the job has no user classes");
  std::unique_ptr<LoadModel> model = MakeLoadModel(plan.load);
  try {
    feeders.CheckCapacity(model->MaxUsers());
  } catch (const FeederExhausted& e) {
    throw JobError(e.what());
  }
  return model;
}

}  // namespace

JobRunner::JobRunner(Plan plan, WorkerPool& pool, const SenderFactoryMaker& make_factory,
                     std::shared_ptr<const Clock> clock)
    : plan_(Prepared(std::move(plan))),
      pool_(pool),
      clock_(std::move(clock)),
      stats_(plan_.endpoints, pool.Size()),
      feeders_(plan_.feeders),
      classes_(ClassWeights(plan_)),
      seed_(std::random_device{}() ^ (std::uint64_t{std::random_device{}()} << 32)),
      warn_([this](const std::string& warning) { Warn(warning); }),
      model_(CheckedModel(plan_, feeders_)),
      fleet_(pool, FleetParts{plan_, stats_, feeders_, classes_, seed_, warn_, make_factory},
             [this] { OnController([this] { wake_.Wake(); }); }),
      wake_(pool.Context(0)) {
  status_.started_at = std::chrono::system_clock::now();
}

JobRunner::~JobRunner() = default;

template <typename Fn>
void JobRunner::OnController(Fn fn) {
  asio::post(pool_.Context(0), [self = shared_from_this(), fn = std::move(fn)] { fn(); });
}

void JobRunner::Launch() {
  fleet_.SetOwner(weak_from_this());
  asio::co_spawn(pool_.Context(0), Control(),
                 [self = shared_from_this()](std::exception_ptr error) {
                   if (!error) return;
                   try {
                     std::rethrow_exception(error);
                   } catch (const std::exception& e) {
                     self->Fail(std::string("internal error: ") + e.what());
                   }
                   self->SetPhase(JobPhase::kFailed);
                 });
}

// ---- control calls (any thread) -------------------------------------------------------------

void JobRunner::SetTargetUsers(std::uint32_t users) {
  model_->CheckTargetUsers(users);
  OnController([this, users] {
    model_->OverrideTargetUsers(users);
    wake_.Wake();
  });
}

void JobRunner::SetArrivalRate(double rate) {
  model_->CheckArrivalRate(rate);
  OnController([this, rate] {
    model_->OverrideArrivalRate(Elapsed(), rate);
    wake_.Wake();
  });
}

void JobRunner::Pause() {
  OnController([this] {
    pause_requested_ = true;
    wake_.Wake();
  });
}

void JobRunner::Resume() {
  OnController([this] {
    pause_requested_ = false;
    wake_.Wake();
  });
}

void JobRunner::Stop(bool immediate, std::optional<Duration> grace) {
  OnController([this, immediate, grace] {
    if (IsFinal(phase_.load())) return;
    if (stop_mode_ == StopMode::kNone) final_phase_ = JobPhase::kStopped;
    stop_mode_ = std::max(stop_mode_, immediate ? StopMode::kImmediate : StopMode::kGraceful);
    if (grace) grace_ = grace;
    if (immediate && job_steps_control_ != nullptr) job_steps_control_->Cancel();
    wake_.Wake();
  });
}

void JobRunner::Abort(std::string reason) {
  OnController([this, reason = std::move(reason)] {
    if (IsFinal(phase_.load())) return;
    final_phase_ = JobPhase::kAborted;
    Fail(reason);
    stop_mode_ = std::max(stop_mode_, StopMode::kGraceful);
    wake_.Wake();
  });
}

bool JobRunner::WaitUntilDone(Duration timeout) const {
  std::unique_lock lock(mutex_);
  return done_cv_.wait_for(lock, timeout, [this] { return done_; });
}

JobStatus JobRunner::Status() const {
  std::lock_guard lock(mutex_);
  JobStatus status = status_;
  status.phase = phase_.load();
  status.active_users = static_cast<std::uint32_t>(std::max<std::int64_t>(fleet_.Live(), 0));
  return status;
}

void JobRunner::SetPhase(JobPhase phase) {
  phase_.store(phase);
  if (!IsFinal(phase)) return;
  std::lock_guard lock(mutex_);
  status_.ended_at = std::chrono::system_clock::now();
  done_ = true;
  done_cv_.notify_all();
}

void JobRunner::Warn(const std::string& warning) {
  std::lock_guard lock(mutex_);
  if (std::find(status_.warnings.begin(), status_.warnings.end(), warning) ==
      status_.warnings.end()) {
    status_.warnings.push_back(warning);
  }
}

void JobRunner::Fail(const std::string& error) {
  std::lock_guard lock(mutex_);
  if (status_.error.empty()) status_.error = error;
}

// ---- controller (worker 0) -----------------------------------------------------------------

asio::awaitable<bool> JobRunner::RunJobSteps(const StepList& steps, const char* what) {
  if (steps.empty()) co_return true;
  UserControl control(pool_.Context(0));
  control.sender = fleet_.ControllerSender();
  UserState state(0, &plan_.variables, UserSeed(seed_, ~std::uint64_t{0}));
  StepContext context{plan_, stats_.ForWorker(0), state, control, warn_, {}, false,
                      {},    std::nullopt};
  job_steps_control_ = &control;
  if (stop_mode_ == StopMode::kImmediate) control.Cancel();
  co_await RunSteps(context, steps);
  job_steps_control_ = nullptr;
  control.sender->Close();
  std::set<std::string> names;
  CollectAssignedNames(steps, names);
  for (const std::string& name : names) {
    if (const std::string* value = state.Variable(name)) plan_.variables[name] = *value;
  }
  if (&steps == &plan_.setup) {
    std::lock_guard lock(mutex_);
    for (const std::string& name : names) {
      if (const std::string* value = state.Variable(name)) status_.setup_variables[name] = *value;
    }
  }
  if (context.failed) Fail(std::string(what) + " failed: " + context.first_error);
  co_return !context.failed && !control.cancelled;
}

asio::awaitable<void> JobRunner::Control() {
  auto self = shared_from_this();
  // (No co_await inside a conditional expression: GCC 12 miscompiles it.)
  bool setup_ok = true;
  if (plan_.phases != JobPhases::kTeardownOnly)
    setup_ok = co_await RunJobSteps(plan_.setup, "setup");
  if (!setup_ok) {
    final_phase_ = stop_mode_ == StopMode::kNone ? JobPhase::kFailed : final_phase_;
  } else if (stop_mode_ == StopMode::kNone && plan_.phases == JobPhases::kAll) {
    co_await WaitForLoadStart();
    if (stop_mode_ == StopMode::kNone) co_await RunLoad();
  }
  SetPhase(JobPhase::kStopping);
  co_await StopUsers();
  {
    // Load time ends with the last user (the drain counts, teardown does not): rates and rps
    // thresholds must not be diluted by a long teardown.
    std::lock_guard lock(mutex_);
    status_.elapsed = Elapsed();
  }
  if (stop_mode_ == StopMode::kImmediate) stop_mode_ = StopMode::kGraceful;  // teardown still runs
  if (plan_.phases != JobPhases::kSetupOnly) {
    // A failed teardown is reported in the error, the load result stands.
    co_await RunJobSteps(plan_.teardown, "teardown");
  }
  co_await fleet_.Release();
  SetPhase(final_phase_);
}

asio::awaitable<void> JobRunner::WaitForLoadStart() {
  if (!plan_.load_start_at) co_return;
  // Wall-clock: the instant is shared by the daemons of a fleet. Control calls (a stop) wake the
  // sleep; it re-reads the wall clock, so a clock step is followed within a second.
  while (stop_mode_ == StopMode::kNone) {
    const auto remaining = *plan_.load_start_at - std::chrono::system_clock::now();
    if (remaining <= std::chrono::system_clock::duration::zero()) break;
    co_await wake_.Sleep(std::min<Duration>(std::chrono::seconds(1), remaining));
  }
}

Duration JobRunner::Elapsed() const {
  if (load_start_ == TimePoint{}) return Duration{0};
  Duration paused = paused_total_;
  if (paused_) paused += clock_->Now() - paused_since_;
  return clock_->Now() - load_start_ - paused;
}

asio::awaitable<void> JobRunner::ApplyPause() {
  const bool paused = pause_requested_;
  if (paused) {
    paused_since_ = clock_->Now();
  } else {
    paused_total_ += clock_->Now() - paused_since_;
  }
  paused_ = paused;
  co_await fleet_.SetPaused(paused);
  SetPhase(paused ? JobPhase::kPaused : JobPhase::kRunning);
}

void JobRunner::PublishProgress(Duration elapsed, const LoadProgress& progress) {
  std::lock_guard lock(mutex_);
  status_.elapsed = elapsed;
  status_.stage = progress.stage;
  status_.progress = progress.progress;
  status_.target_users = progress.target_users;
  status_.target_rate = progress.target_rate;
}

asio::awaitable<void> JobRunner::RunLoad() {
  load_start_ = clock_->Now();
  SetPhase(JobPhase::kRunning);
  model_->Start(fleet_);
  while (stop_mode_ == StopMode::kNone) {
    if (pause_requested_ != paused_) co_await ApplyPause();
    const Duration elapsed = Elapsed();
    const LoadProgress progress = model_->Step(elapsed, paused_, fleet_);
    PublishProgress(elapsed, progress);
    if (progress.finished) break;
    co_await wake_.Sleep(progress.next_step);
  }
  if (stop_mode_ == StopMode::kNone) stop_mode_ = StopMode::kGraceful;
  model_->Finish(Elapsed(), fleet_);
}

asio::awaitable<void> JobRunner::StopUsers() {
  const bool immediate = stop_mode_ == StopMode::kImmediate;
  co_await fleet_.StopAll(immediate);
  const TimePoint deadline = clock_->Now() + grace_.value_or(plan_.load.graceful_stop);
  bool cancelled = immediate;
  while (fleet_.Live() > 0) {
    if (!cancelled && (stop_mode_ == StopMode::kImmediate || clock_->Now() >= deadline)) {
      cancelled = true;
      co_await fleet_.CancelAll();
      continue;
    }
    // Woken by the last user's end or by an immediate Stop.
    const Duration wait = cancelled ? kDrainRecheck : deadline - clock_->Now();
    co_await wake_.Sleep(wait);
  }
}

}  // namespace throng::engine
