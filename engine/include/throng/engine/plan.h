// The engine's job plan: plain C++ values the load engine runs. The api module converts the proto
// JobSpec into a Plan (validating it and parsing templates on the way); the engine never sees
// protobuf. Field meanings and defaults are documented in proto/throng/v1/job_spec.proto.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "throng/engine/execution_segment.h"
#include "throng/engine/http_types.h"
#include "throng/engine/limits.h"
#include "throng/engine/regex.h"
#include "throng/engine/target_guard.h"
#include "throng/engine/template.h"

namespace throng::engine {

using Duration = std::chrono::nanoseconds;

/// A uniformly random duration in [min, max]; min == max is a constant.
struct DurationRange {
  Duration min{0};
  Duration max{0};
};

/// Wait between a user's tasks.
struct WaitPlan {
  enum class Kind { kNone, kConstant, kBetween, kPacing };
  Kind kind = Kind::kNone;
  DurationRange range;  // kConstant: min == max; kPacing: min is the period
};

/// A JSON body whose string leaves are templates.
struct JsonBodyPlan {
  nlohmann::json shape;
  /// JSON Pointer of each templated string leaf and its template.
  std::vector<std::pair<nlohmann::json::json_pointer, Template>> strings;
};

struct FormBodyPlan {
  std::vector<std::pair<std::string, Template>> fields;
};

struct RawBodyPlan {
  Template body;
  std::string content_type = "text/plain";
};

struct JsonEqualsPlan {
  nlohmann::json::json_pointer pointer;
  nlohmann::json equals;
};

struct ExpectPlan {
  /// Empty: 200-399 is success.
  std::vector<unsigned> statuses;
  std::optional<Template> body_contains;
  std::vector<JsonEqualsPlan> json;
};

struct ExtractPlan {
  enum class Source { kJsonPointer, kHeader, kCookie, kRegex };
  enum class Action { kSet, kAppend };
  std::string var;
  Source source = Source::kJsonPointer;
  /// Pointer, header name, cookie name or regex source, per `source`.
  std::string expression;
  Action action = Action::kSet;
  bool required = false;
  /// source == kRegex: the pattern compiled with RE2 (linear time), once: by the converter at
  /// submit, else when the job starts.
  std::shared_ptr<const Regex> regex;
  /// source == kRegex: the regex searches only this many leading bytes of the body.
  std::size_t regex_max_bytes = kDefaultRegexMaxBytes;
  /// source == kJsonPointer: `expression` parsed, once per job when it starts.
  std::optional<nlohmann::json::json_pointer> pointer;
};

/// An HTTP request step. `endpoint` indexes Plan::endpoints (the stats key), assigned by the
/// converter: requests with the same (name, method) share one endpoint.
struct RequestPlan {
  std::uint32_t endpoint = 0;
  std::string method = "GET";
  Template path;
  std::vector<std::pair<std::string, Template>> headers;
  std::vector<std::pair<std::string, Template>> query;
  std::variant<std::monostate, JsonBodyPlan, FormBodyPlan, RawBodyPlan> body;
  ExpectPlan expect;
  std::vector<ExtractPlan> extract;
  Duration timeout{0};  // 0: HttpPlan::request_timeout
  /// Set when the job starts for a request without placeholders (method, path, query, headers
  /// with the job's defaults, body): its one rendering, sent by every user. Null: rendered per
  /// send.
  std::shared_ptr<const HttpRequest> fixed;
};

struct StepPlan;
using StepList = std::vector<StepPlan>;

struct BranchPlan {
  std::string name;
  std::uint32_t weight = 1;
  StepList steps;
};

struct ChoicePlan {
  std::vector<BranchPlan> branches;
};

struct RepeatPlan {
  std::uint32_t count = 1;
  StepList steps;
};

struct ThinkPlan {
  DurationRange range;
};

struct ListOpPlan {
  enum class Op { kPickRandom, kRemove, kPop, kClear };
  std::string list;
  Op op = Op::kPickRandom;
  std::string var;
};

struct SetVariablesPlan {
  std::vector<std::pair<std::string, Template>> values;
};

/// One step of a flow; `skip_if_empty` names a variable whose absence skips the step.
struct StepPlan {
  std::variant<RequestPlan, ThinkPlan, ChoicePlan, RepeatPlan, ListOpPlan, SetVariablesPlan> action;
  std::string skip_if_empty;
};

struct TaskPlan {
  std::string name;
  std::uint32_t weight = 1;
  StepList steps;
};

struct UserClassPlan {
  std::string name;
  std::uint32_t weight = 1;
  WaitPlan wait;
  StepList on_start;
  StepList on_stop;
  std::vector<TaskPlan> tasks;
  bool sequential = false;  // false: weighted random choice
};

struct FeederPlan {
  enum class Mode { kUnique, kRoundRobin, kRandom };
  std::string name;
  Mode mode = Mode::kUnique;
  /// Column names and rows (each row has one value per column). CSV and generated feeders are
  /// materialised by the converter.
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
};

struct UserStagePlan {
  Duration duration{0};
  std::uint32_t users = 0;
  double spawn_rate = 0;  // 0: linear ramp over the stage
  std::string name;
};

struct ClosedModelPlan {
  std::uint32_t users = 0;
  double spawn_rate = 0;  // 0: all at once
  std::vector<UserStagePlan> stages;
};

struct RateStagePlan {
  Duration duration{0};
  double rate = 0;
  std::string name;
};

struct OpenModelPlan {
  double rate = 0;
  std::vector<RateStagePlan> stages;
  std::uint32_t pre_allocated_users = 0;
  std::uint32_t max_users = 0;
  std::uint32_t max_queue = 0;  // 0: one second of arrivals
};

struct PerUserIterationsPlan {
  std::uint32_t users = 0;
  std::uint32_t iterations = 1;
  std::uint32_t max_concurrency = 0;  // 0: all users at once
};

struct SharedIterationsPlan {
  std::uint32_t users = 0;
  std::uint32_t iterations = 0;
};

struct LoadPlan {
  std::variant<ClosedModelPlan, OpenModelPlan, PerUserIterationsPlan, SharedIterationsPlan> model;
  /// Total run time; nullopt: unbounded (or until the iterations are done).
  std::optional<Duration> duration;
  Duration graceful_stop = std::chrono::seconds(30);
  /// This job's share of a fleet run (the whole by default); see execution_segment.h.
  ExecutionSegment segment;
};

struct HttpPlan {
  std::string scheme = "http";  // "http" or "https"
  std::string host;
  std::uint16_t port = 80;
  /// Path prefix of the base URL ("" or e.g. "/api"), prepended to request paths.
  std::string base_path;
  std::vector<std::pair<std::string, Template>> default_headers;
  Duration connect_timeout = std::chrono::seconds(5);
  Duration request_timeout = std::chrono::seconds(30);
  bool insecure_skip_verify = false;
  std::uint64_t max_body_bytes = 10 * 1024 * 1024;
  bool keep_alive = true;
  /// Redirect hops followed per request; 0: redirects are returned as responses.
  std::uint32_t max_redirects = kDefaultMaxRedirects;
  /// Checked on every resolved address before a connect (redirect hops included); null: no
  /// check (tests). Not owned: must outlive the job.
  const TargetGuard* target_guard = nullptr;
};

/// Statistics key of a request.
struct EndpointKey {
  std::string name;
  std::string method;
  friend bool operator==(const EndpointKey&, const EndpointKey&) = default;
};

/// A parsed threshold, e.g. "p(95) < 500ms". Values are in base units: seconds for latency
/// metrics, a 0..1 ratio for kFailRate, requests per second for kRps.
struct ThresholdPlan {
  enum class Metric { kPercentile, kAvg, kMin, kMax, kMedian, kFailRate, kRps };
  enum class Op { kLess, kLessEqual, kGreater, kGreaterEqual, kEqual };
  std::string expr;  // as written
  Metric metric = Metric::kPercentile;
  double percentile = 0;  // kPercentile only, in (0, 100]
  Op op = Op::kLess;
  double value = 0;
  std::string request_name;  // empty: all requests
  bool abort_on_fail = false;
  Duration abort_delay{0};
};

/// Which parts of a job run: all, or only setup (a fleet's setup, run once, whose extracted
/// variables the segments receive) or only teardown (a fleet's teardown, after every segment).
enum class JobPhases { kAll, kSetupOnly, kTeardownOnly };

/// Everything the engine needs to run one job.
struct Plan {
  std::string name;
  HttpPlan http;
  std::vector<UserClassPlan> user_classes;
  std::vector<FeederPlan> feeders;
  LoadPlan load;
  StepList setup;
  StepList teardown;
  std::map<std::string, std::string> variables;
  /// Distinct (name, method) pairs; RequestPlan::endpoint indexes this.
  std::vector<EndpointKey> endpoints;
  std::vector<ThresholdPlan> thresholds;
  /// Prometheus latency bucket upper bounds in seconds; empty: the daemon's defaults.
  std::vector<double> histogram_buckets;
  JobPhases phases = JobPhases::kAll;
  /// Wall-clock instant the load starts (after setup): a fleet's segments start together.
  /// Unset, or in the past: at once.
  std::optional<std::chrono::system_clock::time_point> load_start_at;
  /// A fleet run's id, shared by its segments (the `run` label of their series); "" outside one.
  std::string fleet_run_id;
};

}  // namespace throng::engine
