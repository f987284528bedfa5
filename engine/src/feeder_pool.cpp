#include "throng/engine/feeder_pool.h"

#include <random>
#include <string>

namespace throng::engine {
namespace {

std::string Describe(const FeederPlan& feeder) {
  return "feeder \"" + feeder.name + "\" has " + std::to_string(feeder.rows.size()) + " row" +
         (feeder.rows.size() == 1 ? "" : "s");
}

}  // namespace

FeederPool::FeederPool(const std::vector<FeederPlan>& feeders)
    : feeders_(&feeders), cursors_(std::make_unique<Cursor[]>(feeders.size())) {}

void FeederPool::AssignRows(UserState& user) {
  for (std::size_t i = 0; i < feeders_->size(); ++i) {
    const FeederPlan& feeder = (*feeders_)[i];
    const std::uint64_t count = feeder.rows.size();
    if (count == 0) throw FeederExhausted(Describe(feeder));
    std::uint64_t row = 0;
    switch (feeder.mode) {
      case FeederPlan::Mode::kUnique:
        // Relaxed is enough: the counter only has to hand out distinct numbers.
        row = cursors_[i].next.fetch_add(1, std::memory_order_relaxed);
        if (row >= count) {
          throw FeederExhausted(Describe(feeder) + " and every one is taken (mode unique)");
        }
        break;
      case FeederPlan::Mode::kRoundRobin:
        row = cursors_[i].next.fetch_add(1, std::memory_order_relaxed) % count;
        break;
      case FeederPlan::Mode::kRandom:
        row = std::uniform_int_distribution<std::uint64_t>(0, count - 1)(user.Random());
        break;
    }
    user.SetFeedRow(feeder.name, &feeder, static_cast<std::size_t>(row));
  }
}

void FeederPool::CheckCapacity(std::uint64_t max_users) const {
  for (const FeederPlan& feeder : *feeders_) {
    if (feeder.rows.empty()) throw FeederExhausted(Describe(feeder));
    if (feeder.mode == FeederPlan::Mode::kUnique && feeder.rows.size() < max_users) {
      throw FeederExhausted(Describe(feeder) + " but up to " + std::to_string(max_users) +
                            " users need a unique row each");
    }
  }
}

}  // namespace throng::engine
