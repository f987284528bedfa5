// The virtual users of one job across the worker pool: starting, steering and stopping them.
#pragma once

// clang-format off
#include <utility>  // first: Asio 1.18 awaitable.hpp uses std::exchange without including it
// clang-format on

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "step_runner.h"
#include "throng/engine/engine.h"
#include "throng/engine/feeder_pool.h"
#include "throng/engine/stats.h"
#include "virtual_user.h"
#include "weighted.h"
#include "worker_pool.h"

namespace throng::engine {

/// How one user starts: user `first_index`, then (a chain run one after another in the same slot)
/// first_index + index_step, ... below end_index. The first index picks the worker (index % N).
struct UserSpawn {
  std::uint64_t first_index = 0;
  std::uint64_t index_step = 1;
  std::uint64_t end_index = 1;
  IterationBudget budget;
  /// Open model: the user's inbox (budget.arrivals points into it).
  std::shared_ptr<ArrivalSlot> slot;
};

/// What the fleet's users share, borrowed from the job (which outlives the fleet).
struct FleetParts {
  const Plan& plan;
  JobStats& stats;
  FeederPool& feeders;
  const WeightedSequence& classes;
  std::uint64_t seed;
  const std::function<void(const std::string&)>& warn;
  const SenderFactoryMaker& make_factory;
};

/// One job's users, sharded over the workers (user i on worker i % N); each shard is touched only
/// on its worker's thread. Control methods are called on the job's controller (worker 0); the
/// awaitable ones complete once every worker has applied them. Live() is thread-safe.
class UserFleet {
 public:
  /// `on_empty` runs (on any worker) each time the last live user ends.
  UserFleet(WorkerPool& pool, const FleetParts& parts, std::function<void()> on_empty);

  /// Posted work holds `owner` (the job) alive. Call once before anything else.
  void SetOwner(std::weak_ptr<const void> owner) { owner_ = std::move(owner); }

  std::size_t Workers() const { return shards_.size(); }
  /// Users started and not yet ended (counted before they run).
  std::int64_t Live() const { return live_.load(); }
  /// Worker 0's recorder: the controller's own figures (late and dropped arrivals).
  ThreadStats& ControllerStats() { return parts_.stats.ForWorker(0); }
  /// A sender for the controller's own flows (setup, teardown); on worker 0 only.
  std::unique_ptr<RequestSender> ControllerSender() { return shards_[0].factory->Create(); }

  /// Starts a user (chain) on its worker.
  void Spawn(UserSpawn spawn);
  /// Closed model: keeps users 0 .. users-1 running; extra users stop gracefully, the highest
  /// index first (like Locust).
  void SetTarget(std::uint32_t users);
  /// Open model: hands an arrival intended for `intended` to idle user `user`; counted as dropped
  /// when that user is gone.
  void AssignArrival(std::size_t user, TimePoint intended);

  boost::asio::awaitable<void> SetPaused(bool paused);
  /// No new users from now on; live ones stop gracefully (or are cancelled when `immediate`).
  boost::asio::awaitable<void> StopAll(bool immediate);
  boost::asio::awaitable<void> CancelAll();
  /// Releases the senders and factories on their own workers (the job is over).
  boost::asio::awaitable<void> Release();

 private:
  struct OpenUser {
    std::shared_ptr<ArrivalSlot> slot;
    std::shared_ptr<UserControl> control;
  };
  /// A job's users on one worker. Touched only on that worker's thread.
  struct Shard {
    std::unique_ptr<RequestSenderFactory> factory;
    std::unique_ptr<UserEnv> env;
    bool paused = false;
    bool stopping = false;     // no new users
    std::uint32_t target = 0;  // closed model: the job's user target
    bool filling = false;      // a FillToTarget turn is posted (kMaxSpawnsPerTurn per turn)
    std::vector<std::shared_ptr<UserControl>> active;            // closed model, by index
    std::map<std::uint64_t, std::shared_ptr<UserControl>> live;  // every running user, by serial
    std::map<std::size_t, OpenUser> open_users;                  // open model, by user number
    std::uint64_t next_serial = 0;
  };

  boost::asio::awaitable<void> OnEachWorker(std::function<void(Shard&)> fn);
  void ApplyTarget(std::size_t worker, std::uint32_t users);
  void FillToTarget(std::size_t worker);
  void StartUser(std::size_t worker, UserSpawn spawn, bool counts_toward_target);
  void UserEnded();
  std::shared_ptr<const void> KeepAlive() const { return owner_.lock(); }

  WorkerPool& pool_;
  FleetParts parts_;
  std::function<void()> on_empty_;
  std::weak_ptr<const void> owner_;
  std::vector<Shard> shards_;
  std::atomic<std::int64_t> live_{0};
};

}  // namespace throng::engine
