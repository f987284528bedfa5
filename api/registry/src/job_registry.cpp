#include "throng/api/registry/job_registry.h"

#include <fmt/format.h>
#include <google/protobuf/util/time_util.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <stdexcept>

#include "report_with_job.h"
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

/// The sequence number at the end of a job id ("j-20261121-000042" -> 42), if it has one.
std::optional<std::int64_t> SeqOfId(const std::string& id) {
  const std::size_t dash = id.rfind('-');
  if (dash == std::string::npos) return std::nullopt;
  std::int64_t seq = 0;
  const char* begin = id.data() + dash + 1;
  const char* end = id.data() + id.size();
  const auto [stop, ec] = std::from_chars(begin, end, seq);
  if (ec != std::errc() || stop != end || begin == end) return std::nullopt;
  return seq;
}

}  // namespace

JobRegistry::JobRegistry(std::unique_ptr<RegistryStore> store, Clock clock)
    : store_(std::move(store)),
      clock_(clock ? std::move(clock) : Clock([] { return std::chrono::system_clock::now(); })) {
  const auto now = ToTimestamp(clock_());
  for (StoredJob& stored : store_->LoadAll()) {
    if (!stored.corrupt.empty()) {
      MarkCorrupt(stored);
      ++corrupt_on_open_;
    } else if (!IsFinal(stored.job.state()) && stored.job.state() != v1::JOB_STATE_UNSPECIFIED) {
      InterruptOnOpen(stored, now);
      ++interrupted_on_open_;
    }
    next_seq_ = std::max(next_seq_, stored.seq + 1);
    const bool readable = stored.corrupt.empty();
    const auto [it, added] =
        jobs_.insert_or_assign(stored.seq, RegisteredJob(std::move(stored.job)));
    if (readable) ReleaseIfStoredLocked(it->first, it->second);  // a corrupt row stays in memory
  }
}

void JobRegistry::MarkCorrupt(StoredJob& stored) {
  spdlog::error(
      "job {} (registry row {}) cannot be read: {}; it is listed as FAILED, its row "
      "is kept as it is",
      stored.job.id(), stored.seq, stored.corrupt);
  stored.job.set_state(v1::FAILED);
  stored.job.set_verdict(v1::VERDICT_NONE);
  stored.job.set_error("the registry row of this job is corrupt: " + stored.corrupt);
}

void JobRegistry::InterruptOnOpen(StoredJob& stored, const google::protobuf::Timestamp& now) {
  v1::Job& job = stored.job;
  job.set_state(v1::INTERRUPTED);
  const std::optional<std::string> blob =
      stored.checkpointed_at ? store_->LoadReport(job.id()) : std::nullopt;
  v1::Report report;
  if (!blob || !report.ParseFromString(*blob)) {
    job.set_error("the daemon stopped while the job was running; no checkpoint was taken");
    *job.mutable_ended_at() = now;
    store_->Save(stored);
    return;
  }
  job.set_error(
      "the daemon stopped while the job was running; the report is its last "
      "checkpoint, at " +
      google::protobuf::util::TimeUtil::ToString(*stored.checkpointed_at));
  *job.mutable_ended_at() = *stored.checkpointed_at;
  report.set_final(true);  // nothing will change it any more
  store_->SaveEnded(stored, SerializedWithJob(SerializedReport::Of(report), job));
}

std::string JobRegistry::NewId(std::int64_t seq, std::chrono::system_clock::time_point now) {
  const auto day = std::chrono::floor<std::chrono::days>(now);
  const std::chrono::year_month_day ymd{day};
  return fmt::format("j-{:04}{:02}{:02}-{:06}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), seq);
}

std::chrono::sys_days JobRegistry::CreationDay(const RegisteredJob& entry) {
  return std::chrono::sys_days(std::chrono::days(entry.created_day()));
}

std::string JobRegistry::IdLocked(std::int64_t seq, const RegisteredJob& entry) {
  if (entry.live()) return entry.live()->id();
  return NewId(seq, CreationDay(entry));
}

void JobRegistry::ReleaseIfStoredLocked(std::int64_t seq, RegisteredJob& entry) {
  if (!entry.live()) return;
  // Only a job whose id its sequence number and creation day give back (every id this registry
  // makes) can be found again once its message is gone; another stays in memory.
  entry.Reindex();
  if (NewId(seq, CreationDay(entry)) == entry.live()->id()) entry.Release();
}

std::optional<std::int64_t> JobRegistry::FindLocked(const std::string& id) const {
  const std::optional<std::int64_t> seq = SeqOfId(id);
  if (!seq) return std::nullopt;
  const auto it = jobs_.find(*seq);
  if (it == jobs_.end() || IdLocked(it->first, it->second) != id) return std::nullopt;
  return seq;
}

v1::Job JobRegistry::JobLocked(std::int64_t seq, const RegisteredJob& entry) const {
  if (entry.live()) return *entry.live();
  std::string reason;
  try {
    std::optional<StoredJob> stored = store_->Load(seq);
    if (stored && stored->corrupt.empty()) return std::move(stored->job);
    reason = stored ? stored->corrupt : "its row is gone";
  } catch (const StoreError& e) {
    reason = e.what();
  }
  const std::string id = IdLocked(seq, entry);
  spdlog::error("job {} cannot be read back from the registry store: {}", id, reason);
  v1::Job job;
  job.set_id(id);
  job.set_state(entry.state());
  job.set_error("the registry row of this job cannot be read: " + reason);
  return job;
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
  jobs_.insert_or_assign(seq, RegisteredJob(job));
  return job;
}

std::optional<v1::Job> JobRegistry::Get(const std::string& id) const {
  std::lock_guard lock(mutex_);
  const std::optional<std::int64_t> seq = FindLocked(id);
  if (!seq) return std::nullopt;
  return JobLocked(*seq, jobs_.at(*seq));
}

absl::StatusOr<JobPage> JobRegistry::List(const std::vector<v1::JobState>& states,
                                          std::uint32_t page_size, const std::string& page_token,
                                          std::size_t max_bytes) const {
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
  std::size_t page_bytes = 0;
  std::lock_guard lock(mutex_);
  for (auto it = std::make_reverse_iterator(jobs_.lower_bound(below)); it != jobs_.rend(); ++it) {
    if (!wanted(it->second.state())) continue;
    const std::size_t job_bytes = it->second.ByteSize();
    if (page.jobs.size() == limit || (!page.jobs.empty() && page_bytes + job_bytes > max_bytes)) {
      page.next_page_token = std::to_string(last_seq);
      break;
    }
    page_bytes += job_bytes;
    page.jobs.push_back(JobLocked(it->first, it->second));
    last_seq = it->first;
  }
  return page;
}

std::vector<std::string> JobRegistry::UnfinishedIds() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> ids;
  for (const auto& [seq, job] : jobs_) {
    if (!IsFinal(job.state())) ids.push_back(IdLocked(seq, job));
  }
  return ids;
}

std::optional<v1::Report> JobRegistry::FinalReport(const std::string& id) const {
  v1::Report report;
  if (!FinalReportInto(id, report)) return std::nullopt;
  return report;
}

std::optional<std::string> JobRegistry::FinalReportBytes(const std::string& id) const {
  std::lock_guard lock(mutex_);
  const std::optional<std::int64_t> seq = FindLocked(id);
  if (!seq || !IsFinal(jobs_.at(*seq).state())) return std::nullopt;
  return store_->LoadReport(id);
}

bool JobRegistry::FinalReportInto(const std::string& id, v1::Report& into) const {
  const std::optional<std::string> blob = FinalReportBytes(id);
  if (!blob) return false;
  if (into.ParseFromString(*blob)) return true;
  into.Clear();
  return false;
}

absl::Status JobRegistry::Delete(const std::string& id) {
  std::lock_guard lock(mutex_);
  const std::optional<std::int64_t> seq = FindLocked(id);
  if (!seq) return absl::NotFoundError("id: no job '" + id + "'");
  if (!IsFinal(jobs_.at(*seq).state())) {
    return absl::FailedPreconditionError("id: job " + id +
                                         " has not ended (stop it first, then delete it)");
  }
  store_->Delete(id);
  jobs_.erase(*seq);
  return absl::OkStatus();
}

std::size_t JobRegistry::PruneEnded(std::size_t keep, std::chrono::seconds max_age) {
  std::lock_guard lock(mutex_);
  const auto oldest_kept = ToTimestamp(clock_() - max_age).seconds();  // ended before this: too old
  std::size_t ended = 0;
  std::vector<std::int64_t> doomed;
  for (auto it = jobs_.rbegin(); it != jobs_.rend(); ++it) {  // newest first
    const RegisteredJob& job = it->second;
    if (!IsFinal(job.state())) continue;
    ++ended;
    const bool too_old = max_age.count() > 0 && job.ended_at_seconds() < oldest_kept;
    if (ended > keep || too_old) doomed.push_back(it->first);
  }
  for (std::int64_t seq : doomed) {
    const std::string id = IdLocked(seq, jobs_.at(seq));
    try {
      store_->Delete(id);
    } catch (const StoreError& e) {
      spdlog::error("job {}: not pruned from the store: {}", id, e.what());
      continue;
    }
    jobs_.erase(seq);
  }
  return doomed.size();
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

bool JobRegistry::SaveLocked(std::int64_t seq, const v1::Job& job) {
  try {
    store_->Save(StoredJob{seq, job});
    return true;
  } catch (const StoreError& e) {
    // The executor cannot do anything about a full disk; keep serving the in-memory state.
    spdlog::error("job {}: state {} not persisted: {}", job.id(), v1::JobState_Name(job.state()),
                  e.what());
    return false;
  }
}

v1::Job& JobRegistry::EditLocked(std::int64_t seq, RegisteredJob& entry) {
  return entry.Edit(entry.live() ? v1::Job() : JobLocked(seq, entry));
}

void JobRegistry::OnStateChanged(const std::string& job_id, v1::JobState state,
                                 const std::string& error, v1::Verdict verdict) {
  std::lock_guard lock(mutex_);
  const std::optional<std::int64_t> seq = FindLocked(job_id);
  if (!seq) {
    spdlog::warn("state change for unknown job {} ignored", job_id);
    return;
  }
  RegisteredJob& entry = jobs_.at(*seq);
  if (IsFinal(entry.state())) return;  // a job ends once
  v1::Job& job = EditLocked(*seq, entry);
  ApplyStateLocked(job, state, error, verdict);
  if (SaveLocked(*seq, job)) {
    ReleaseIfStoredLocked(*seq, entry);
  } else {
    entry.Reindex();
  }
  spdlog::info("job {} is now {}", job_id, v1::JobState_Name(state));
}

void JobRegistry::OnFinalReport(const std::string& job_id, const v1::Report& report) {
  OnSerializedFinalReport(job_id, SerializedReport::Of(report));
}

void JobRegistry::OnSerializedFinalReport(const std::string& job_id,
                                          const SerializedReport& report) {
  std::lock_guard lock(mutex_);
  const std::optional<std::int64_t> seq = FindLocked(job_id);
  if (!seq) return;
  RegisteredJob& entry = jobs_.at(*seq);
  // Also after a final state change (the job is then read back from the store): the report
  // completes it.
  v1::Job& job = EditLocked(*seq, entry);
  const v1::Job& live = report.job;
  if (IsFinal(live.state()) && ApplyStateLocked(job, live.state(), live.error(), report.verdict)) {
    spdlog::info("job {} is now {}", job_id, v1::JobState_Name(live.state()));
  }
  MergeLiveFields(live, job);
  // The engine's own times are exact; the registry only sees phases when it polls.
  if (live.has_started_at()) *job.mutable_started_at() = live.started_at();
  if (live.has_ended_at() && IsFinal(job.state())) *job.mutable_ended_at() = live.ended_at();
  try {
    store_->SaveEnded(StoredJob{*seq, job}, SerializedWithJob(report, job));
    ReleaseIfStoredLocked(*seq, entry);
  } catch (const StoreError& e) {
    // The job stays in memory: the store does not have its final state.
    spdlog::error("job {}: final state and report not persisted: {}", job_id, e.what());
    entry.Reindex();
  }
}

void JobRegistry::OnCheckpoint(const std::string& job_id, const v1::Report& report) {
  OnSerializedCheckpoint(job_id, SerializedReport::Of(report));
}

void JobRegistry::OnSerializedCheckpoint(const std::string& job_id,
                                         const SerializedReport& report) {
  std::lock_guard lock(mutex_);
  const std::optional<std::int64_t> seq = FindLocked(job_id);
  if (!seq) return;
  RegisteredJob& entry = jobs_.at(*seq);
  if (IsFinal(entry.state())) return;  // the final report is stored; a late checkpoint is stale
  v1::Job& job = EditLocked(*seq, entry);
  MergeLiveFields(report.job, job);
  if (report.job.has_started_at()) *job.mutable_started_at() = report.job.started_at();
  try {
    store_->SaveCheckpoint(StoredJob{*seq, job}, SerializedWithJob(report, job),
                           ToTimestamp(clock_()));
  } catch (const StoreError& e) {
    spdlog::warn("job {}: checkpoint not persisted: {}", job_id, e.what());
  }
}

}  // namespace throng::api
