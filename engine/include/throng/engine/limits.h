// The engine's stated maxima. The spec layer reads them to refuse a plan beyond them with the
// field named; the engine refuses (JobError) or bounds what still reaches it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace throng::engine {

/// Open model: the highest arrival rate, in iterations per second (plan, stages, live changes).
inline constexpr double kMaxArrivalRate = 1'000'000;
/// Closed model: the highest spawn rate, in users per second (plan and stages).
inline constexpr double kMaxSpawnRate = 100'000;
/// Open model: arrivals the controller hands out per control step; the rest wait for the next
/// step, so one step never holds its worker for long.
inline constexpr std::size_t kMaxArrivalsPerStep = 10'000;
/// Closed model: users one worker starts in one turn of its event loop before it lets other work
/// run.
inline constexpr std::size_t kMaxSpawnsPerTurn = 1'000;
/// Steps (set, list operations, skipped requests, repeat rounds) a user runs without I/O before
/// it yields to its event loop.
inline constexpr std::uint32_t kMaxStepsWithoutIo = 1'000;
/// The least pause after an iteration that sent no request (the user's wait when longer).
inline constexpr std::chrono::seconds kNoRequestPause{1};
/// Default of ExtractPlan::regex_max_bytes: regular expressions search this much of a body.
inline constexpr std::size_t kDefaultRegexMaxBytes = std::size_t{1} << 20;

/// Redirect hops a request follows unless http.max_redirects says otherwise (FastHttpUser's
/// order of magnitude; docs/security.md says why not python-requests' 30).
inline constexpr std::uint32_t kDefaultMaxRedirects = 5;

}  // namespace throng::engine
