// One virtual user's scenario state: variables, lists, feeder rows and random generator.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "throng/engine/plan.h"
#include "throng/engine/template.h"

namespace throng::engine {

/// One virtual user's variables, lists, feeder rows and RNG. Not thread-safe: owned and used by one
/// user on its worker thread. Job variables and feeder plans are borrowed and must outlive it.
class UserState final : public TemplateScope {
 public:
  /// `job_variables` may be null (no job-level variables); `seed` seeds the user's generator.
  UserState(std::uint64_t user_index, const std::map<std::string, std::string>* job_variables,
            std::uint64_t seed);

  /// Sets a user-level variable (it shadows a job-level one of the same name).
  void SetVariable(std::string_view name, std::string value);
  /// Removes a user-level variable; a job-level one of the same name becomes visible again.
  void UnsetVariable(std::string_view name);
  /// True when the variable is unset (user and job level) or "".
  bool IsEmpty(std::string_view name) const;
  /// The per-user list `name`, created empty on first use. The reference stays valid until Reset().
  std::vector<std::string>& List(std::string_view name);
  /// Records that the user drew `row` of `feeder_plan` (registered under `feeder`); replaces an
  /// earlier row of the same feeder.
  void SetFeedRow(std::string_view feeder, const FeederPlan* feeder_plan, std::size_t row);
  /// Forgets user variables and lists (the user restarts). Feeder rows are kept: a user keeps its
  /// row for its whole life.
  void Reset();

  const std::string* Variable(std::string_view name) const override;
  const std::string* FeedValue(std::string_view feeder, std::string_view column) const override;
  std::size_t ListSize(std::string_view list) const override;
  std::uint64_t UserIndex() const override { return user_index_; }
  std::mt19937_64& Random() const override { return random_; }

 private:
  struct FeedRow {
    std::string feeder;
    const FeederPlan* plan = nullptr;
    std::size_t row = 0;
  };

  std::uint64_t user_index_;
  const std::map<std::string, std::string>* job_variables_;
  std::map<std::string, std::string, std::less<>> variables_;
  std::map<std::string, std::vector<std::string>, std::less<>> lists_;
  std::vector<FeedRow> feed_rows_;  // few feeders per job: a linear scan beats a map
  mutable std::mt19937_64 random_;
};

}  // namespace throng::engine
