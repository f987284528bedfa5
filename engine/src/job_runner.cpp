#include "job_runner.h"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cmath>
#include <random>
#include <set>

namespace throng::engine {
namespace {

namespace asio = boost::asio;

constexpr Duration kControlPeriod = std::chrono::milliseconds(50);
constexpr Duration kDrainPeriod = std::chrono::milliseconds(5);

std::vector<std::uint32_t> ClassWeights(const Plan& plan) {
  std::vector<std::uint32_t> weights;
  for (const auto& user_class : plan.user_classes) weights.push_back(user_class.weight);
  return weights;
}

// Names a setup flow can set, so their values can be promoted to job variables.
void CollectAssignedNames(const StepList& steps, std::set<std::string>& names) {
  for (const StepPlan& step : steps) {
    if (const auto* request = std::get_if<RequestPlan>(&step.action)) {
      for (const auto& extract : request->extract) names.insert(extract.var);
    } else if (const auto* choice = std::get_if<ChoicePlan>(&step.action)) {
      for (const auto& branch : choice->branches) CollectAssignedNames(branch.steps, names);
    } else if (const auto* repeat = std::get_if<RepeatPlan>(&step.action)) {
      CollectAssignedNames(repeat->steps, names);
    } else if (const auto* list_op = std::get_if<ListOpPlan>(&step.action)) {
      if (!list_op->var.empty()) names.insert(list_op->var);
    } else if (const auto* set = std::get_if<SetVariablesPlan>(&step.action)) {
      for (const auto& value : set->values) names.insert(value.first);
    }
  }
}

}  // namespace

JobRunner::JobRunner(Plan plan, WorkerPool& pool, const SenderFactoryMaker& make_factory,
                     std::shared_ptr<const Clock> clock, JobObserver* observer)
    : plan_(std::move(plan)),
      pool_(pool),
      clock_(std::move(clock)),
      observer_(observer),
      stats_(plan_.endpoints, pool.Size()),
      feeders_(plan_.feeders),
      classes_(ClassWeights(plan_)),
      seed_(std::random_device{}() ^ (std::uint64_t{std::random_device{}()} << 32)),
      warn_([this](const std::string& warning) { Warn(warning); }),
      shards_(pool.Size()) {
  if (plan_.user_classes.empty()) throw JobError("the job has no user classes");
  if (const auto* open = std::get_if<OpenModelPlan>(&plan_.load.model)) {
    if (open->max_users == 0) throw JobError("load.open.max_users: must be >= 1");
    arrivals_.emplace(*open, plan_.load.duration);
    dispatcher_ = std::make_unique<ArrivalDispatcher>(open->pre_allocated_users, open->max_users);
  }
  if (const auto* closed = std::get_if<ClosedModelPlan>(&plan_.load.model)) {
    schedule_.emplace(*closed, plan_.load.duration);
  }
  try {
    feeders_.CheckCapacity(MaxUsers());
  } catch (const FeederExhausted& e) {
    throw JobError(e.what());
  }
  for (std::size_t w = 0; w < shards_.size(); ++w) {
    shards_[w].factory = make_factory(pool.Context(w), plan_.http);
    shards_[w].env.reset(new UserEnv{plan_, stats_.ForWorker(w), *shards_[w].factory, feeders_,
                                     classes_, seed_, warn_, shards_[w].paused});
  }
  status_.started_at = std::chrono::system_clock::now();
}

JobRunner::~JobRunner() = default;

std::uint32_t JobRunner::MaxUsers() const {
  if (const auto* closed = std::get_if<ClosedModelPlan>(&plan_.load.model)) {
    std::uint32_t most = closed->users;
    for (const auto& stage : closed->stages) most = std::max(most, stage.users);
    return most;
  }
  if (const auto* per_user = std::get_if<PerUserIterationsPlan>(&plan_.load.model)) {
    return per_user->users;
  }
  if (const auto* open = std::get_if<OpenModelPlan>(&plan_.load.model)) return open->max_users;
  return std::get<SharedIterationsPlan>(plan_.load.model).users;
}

void JobRunner::Launch() {
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
  if (!std::holds_alternative<ClosedModelPlan>(plan_.load.model)) {
    throw JobError("target users can only be changed for a closed-model job");
  }
  asio::post(pool_.Context(0),
             [self = shared_from_this(), users] { self->target_override_ = users; });
}

void JobRunner::SetArrivalRate(double rate) {
  if (!arrivals_) throw JobError("not an open-model job");
  if (!std::isfinite(rate) || rate < 0) throw JobError("rate: must be a number >= 0");
  asio::post(pool_.Context(0), [self = shared_from_this(), rate] {
    self->arrivals_->SetRate(self->Elapsed(), rate);
  });
}

std::uint64_t JobRunner::LateIterations() const {
  return dispatcher_ ? dispatcher_->LateCount() : 0;
}

void JobRunner::Pause() {
  asio::post(pool_.Context(0), [self = shared_from_this()] { self->pause_requested_ = true; });
}

void JobRunner::Resume() {
  asio::post(pool_.Context(0), [self = shared_from_this()] { self->pause_requested_ = false; });
}

void JobRunner::Stop(bool immediate, std::optional<Duration> grace) {
  asio::post(pool_.Context(0), [self = shared_from_this(), immediate, grace] {
    if (IsFinal(self->phase_.load())) return;
    if (self->stop_mode_ == StopMode::kNone) self->final_phase_ = JobPhase::kStopped;
    const StopMode mode = immediate ? StopMode::kImmediate : StopMode::kGraceful;
    self->stop_mode_ = std::max(self->stop_mode_, mode);
    if (grace) self->grace_ = grace;
    if (immediate && self->job_steps_control_ != nullptr) self->job_steps_control_->Cancel();
    if (self->tick_timer_ != nullptr) self->tick_timer_->cancel();
  });
}

void JobRunner::Abort(std::string reason) {
  asio::post(pool_.Context(0), [self = shared_from_this(), reason = std::move(reason)] {
    if (IsFinal(self->phase_.load())) return;
    self->final_phase_ = JobPhase::kAborted;
    self->Fail(reason);
    self->stop_mode_ = std::max(self->stop_mode_, StopMode::kGraceful);
    if (self->tick_timer_ != nullptr) self->tick_timer_->cancel();
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
  status.active_users = static_cast<std::uint32_t>(std::max<std::int64_t>(live_users_.load(), 0));
  return status;
}

void JobRunner::SetPhase(JobPhase phase) {
  const JobPhase old = phase_.exchange(phase);
  if (IsFinal(phase)) {
    std::lock_guard lock(mutex_);
    status_.ended_at = std::chrono::system_clock::now();
    done_ = true;
    done_cv_.notify_all();
  }
  if (old != phase && observer_ != nullptr) observer_->OnPhaseChange(*this, phase);
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

asio::awaitable<void> JobRunner::Tick(Duration period) {
  asio::steady_timer timer(pool_.Context(0));
  timer.expires_after(std::chrono::duration_cast<std::chrono::steady_clock::duration>(period));
  tick_timer_ = &timer;
  boost::system::error_code ec;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  tick_timer_ = nullptr;
}

asio::awaitable<void> JobRunner::OnEachWorker(std::function<void(std::size_t, Shard&)> fn) {
  auto pending = std::make_shared<std::atomic<std::size_t>>(shards_.size());
  for (std::size_t w = 0; w < shards_.size(); ++w) {
    asio::post(pool_.Context(w), [this, w, fn, pending] {
      fn(w, shards_[w]);
      pending->fetch_sub(1);
    });
  }
  while (pending->load() != 0) co_await Tick(kDrainPeriod);
}

asio::awaitable<bool> JobRunner::RunJobSteps(const StepList& steps, const char* what) {
  if (steps.empty()) co_return true;
  UserControl control(pool_.Context(0));
  control.sender = shards_[0].factory->Create();
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
  if (context.failed) Fail(std::string(what) + " failed: " + context.first_error);
  co_return !context.failed && !control.cancelled;
}

asio::awaitable<void> JobRunner::Control() {
  auto self = shared_from_this();
  const bool setup_ok = co_await RunJobSteps(plan_.setup, "setup");
  if (!setup_ok) {
    final_phase_ = stop_mode_ == StopMode::kNone ? JobPhase::kFailed : final_phase_;
  } else if (stop_mode_ == StopMode::kNone) {
    co_await RunLoad();
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
  const bool teardown_ok = co_await RunJobSteps(plan_.teardown, "teardown");
  (void)teardown_ok;  // a failed teardown is reported in the error, the load result stands
  // Senders and factories belong to their worker thread: release them there.
  co_await OnEachWorker([](std::size_t, Shard& shard) {
    shard.env.reset();
    shard.factory.reset();
  });
  SetPhase(final_phase_);
}

Duration JobRunner::Elapsed() const {
  if (load_start_ == TimePoint{}) return Duration{0};
  Duration paused = paused_total_;
  if (paused_) paused += clock_->Now() - paused_since_;
  return clock_->Now() - load_start_ - paused;
}

asio::awaitable<void> JobRunner::RunLoad() {
  load_start_ = clock_->Now();
  SetPhase(JobPhase::kRunning);
  StartUsers();
  while (stop_mode_ == StopMode::kNone) {
    if (pause_requested_ != paused_) {
      const bool paused = pause_requested_;
      if (paused) {
        paused_since_ = clock_->Now();
      } else {
        paused_total_ += clock_->Now() - paused_since_;
      }
      paused_ = paused;
      co_await OnEachWorker([paused](std::size_t, Shard& shard) {
        shard.paused = paused;
        if (paused) return;
        for (auto& [serial, user] : shard.live) {
          if (user->wait == UserControl::Wait::kPaused) user->timer.cancel();
        }
      });
      SetPhase(paused ? JobPhase::kPaused : JobPhase::kRunning);
    }
    const Duration elapsed = Elapsed();
    SchedulePoint point;
    if (schedule_) {
      point = schedule_->At(elapsed);
      PostTarget(target_override_.value_or(point.users));
    } else {
      const std::optional<Duration> total =
          arrivals_ ? arrivals_->TotalDuration() : plan_.load.duration;
      if (total) {
        point.progress = total->count() <= 0
                             ? 1.0
                             : std::min(1.0, std::chrono::duration<double>(elapsed).count() /
                                                 std::chrono::duration<double>(*total).count());
        point.finished = elapsed >= *total;
      }
      if (arrivals_) {
        point.stage = arrivals_->StageAt(elapsed);
        DispatchArrivals(elapsed);
      }
    }
    {
      std::lock_guard lock(mutex_);
      status_.elapsed = elapsed;
      status_.stage = point.stage;
      status_.progress = point.progress;
      status_.target_users = sent_target_.value_or(MaxUsers());
      status_.target_rate = arrivals_ ? arrivals_->RateAt(elapsed) : 0;
    }
    if (point.finished) break;
    // Iteration models end when all their users are done.
    if (!schedule_ && !arrivals_ && live_users_.load() == 0) break;
    // Not a conditional inside the co_await operand: GCC 12 evaluates both arms there
    // (UntilNextArrival on a closed-model job read an empty optional).
    Duration wait = kControlPeriod;
    if (arrivals_ && !paused_) wait = UntilNextArrival(elapsed);
    co_await Tick(wait);
  }
  if (stop_mode_ == StopMode::kNone) stop_mode_ = StopMode::kGraceful;
  // Arrivals still waiting for a user never ran: they count as dropped, nothing is lost.
  if (dispatcher_) {
    for (std::size_t n = dispatcher_->TakeQueued(); n > 0; --n) {
      stats_.ForWorker(0).RecordDroppedIteration();
    }
  }
}

Duration JobRunner::UntilNextArrival(Duration elapsed) const {
  const std::optional<Duration> due = arrivals_->DueAt(next_arrival_);
  if (!due) return kControlPeriod;
  return std::clamp(*due - elapsed, Duration::zero(), kControlPeriod);
}

void JobRunner::DispatchArrivals(Duration elapsed) {
  const std::optional<Duration> total = arrivals_->TotalDuration();
  const std::uint32_t max_queue = std::get<OpenModelPlan>(plan_.load.model).max_queue;
  // Default bound: one second of arrivals at the current rate.
  const std::size_t bound =
      max_queue != 0
          ? max_queue
          : static_cast<std::size_t>(std::max(1.0, std::ceil(arrivals_->RateAt(elapsed))));
  const TimePoint real_now = std::chrono::steady_clock::now();
  for (;;) {
    const std::optional<Duration> due = arrivals_->DueAt(next_arrival_);
    if (!due || *due > elapsed || (total && *due >= *total)) break;
    ++next_arrival_;
    // The schedule runs on clock_; the users measure on the steady clock.
    const TimePoint intended = real_now - (elapsed - *due);
    const ArrivalDispatcher::Decision decision = dispatcher_->Arrive(intended, bound);
    switch (decision.outcome) {
      case ArrivalDispatcher::Outcome::kAssigned: {
        const std::size_t worker = decision.user % shards_.size();
        asio::post(pool_.Context(worker),
                   [self = shared_from_this(), worker, user = decision.user, intended] {
                     self->AssignArrival(worker, user, intended);
                   });
        break;
      }
      case ArrivalDispatcher::Outcome::kSpawn:
        PostOpenUser(decision.user, intended);
        break;
      case ArrivalDispatcher::Outcome::kQueued:
        stats_.ForWorker(0).RecordLateIteration();  // the controller runs on worker 0
        break;
      case ArrivalDispatcher::Outcome::kDropped:
        stats_.ForWorker(0).RecordDroppedIteration();  // the controller runs on worker 0
        break;
    }
  }
}

void JobRunner::PostOpenUser(std::size_t user, std::optional<TimePoint> intended) {
  live_users_.fetch_add(1);  // counted before it runs, like StartUsers
  const std::size_t worker = user % shards_.size();
  auto slot =
      std::make_shared<ArrivalSlot>(ArrivalSlot{dispatcher_.get(), user, intended, !intended});
  asio::post(pool_.Context(worker), [self = shared_from_this(), worker, user, slot] {
    self->SpawnUser(worker, user, 1, user + 1, IterationBudget{0, nullptr, 0, slot.get()}, false,
                    slot);
  });
}

void JobRunner::AssignArrival(std::size_t worker, std::size_t user, TimePoint intended) {
  Shard& shard = shards_[worker];
  auto it = shard.open_users.find(user);
  if (it == shard.open_users.end() || it->second.second->stop_requested) {
    stats_.ForWorker(worker).RecordDroppedIteration();  // the user is gone: never silently lost
    return;
  }
  auto& [slot, control] = it->second;
  slot->pending = intended;
  if (control->wait == UserControl::Wait::kIdle) control->timer.cancel();
}

void JobRunner::StartUsers() {
  struct Spawn {
    std::uint64_t first, step, end;
    IterationBudget budget;
  };
  std::vector<Spawn> spawns;
  if (const auto* per_user = std::get_if<PerUserIterationsPlan>(&plan_.load.model)) {
    // Slot j runs users j, j + C, j + 2C, ... one after another: at most C at once.
    const std::uint64_t slots = per_user->max_concurrency == 0
                                    ? per_user->users
                                    : std::min(per_user->max_concurrency, per_user->users);
    for (std::uint64_t slot = 0; slot < slots; ++slot) {
      IterationBudget budget{std::max<std::uint32_t>(per_user->iterations, 1), nullptr, 0, nullptr};
      spawns.push_back({slot, slots, per_user->users, budget});
    }
  } else if (dispatcher_) {
    for (std::size_t user = 0; user < dispatcher_->Users(); ++user)
      PostOpenUser(user, std::nullopt);
  } else if (const auto* shared = std::get_if<SharedIterationsPlan>(&plan_.load.model)) {
    for (std::uint64_t user = 0; user < shared->users; ++user) {
      spawns.push_back({user, 1, user + 1, {0, &shared_iterations_, shared->iterations, nullptr}});
    }
  }
  // Counted before they run so the controller never sees a finished job in between.
  live_users_.fetch_add(static_cast<std::int64_t>(spawns.size()));
  for (const Spawn& spawn : spawns) {
    const std::size_t worker = spawn.first % shards_.size();
    asio::post(pool_.Context(worker), [self = shared_from_this(), worker, spawn] {
      self->SpawnUser(worker, spawn.first, spawn.step, spawn.end, spawn.budget, false);
    });
  }
}

void JobRunner::PostTarget(std::uint32_t users) {
  if (sent_target_ == users) return;
  sent_target_ = users;
  for (std::size_t w = 0; w < shards_.size(); ++w) {
    asio::post(pool_.Context(w),
               [self = shared_from_this(), w, users] { self->ApplyTarget(w, users); });
  }
}

void JobRunner::ApplyTarget(std::size_t worker, std::uint32_t users) {
  Shard& shard = shards_[worker];
  if (shard.stopping) return;
  const std::size_t workers = shards_.size();
  const std::size_t wanted = users > worker ? (users - worker + workers - 1) / workers : 0;
  while (shard.active.size() > wanted) {
    shard.active.back()->RequestStop();  // the highest index goes first, like Locust
    shard.active.pop_back();
  }
  while (shard.active.size() < wanted) {
    const std::uint64_t index = worker + shard.active.size() * workers;
    live_users_.fetch_add(1);
    SpawnUser(worker, index, 1, index + 1, IterationBudget{}, true);
  }
}

void JobRunner::SpawnUser(std::size_t worker, std::uint64_t first_index, std::uint64_t index_step,
                          std::uint64_t end_index, IterationBudget budget, bool track_active,
                          std::shared_ptr<ArrivalSlot> slot) {
  Shard& shard = shards_[worker];
  auto control = std::make_shared<UserControl>(pool_.Context(worker));
  if (slot) shard.open_users.emplace(slot->user, std::make_pair(slot, control));
  const std::uint64_t serial = shard.next_serial++;
  shard.live.emplace(serial, control);
  if (track_active) shard.active.push_back(control);
  if (shard.stopping) control->RequestStop();
  auto run = [self = shared_from_this(), worker, control, serial, first_index, index_step,
              end_index, budget, slot]() -> asio::awaitable<void> {
    Shard& shard = self->shards_[worker];
    try {
      for (std::uint64_t index = first_index; index < end_index && !control->stop_requested;
           index += index_step) {
        co_await RunVirtualUser(*shard.env, *control, index, budget);
      }
    } catch (const std::exception& e) {
      self->Warn(std::string("a user stopped on an internal error: ") + e.what());
    }
    shard.live.erase(serial);
    if (slot) {
      shard.open_users.erase(slot->user);
      // An arrival handed to this user that never started (the job stopped first) is dropped,
      // and counted as such: nothing is silently lost.
      if (slot->pending) self->stats_.ForWorker(worker).RecordDroppedIteration();
    }
    auto it = std::find(shard.active.begin(), shard.active.end(), control);
    if (it != shard.active.end()) shard.active.erase(it);
    self->live_users_.fetch_sub(1);
  };
  asio::co_spawn(pool_.Context(worker), std::move(run), asio::detached);
}

asio::awaitable<void> JobRunner::StopUsers() {
  const bool immediate = stop_mode_ == StopMode::kImmediate;
  co_await OnEachWorker([immediate](std::size_t, Shard& shard) {
    shard.stopping = true;
    shard.paused = false;
    shard.active.clear();
    for (auto& [serial, user] : shard.live) {
      if (immediate) {
        user->Cancel();
      } else {
        user->RequestStop();
      }
    }
  });
  const TimePoint deadline = clock_->Now() + grace_.value_or(plan_.load.graceful_stop);
  bool cancelled = immediate;
  while (live_users_.load() > 0) {
    if (!cancelled && (stop_mode_ == StopMode::kImmediate || clock_->Now() >= deadline)) {
      cancelled = true;
      co_await OnEachWorker([](std::size_t, Shard& shard) {
        for (auto& [serial, user] : shard.live) user->Cancel();
      });
    }
    co_await Tick(kDrainPeriod);
  }
}

}  // namespace throng::engine
