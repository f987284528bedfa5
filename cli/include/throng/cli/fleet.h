// The daemons of a fleet run (`throngctl run --fleet`), as given on the command line.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace throng::cli {

/// Most daemons one --fleet may name (the API's segment limit).
inline constexpr std::size_t kMaxFleetDaemons = 1000;

/// What `--fleet` and its companion flags chose.
struct FleetArgs {
  /// "HOST:PORT,HOST:PORT,..." or "dns:///NAME:PORT" (every address NAME resolves to: the pods of
  /// a headless Service).
  std::string addresses;
  /// A daemon lost mid-run (unanswered for `lost_after`): abort every segment (true) or go on
  /// with the others (false).
  bool abort_on_lost = false;
  std::chrono::milliseconds lost_after{10'000};
  /// The segments' shared start instant is this far after the last submission's start.
  std::chrono::milliseconds start_delay{2'000};
  /// The run id (the `run` label); empty: generated ("fleet-YYYYmmdd-HHMMSS-XXXX").
  std::string run_id;
};

/// The daemons `text` names, in order (a DNS name's addresses sorted, so every throngctl sees
/// the same order). Throws InputError naming --fleet for an empty or malformed entry, a repeated
/// address, a name that resolves to nothing, or more than kMaxFleetDaemons daemons.
std::vector<std::string> ResolveFleet(const std::string& text);

/// "fleet-20261201-124501-3fa2": a run id unlikely to repeat.
std::string NewRunId();

}  // namespace throng::cli
