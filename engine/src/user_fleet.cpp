#include "user_fleet.h"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>

#include "completion_latch.h"
#include "throng/engine/limits.h"

namespace throng::engine {

namespace asio = boost::asio;

UserFleet::UserFleet(WorkerPool& pool, const FleetParts& parts, std::function<void()> on_empty)
    : pool_(pool), parts_(parts), on_empty_(std::move(on_empty)), shards_(pool.Size()) {
  for (std::size_t w = 0; w < shards_.size(); ++w) {
    Shard& shard = shards_[w];
    shard.factory = parts_.make_factory(pool.Context(w), parts_.plan.http);
    shard.env.reset(new UserEnv{parts_.plan, parts_.stats.ForWorker(w), *shard.factory,
                                parts_.feeders, parts_.classes, parts_.seed, parts_.warn,
                                shard.paused});
  }
}

asio::awaitable<void> UserFleet::OnEachWorker(std::function<void(Shard&)> fn) {
  auto latch = std::make_shared<CompletionLatch>(pool_.Context(0), shards_.size());
  for (std::size_t w = 0; w < shards_.size(); ++w) {
    asio::post(pool_.Context(w), [this, keep = KeepAlive(), w, fn, latch] {
      fn(shards_[w]);
      latch->CountDown();
    });
  }
  co_await latch->Wait();
}

void UserFleet::Spawn(UserSpawn spawn) {
  live_.fetch_add(1);  // counted before it runs so the controller never sees a gap
  const std::size_t worker = spawn.first_index % shards_.size();
  asio::post(pool_.Context(worker), [this, keep = KeepAlive(), worker, spawn = std::move(spawn)] {
    StartUser(worker, spawn, false);
  });
}

void UserFleet::SetTarget(std::uint32_t users) {
  for (std::size_t w = 0; w < shards_.size(); ++w) {
    asio::post(pool_.Context(w), [this, keep = KeepAlive(), w, users] { ApplyTarget(w, users); });
  }
}

void UserFleet::ApplyTarget(std::size_t worker, std::uint32_t users) {
  Shard& shard = shards_[worker];
  shard.target = users;
  if (!shard.filling) FillToTarget(worker);  // else the pending turn applies the new target
}

void UserFleet::FillToTarget(std::size_t worker) {
  Shard& shard = shards_[worker];
  shard.filling = false;
  if (shard.stopping) return;
  const std::size_t workers = shards_.size();
  const std::uint32_t users = shard.target;
  const std::size_t wanted = users > worker ? (users - worker + workers - 1) / workers : 0;
  while (shard.active.size() > wanted) {
    shard.active.back()->RequestStop();  // the highest index goes first, like Locust
    shard.active.pop_back();
  }
  for (std::size_t started = 0; shard.active.size() < wanted; ++started) {
    if (started == kMaxSpawnsPerTurn) {
      // The rest in a later turn, so the worker's other work (other jobs, a stop) goes on.
      shard.filling = true;
      asio::post(pool_.Context(worker),
                 [this, keep = KeepAlive(), worker] { FillToTarget(worker); });
      return;
    }
    const std::uint64_t index = worker + shard.active.size() * workers;
    live_.fetch_add(1);
    StartUser(worker, UserSpawn{index, 1, index + 1, IterationBudget{}, nullptr}, true);
  }
}

void UserFleet::AssignArrival(std::size_t user, TimePoint intended) {
  const std::size_t worker = user % shards_.size();
  asio::post(pool_.Context(worker), [this, keep = KeepAlive(), worker, user, intended] {
    Shard& shard = shards_[worker];
    auto it = shard.open_users.find(user);
    if (it == shard.open_users.end() || it->second.control->stop_requested) {
      parts_.stats.ForWorker(worker).RecordDroppedIteration();  // never silently lost
      return;
    }
    it->second.slot->pending = intended;
    if (it->second.control->wait == UserControl::Wait::kIdle) it->second.control->timer.cancel();
  });
}

void UserFleet::StartUser(std::size_t worker, UserSpawn spawn, bool counts_toward_target) {
  Shard& shard = shards_[worker];
  auto control = std::make_shared<UserControl>(pool_.Context(worker));
  if (spawn.slot) shard.open_users.emplace(spawn.slot->user, OpenUser{spawn.slot, control});
  const std::uint64_t serial = shard.next_serial++;
  shard.live.emplace(serial, control);
  if (counts_toward_target) shard.active.push_back(control);
  if (shard.stopping) control->RequestStop();
  auto run = [this, keep = KeepAlive(), worker, control, serial,
              spawn = std::move(spawn)]() -> asio::awaitable<void> {
    Shard& shard = shards_[worker];
    try {
      for (std::uint64_t index = spawn.first_index;
           index < spawn.end_index && !control->stop_requested; index += spawn.index_step) {
        co_await RunVirtualUser(*shard.env, *control, index, spawn.budget);
      }
    } catch (const std::exception& e) {
      parts_.warn(std::string("a user stopped on an internal error: ") + e.what());
    }
    shard.live.erase(serial);
    if (spawn.slot) {
      shard.open_users.erase(spawn.slot->user);
      // An arrival handed to this user that never started (the job stopped first) is dropped,
      // and counted as such: nothing is silently lost.
      if (spawn.slot->pending) parts_.stats.ForWorker(worker).RecordDroppedIteration();
    }
    auto it = std::find(shard.active.begin(), shard.active.end(), control);
    if (it != shard.active.end()) shard.active.erase(it);
    UserEnded();
  };
  asio::co_spawn(pool_.Context(worker), std::move(run), asio::detached);
}

void UserFleet::UserEnded() {
  if (live_.fetch_sub(1) == 1) on_empty_();
}

asio::awaitable<void> UserFleet::SetPaused(bool paused) {
  co_await OnEachWorker([paused](Shard& shard) {
    shard.paused = paused;
    if (paused) return;
    for (auto& [serial, user] : shard.live) {
      if (user->wait == UserControl::Wait::kPaused) user->timer.cancel();
    }
  });
}

asio::awaitable<void> UserFleet::StopAll(bool immediate) {
  co_await OnEachWorker([immediate](Shard& shard) {
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
}

asio::awaitable<void> UserFleet::CancelAll() {
  co_await OnEachWorker([](Shard& shard) {
    for (auto& [serial, user] : shard.live) user->Cancel();
  });
}

asio::awaitable<void> UserFleet::Release() {
  co_await OnEachWorker([](Shard& shard) {
    shard.env.reset();
    shard.factory.reset();
  });
}

}  // namespace throng::engine
