#include "throng/engine/user_state.h"

#include <algorithm>

namespace throng::engine {

UserState::UserState(std::uint64_t user_index,
                     const std::map<std::string, std::string>* job_variables, std::uint64_t seed)
    : user_index_(user_index), job_variables_(job_variables), random_(seed) {}

void UserState::SetVariable(std::string_view name, std::string value) {
  const auto it = variables_.find(name);
  if (it != variables_.end()) {
    it->second = std::move(value);
  } else {
    variables_.emplace(std::string(name), std::move(value));
  }
}

void UserState::UnsetVariable(std::string_view name) {
  const auto it = variables_.find(name);
  if (it != variables_.end()) variables_.erase(it);
}

bool UserState::IsEmpty(std::string_view name) const {
  const std::string* value = Variable(name);
  return value == nullptr || value->empty();
}

std::vector<std::string>& UserState::List(std::string_view name) {
  const auto it = lists_.find(name);
  if (it != lists_.end()) return it->second;
  return lists_.emplace(std::string(name), std::vector<std::string>{}).first->second;
}

void UserState::SetFeedRow(std::string_view feeder, const FeederPlan* feeder_plan,
                           std::size_t row) {
  const auto it = std::find_if(feed_rows_.begin(), feed_rows_.end(),
                               [&](const FeedRow& entry) { return entry.feeder == feeder; });
  if (it != feed_rows_.end()) {
    it->plan = feeder_plan;
    it->row = row;
  } else {
    feed_rows_.push_back(FeedRow{std::string(feeder), feeder_plan, row});
  }
}

void UserState::Reset() {
  variables_.clear();
  lists_.clear();
}

const std::string* UserState::Variable(std::string_view name) const {
  if (const auto it = variables_.find(name); it != variables_.end()) return &it->second;
  if (job_variables_ == nullptr) return nullptr;
  // The job map uses std::less<std::string>, so look up with a string (short names stay in SSO).
  const auto it = job_variables_->find(std::string(name));
  return it != job_variables_->end() ? &it->second : nullptr;
}

const std::string* UserState::FeedValue(std::string_view feeder, std::string_view column) const {
  for (const FeedRow& entry : feed_rows_) {
    if (entry.feeder != feeder || entry.plan == nullptr) continue;
    const auto& columns = entry.plan->columns;
    const auto col = std::find(columns.begin(), columns.end(), column);
    if (col == columns.end() || entry.row >= entry.plan->rows.size()) return nullptr;
    const auto& values = entry.plan->rows[entry.row];
    const auto index = static_cast<std::size_t>(col - columns.begin());
    return index < values.size() ? &values[index] : nullptr;
  }
  return nullptr;
}

std::size_t UserState::ListSize(std::string_view list) const {
  const auto it = lists_.find(list);
  return it != lists_.end() ? it->second.size() : 0;
}

}  // namespace throng::engine
