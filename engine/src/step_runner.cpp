#include "step_runner.h"

#include <algorithm>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "overloaded.h"
#include "throng/engine/limits.h"
#include "throng/engine/loop_yield.h"
#include "throng/engine/rendered_request_check.h"
#include "throng/engine/request_renderer.h"
#include "throng/engine/response_checks.h"
#include "weighted.h"

namespace throng::engine {
namespace {

namespace asio = boost::asio;

// The variable a repeat sets to its pass; templates read it as {{repeat_index}}.
constexpr std::string_view kRepeatIndexVariable = "repeat_index";

void RecordFailure(StepContext& context, const RequestPlan& request, const std::string& why) {
  context.failed = true;
  if (!context.first_error.empty()) return;
  const auto& endpoints = context.plan.endpoints;
  const std::string name =
      request.endpoint < endpoints.size() ? endpoints[request.endpoint].name : request.method;
  context.first_error = name + ": " + why;
}

// The request to send for `request`: the one rendered (and checked) once for the job when it has
// no placeholders, else rendered now into the context's buffer. Null when the rendered request
// cannot be sent: `response` then holds the failure (counted like any other, but no I/O
// happened, so the yield counter goes on).
const HttpRequest* RequestToSend(StepContext& context, const RequestPlan& request,
                                 HttpResponse& response) {
  if (request.fixed != nullptr) return request.fixed.get();
  RenderRequest(request, context.plan.http, context.state, context.request);
  if (std::optional<std::string> problem = RenderedRequestProblem(context.request)) {
    response.failure = FailureKind::kInvalidHeader;
    response.error = std::move(*problem);
    return nullptr;
  }
  return &context.request;
}

// What follows the response (or the render failure): checks, extractions, the sample.
void FinishRequest(StepContext& context, const RequestPlan& request, HttpResponse& response) {
  UserControl& control = context.control;
  if (control.cancelled) {
    // The stop cut it short: it says nothing about the target, but it is counted, never lost.
    response.failure = FailureKind::kUnfinished;
    response.error = "still in flight when the load ended";
    response.status = 0;
  }
  if (response.withheld_secure_cookie) {
    context.warn("a Secure cookie was not sent over http (use https or drop the Secure flag)");
  }
  ResponseJson json(response);
  CheckOutcome outcome = CheckExpectations(request.expect, response, context.state, json);
  if (outcome.failure == FailureKind::kNone) {
    outcome = ApplyExtractions(request.extract, response, *control.sender, context.state, json);
  }
  RequestSample sample;
  sample.latency = response.latency + context.start_delay.value_or(Duration::zero());
  sample.service_time = response.latency;
  context.start_delay.reset();
  sample.failure = outcome.failure;
  sample.status = response.status;
  sample.bytes_sent = response.bytes_sent;
  sample.bytes_received = response.bytes_received;
  sample.redirects = response.redirects;
  context.stats.RecordRequest(request.endpoint, sample);
  if (outcome.failure != FailureKind::kNone) {
    RecordFailure(
        context, request,
        outcome.message.empty() ? std::string(FailureKindName(outcome.failure)) : outcome.message);
  }
}

void RunListOp(StepContext& context, const ListOpPlan& op) {
  UserState& state = context.state;
  std::vector<std::string>& list = state.List(op.list);
  switch (op.op) {
    case ListOpPlan::Op::kPickRandom:
      if (list.empty()) {
        state.UnsetVariable(op.var);
      } else {
        std::uniform_int_distribution<std::size_t> pick(0, list.size() - 1);
        state.SetVariable(op.var, list[pick(state.Random())]);
      }
      break;
    case ListOpPlan::Op::kRemove: {
      const std::string* value = state.Variable(op.var);
      if (value == nullptr) break;
      auto it = std::find(list.begin(), list.end(), *value);
      if (it != list.end()) list.erase(it);
      break;
    }
    case ListOpPlan::Op::kPop:
      if (list.empty()) {
        state.UnsetVariable(op.var);
      } else {
        state.SetVariable(op.var, std::move(list.back()));
        list.pop_back();
      }
      break;
    case ListOpPlan::Op::kClear:
      list.clear();
      break;
  }
}

asio::awaitable<void> RunThink(StepContext& context, const ThinkPlan& think) {
  co_await Sleep(context.control, RandomDuration(think.range, context.state.Random()),
                 UserControl::Wait::kThink);
}

asio::awaitable<void> RunChoice(StepContext& context, const ChoicePlan& choice) {
  if (choice.branches.empty()) co_return;
  const std::size_t branch = PickWeighted(
      choice.branches.size(), [&](std::size_t i) { return choice.branches[i].weight; },
      context.state.Random());
  co_await RunSteps(context, choice.branches[branch].steps);
}

// Counts a step without I/O; true after kMaxStepsWithoutIo of them: the user must yield, so a
// flow that never waits (only `set`, skipped requests, a long repeat) cannot hold its worker.
bool MustYield(StepContext& context) {
  if (++context.steps_without_io < kMaxStepsWithoutIo) return false;
  context.steps_without_io = 0;
  return true;
}

// Runs the repeat's steps `count` times with {{repeat_index}} set to the pass (0-based); an
// enclosing repeat's index is visible again afterwards.
asio::awaitable<void> RunRepeat(StepContext& context, const RepeatPlan& repeat) {
  const std::string* outer = context.state.Variable(kRepeatIndexVariable);
  const std::optional<std::string> saved = outer ? std::optional(*outer) : std::nullopt;
  for (std::uint32_t i = 0; i < repeat.count && !context.control.cancelled; ++i) {
    context.state.SetVariable(kRepeatIndexVariable, std::to_string(i));
    co_await RunSteps(context, repeat.steps);
    if (MustYield(context)) co_await YieldToLoop(context.control);  // a repeat of nothing too
  }
  if (saved) {
    context.state.SetVariable(kRepeatIndexVariable, *saved);
  } else {
    context.state.UnsetVariable(kRepeatIndexVariable);
  }
}

void RunSetVariables(StepContext& context, const SetVariablesPlan& set) {
  for (const auto& [name, value] : set.values) {
    context.state.SetVariable(name, value.Render(context.state));
  }
}

// The steps that wait are coroutines; the others run in place. Every alternative is listed, so a
// new step kind does not compile until it is handled here. The lambdas capture nothing a
// coroutine outlives: each calls a coroutine function with its arguments.
asio::awaitable<void> RunStep(StepContext& context, const StepPlan& step) {
  if (!step.skip_if_empty.empty() && context.state.IsEmpty(step.skip_if_empty)) co_return;
  std::optional<asio::awaitable<void>> waits =
      std::visit(Overloaded{
                     [&](const RequestPlan&) -> std::optional<asio::awaitable<void>> {
                       return std::nullopt;  // RunSteps runs requests itself
                     },
                     [&](const ThinkPlan& think) -> std::optional<asio::awaitable<void>> {
                       return RunThink(context, think);
                     },
                     [&](const ChoicePlan& choice) -> std::optional<asio::awaitable<void>> {
                       return RunChoice(context, choice);
                     },
                     [&](const RepeatPlan& repeat) -> std::optional<asio::awaitable<void>> {
                       return RunRepeat(context, repeat);
                     },
                     [&](const ListOpPlan& list_op) -> std::optional<asio::awaitable<void>> {
                       RunListOp(context, list_op);
                       return std::nullopt;
                     },
                     [&](const SetVariablesPlan& set) -> std::optional<asio::awaitable<void>> {
                       RunSetVariables(context, set);
                       return std::nullopt;
                     },
                 },
                 step.action);
  if (waits) co_await std::move(*waits);
}

}  // namespace

void UserControl::RequestStop() {
  stop_requested = true;
  if (wait == Wait::kBetween || wait == Wait::kPaused || wait == Wait::kIdle) timer.cancel();
}

void UserControl::Cancel() {
  stop_requested = true;
  cancelled = true;
  timer.cancel();
  if (sender) sender->Close();
}

Duration RandomDuration(const DurationRange& range, std::mt19937_64& random) {
  if (range.max <= range.min) return range.min;
  std::uniform_int_distribution<Duration::rep> pick(range.min.count(), range.max.count());
  return Duration{pick(random)};
}

asio::awaitable<void> Sleep(UserControl& control, Duration duration, UserControl::Wait kind) {
  if (control.cancelled) co_return;
  const bool until_woken = kind == UserControl::Wait::kPaused || kind == UserControl::Wait::kIdle;
  if ((kind == UserControl::Wait::kBetween || until_woken) && control.stop_requested) co_return;
  control.wait = kind;
  if (until_woken) {
    control.timer.expires_at(asio::steady_timer::time_point::max());
  } else {
    control.timer.expires_after(std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::max(duration, Duration::zero())));
  }
  boost::system::error_code ec;
  co_await control.timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  control.wait = UserControl::Wait::kNone;
}

LoopPost YieldToLoop(UserControl& control) { return PostToLoop(control.timer.get_executor()); }

asio::awaitable<void> RunSteps(StepContext& context, const StepList& steps) {
  for (const StepPlan& step : steps) {
    if (context.control.cancelled) co_return;
    const RequestPlan* request = std::get_if<RequestPlan>(&step.action);
    if (request == nullptr) {
      co_await RunStep(context, step);
    } else if (step.skip_if_empty.empty() || !context.state.IsEmpty(step.skip_if_empty)) {
      // The hot path, awaited here rather than in a coroutine of its own: every frame costs a
      // request an allocation and a resume, and a redirect-following sender adds none unless
      // the response is a redirect.
      HttpResponse response;
      if (const HttpRequest* to_send = RequestToSend(context, *request, response)) {
        RequestSender& sender = *context.control.sender;
        co_await sender.Exchange(*to_send, response);
        if (sender.FollowsRedirect(response)) co_await sender.FollowRedirects(*to_send, response);
        ++context.requests_sent;
        context.steps_without_io = 0;
      }
      FinishRequest(context, *request, response);
    }
    if (MustYield(context)) co_await YieldToLoop(context.control);
  }
}

}  // namespace throng::engine
