#include "throng/api/registry/job_registry.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <stdexcept>

#include "throng/api/spec/spec_redaction.h"

namespace throng::api {
namespace {

constexpr std::uint32_t kDefaultPageSize = 50;
constexpr std::uint32_t kMaxPageSize = 500;

/// The page token is the sequence number of the last job returned; listing resumes below it.
/// The sequence number a page token stands for; nullopt when it is not one ListJobs returned.
std::optional<std::int64_t> ParsePageToken(const std::string& token) {
  std::int64_t seq = 0;
  const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), seq);
  if (ec != std::errc() || end != token.data() + token.size() || seq <= 0) return std::nullopt;
  return seq;
}

}  // namespace

JobRegistry::JobRegistry(std::unique_ptr<RegistryStore> store, Clock clock)
    : store_(std::move(store)),
      clock_(clock ? std::move(clock) : Clock([] { return std::chrono::system_clock::now(); })) {
  const auto now = ToTimestamp(clock_());
  for (StoredJob& stored : store_->LoadAll()) {
    if (!IsFinal(stored.job.state()) && stored.job.state() != v1::JOB_STATE_UNSPECIFIED) {
      stored.job.set_state(v1::INTERRUPTED);
      stored.job.set_error("the daemon stopped while the job was running");
      *stored.job.mutable_ended_at() = now;
      store_->Save(stored);
      ++interrupted_on_open_;
    }
    next_seq_ = std::max(next_seq_, stored.seq + 1);
    seq_by_id_[stored.job.id()] = stored.seq;
    jobs_[stored.seq] = std::move(stored.job);
  }
}

std::string JobRegistry::NewId(std::int64_t seq, std::chrono::system_clock::time_point now) const {
  const auto day = std::chrono::floor<std::chrono::days>(now);
  const std::chrono::year_month_day ymd{day};
  return fmt::format("j-{:04}{:02}{:02}-{:06}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), seq);
}

v1::Job JobRegistry::Preview(v1::JobSpec spec) {
  RedactSpec(spec);
  v1::Job job;
  *job.mutable_spec() = std::move(spec);
  job.set_state(v1::QUEUED);
  return job;
}

v1::Job JobRegistry::Create(v1::JobSpec spec) {
  v1::Job job = Preview(std::move(spec));
  std::lock_guard lock(mutex_);
  const auto now = clock_();
  const std::int64_t seq = next_seq_;
  job.set_id(NewId(seq, now));
  *job.mutable_created_at() = ToTimestamp(now);
  store_->Save(StoredJob{seq, job});  // throws before anything is registered
  ++next_seq_;
  seq_by_id_[job.id()] = seq;
  jobs_[seq] = job;
  return job;
}

std::optional<v1::Job> JobRegistry::Get(const std::string& id) const {
  std::lock_guard lock(mutex_);
  const auto it = seq_by_id_.find(id);
  if (it == seq_by_id_.end()) return std::nullopt;
  return jobs_.at(it->second);
}

absl::StatusOr<JobPage> JobRegistry::List(const std::vector<v1::JobState>& states,
                                          std::uint32_t page_size,
                                          const std::string& page_token) const {
  const std::uint32_t limit = page_size == 0 ? kDefaultPageSize : std::min(page_size, kMaxPageSize);
  std::int64_t below = INT64_MAX;
  if (!page_token.empty()) {
    const std::optional<std::int64_t> seq = ParsePageToken(page_token);
    if (!seq) return absl::InvalidArgumentError("page_token: not a token returned by ListJobs");
    below = *seq;
  }
  const auto wanted = [&](v1::JobState state) {
    return states.empty() || std::find(states.begin(), states.end(), state) != states.end();
  };
  JobPage page;
  std::int64_t last_seq = 0;
  std::lock_guard lock(mutex_);
  for (auto it = std::make_reverse_iterator(jobs_.lower_bound(below)); it != jobs_.rend(); ++it) {
    if (!wanted(it->second.state())) continue;
    if (page.jobs.size() == limit) {
      page.next_page_token = std::to_string(last_seq);
      break;
    }
    page.jobs.push_back(it->second);
    last_seq = it->first;
  }
  return page;
}

std::vector<std::string> JobRegistry::UnfinishedIds() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> ids;
  for (const auto& [seq, job] : jobs_) {
    if (!IsFinal(job.state())) ids.push_back(job.id());
  }
  return ids;
}

std::optional<v1::Report> JobRegistry::FinalReport(const std::string& id) const {
  std::lock_guard lock(mutex_);
  if (!seq_by_id_.contains(id)) return std::nullopt;
  const std::optional<std::string> blob = store_->LoadReport(id);
  v1::Report report;
  if (!blob || !report.ParseFromString(*blob)) return std::nullopt;
  return report;
}

void MergeLiveFields(const v1::Job& live, v1::Job& job) {
  *job.mutable_totals() = live.totals();
  *job.mutable_thresholds() = live.thresholds();
  *job.mutable_warnings() = live.warnings();
  if (live.verdict() != v1::VERDICT_UNSPECIFIED) job.set_verdict(live.verdict());
}

bool JobRegistry::ApplyStateLocked(v1::Job& job, v1::JobState state, const std::string& error,
                                   v1::Verdict verdict) {
  if (IsFinal(job.state())) return false;
  const auto now = ToTimestamp(clock_());
  job.set_state(state);
  if (!error.empty()) job.set_error(error);
  if (verdict != v1::VERDICT_UNSPECIFIED) job.set_verdict(verdict);
  if ((state == v1::STARTING || state == v1::RUNNING) && !job.has_started_at()) {
    *job.mutable_started_at() = now;
  }
  if (IsFinal(state)) *job.mutable_ended_at() = now;
  return true;
}

void JobRegistry::SaveLocked(std::int64_t seq, const v1::Job& job) {
  try {
    store_->Save(StoredJob{seq, job});
  } catch (const StoreError& e) {
    // The executor cannot do anything about a full disk; keep serving the in-memory state.
    spdlog::error("job {}: state {} not persisted: {}", job.id(), v1::JobState_Name(job.state()),
                  e.what());
  }
}

void JobRegistry::OnStateChanged(const std::string& job_id, v1::JobState state,
                                 const std::string& error, v1::Verdict verdict) {
  std::lock_guard lock(mutex_);
  const auto it = seq_by_id_.find(job_id);
  if (it == seq_by_id_.end()) {
    spdlog::warn("state change for unknown job {} ignored", job_id);
    return;
  }
  v1::Job& job = jobs_.at(it->second);
  if (!ApplyStateLocked(job, state, error, verdict)) return;  // a job ends once
  SaveLocked(it->second, job);
  spdlog::info("job {} is now {}", job_id, v1::JobState_Name(state));
}

void JobRegistry::OnFinalReport(const std::string& job_id, const v1::Report& report) {
  std::lock_guard lock(mutex_);
  const auto it = seq_by_id_.find(job_id);
  if (it == seq_by_id_.end()) return;
  v1::Job& job = jobs_.at(it->second);
  const v1::Job& live = report.job();
  if (IsFinal(live.state()) &&
      ApplyStateLocked(job, live.state(), live.error(), report.verdict())) {
    spdlog::info("job {} is now {}", job_id, v1::JobState_Name(live.state()));
  }
  MergeLiveFields(live, job);
  // The engine's own times are exact; the registry only sees phases when it polls.
  if (live.has_started_at()) *job.mutable_started_at() = live.started_at();
  if (live.has_ended_at() && IsFinal(job.state())) *job.mutable_ended_at() = live.ended_at();
  v1::Report stored = report;
  *stored.mutable_job() = job;  // the registry's copy: redacted spec, its own timestamps
  try {
    store_->SaveEnded(StoredJob{it->second, job}, stored.SerializeAsString());
  } catch (const StoreError& e) {
    spdlog::error("job {}: final state and report not persisted: {}", job_id, e.what());
  }
}

}  // namespace throng::api
