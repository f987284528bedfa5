// throngctl's command-line grammar (CLI11); the commands themselves live in commands.cpp.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <functional>
#include <iostream>
#include <ostream>

#include "throng/cli/commands.h"
#include "throng/cli/compare.h"
#include "throng/cli/converter.h"
#include "throng/cli/duration.h"
#include "throng/cli/error.h"
#include "throng/cli/fleet.h"

namespace throng::cli {
namespace {

// Locust-style overrides shared by validate, submit and run.
struct OverrideFlags {
  std::optional<unsigned> users;
  std::optional<double> spawn_rate;
  std::optional<std::string> run_time;
  std::optional<std::string> host;
  std::vector<std::string> env;
  Selection selection;

  void AddTo(CLI::App* command) {
    command->add_option("CLASS", selection.classes,
                        "Run only these user classes (Locust's positional class names)");
    command->add_option("-T,--tags", selection.tags, "Run only tasks with one of these tags")
        ->delimiter(',');
    command
        ->add_option("-E,--exclude-tags", selection.exclude_tags,
                     "Leave out tasks with any of these tags")
        ->delimiter(',');
    command->add_option("-u,--users", users, "Number of users (replaces stages)");
    command->add_option("-r,--spawn-rate", spawn_rate, "Users started per second");
    command->add_option("-t,--run-time", run_time, "Total run time, e.g. 90s, 1m30s");
    command->add_option("-H,--host", host, "Replaces base_url");
    command->add_option("-e,--var", env, "Job variable KEY=VALUE (repeatable)");
  }

  Overrides Build() const {
    Overrides overrides{users, spawn_rate, run_time, host, {}, selection};
    for (const std::string& entry : env) AddVariableOverride(entry, &overrides);
    return overrides;
  }
};

void AddReportFlags(CLI::App* command, ReportFiles* files) {
  command->add_option("--csv", files->csv_prefix,
                      "Write Locust-style CSV files PREFIX_stats.csv, PREFIX_stats_history.csv, "
                      "PREFIX_failures.csv");
  command->add_option("--html", files->html_file, "Write a self-contained HTML report");
  command->add_option("--json", files->json_file, "Write the report as JSON");
  command->add_option(
      "--junit", files->junit_file,
      "Write JUnit XML: each threshold and each endpoint's failures as a test case");
}

// The text of the fleet flags that need parsing.
struct FleetFlagText {
  std::string on_lost = "continue";
  std::string lost_after = "10s";
  std::string start_delay = "2s";
};

// A duration flag within [min, max].
std::chrono::milliseconds FleetDuration(const std::string& flag, const std::string& text,
                                        std::chrono::milliseconds min,
                                        std::chrono::milliseconds max) {
  std::chrono::nanoseconds value;
  try {
    value = ParseDuration(text);
  } catch (const InputError& error) {
    throw InputError(flag + ": " + error.what());
  }
  if (value < min || value > max) {
    throw InputError(flag + ": must be from " + std::to_string(min.count()) + "ms to " +
                     std::to_string(max.count() / 1000) + "s");
  }
  return std::chrono::duration_cast<std::chrono::milliseconds>(value);
}

// --fleet and its companions (run, report, update).
void AddFleetFlags(CLI::App* command, FleetArgs* fleet, FleetFlagText* text, bool with_run) {
  command->add_option("--fleet", fleet->addresses,
                      "Daemons of a fleet run: HOST:PORT,... or dns:///NAME:PORT (every address)");
  if (!with_run) return;
  command->add_option("--on-lost", text->on_lost, "A daemon lost mid-run: continue or abort")
      ->check(CLI::IsMember({"continue", "abort"}))
      ->capture_default_str();
  command->add_option("--lost-after", text->lost_after, "A daemon silent this long is lost")
      ->capture_default_str();
  command
      ->add_option("--start-delay", text->start_delay,
                   "The segments start together this long after submission begins")
      ->capture_default_str();
  command->add_option("--run-id", fleet->run_id, "Fleet run id (default: generated)");
}

// Flags of the commands that end with a job's report: Locust's --exit-code-on-error, and the
// console tables' rounding.
struct OutcomeFlags {
  int exit_code_on_error = kExitThresholdsFailed;
  bool locust_rounding = false;

  void AddTo(CLI::App* command) {
    command
        ->add_option("--exit-code-on-error", exit_code_on_error,
                     "Exit code when a job without thresholds had failures (0: ignore them)")
        ->check(CLI::Range(0, 125))
        ->capture_default_str();
    command->add_flag("--locust-rounding", locust_rounding,
                      "Console tables in whole milliseconds, exactly like Locust's");
  }
};

}  // namespace

int RunThrongctl(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CLI::App app{"throngctl: submit, watch and steer Throng load-test jobs"};
  app.require_subcommand(1);
  ClientOptions client;
  app.add_option("--daemon", client.daemon, "throngd gRPC address host:port")
      ->envname("THRONG_DAEMON")
      ->capture_default_str();
  app.add_flag("--tls", client.tls, "Connect with TLS");
  app.add_option("--ca-cert", client.ca_cert_file, "PEM file of CA certificates for --tls");
  app.add_option("--token", client.token, "Bearer token (prefer the THRONG_TOKEN variable)")
      ->envname("THRONG_TOKEN");

  std::string file;
  std::string id;
  OverrideFlags flags;
  std::string interval_text = "1s";
  std::function<int(Commands&)> action;

  auto with_overrides = [&](CLI::App* command) {
    command->add_option("FILE", file, "Scenario YAML file")->required();
    flags.AddTo(command);
    return command;
  };
  auto with_id = [&](CLI::App* command) {
    command->add_option("ID", id, "Job id")->required();
    return command;
  };
  auto interval = [&] {
    try {
      return std::chrono::duration_cast<std::chrono::milliseconds>(ParseDuration(interval_text));
    } catch (const InputError& error) {
      throw InputError(std::string("--interval: ") + error.what());
    }
  };

  bool remote = false;
  bool print_spec = false;
  auto* validate = with_overrides(app.add_subcommand("validate", "Check a scenario file"));
  validate->add_flag("--remote", remote, "Also have the daemon validate it (nothing starts)");
  validate->add_flag(
      "--print", print_spec,
      "Print the job spec as JSON (after overrides and selection; secrets redacted)");
  validate->callback([&] {
    action = [&](Commands& c) { return c.Validate(file, flags.Build(), remote, print_spec); };
  });
  with_overrides(app.add_subcommand("submit", "Submit a scenario; prints the job id"))
      ->callback([&] { action = [&](Commands& c) { return c.Submit(file, flags.Build()); }; });
  auto* run =
      with_overrides(app.add_subcommand("run", "Submit a scenario and watch it to the end"));
  run->add_option("--interval", interval_text, "Time between progress lines")
      ->capture_default_str();
  ReportFiles report_files;
  OutcomeFlags outcome;
  AddReportFlags(run, &report_files);
  outcome.AddTo(run);
  FleetArgs fleet;
  FleetFlagText fleet_text;
  AddFleetFlags(run, &fleet, &fleet_text, true);
  run->callback([&] {
    action = [&](Commands& c) {
      using std::chrono::milliseconds;
      fleet.abort_on_lost = fleet_text.on_lost == "abort";
      fleet.lost_after = FleetDuration("--lost-after", fleet_text.lost_after, milliseconds(1000),
                                       milliseconds(600'000));
      fleet.start_delay = FleetDuration("--start-delay", fleet_text.start_delay, milliseconds(0),
                                        milliseconds(600'000));
      if (!fleet.addresses.empty()) {
        return c.RunFleet(file, flags.Build(), fleet, interval(), report_files);
      }
      return c.Run(file, flags.Build(), interval(), report_files);
    };
  });

  std::vector<std::string> states;
  auto* list = app.add_subcommand("list", "List jobs, newest first");
  list->add_option("--state", states, "Only jobs in this state (repeatable)");
  list->callback([&] { action = [&](Commands& c) { return c.List(states); }; });

  with_id(app.add_subcommand("get", "Show a job as JSON"))->callback([&] {
    action = [&](Commands& c) { return c.Get(id); };
  });

  bool now = false;
  std::optional<std::string> grace;
  auto* stop = with_id(app.add_subcommand("stop", "Stop a job"));
  stop->add_flag("--now", now, "Stop at once, cancelling in-flight requests");
  stop->add_option("--grace", grace, "Grace period for in-flight iterations, e.g. 30s");
  stop->callback([&] { action = [&](Commands& c) { return c.Stop(id, now, grace); }; });

  with_id(app.add_subcommand("delete", "Forget a job that has ended (its report too)"))
      ->callback([&] { action = [&](Commands& c) { return c.Delete(id); }; });

  UpdateArgs update_args;
  bool pause = false;
  bool resume = false;
  auto* update = with_id(app.add_subcommand("update", "Change a running job"));
  update->add_option("--users", update_args.users, "New target user count");
  update->add_option("--rate", update_args.rate, "New arrival rate (iterations/s)");
  auto* pause_flag = update->add_flag("--pause", pause, "Pause the load");
  update->add_flag("--resume", resume, "Resume the load")->excludes(pause_flag);
  AddFleetFlags(update, &fleet, &fleet_text, false);
  update->callback([&] {
    if (pause || resume) update_args.paused = pause;
    action = [&](Commands& c) {
      if (!fleet.addresses.empty()) return c.UpdateFleet(id, fleet, update_args);
      return c.Update(id, update_args);
    };
  });

  auto* report = with_id(app.add_subcommand("report", "Print a job's report; write report files"));
  AddReportFlags(report, &report_files);
  outcome.AddTo(report);
  AddFleetFlags(report, &fleet, &fleet_text, false);
  report->callback([&] {
    action = [&](Commands& c) {
      if (!fleet.addresses.empty()) return c.ReportFleet(id, fleet, report_files);
      return c.Report(id, report_files);
    };
  });
  auto* watch = with_id(app.add_subcommand("watch", "Follow a job until it ends"));
  watch->add_option("--interval", interval_text, "Time between progress lines")
      ->capture_default_str();
  AddReportFlags(watch, &report_files);
  outcome.AddTo(watch);
  watch->callback(
      [&] { action = [&](Commands& c) { return c.Watch(id, interval(), report_files); }; });

  std::string base;
  std::string next;
  std::vector<std::string> max_regression;
  RegressionLimits limits;
  std::string compare_html;
  auto* compare = app.add_subcommand("compare", "Compare two runs (job ids or JSON reports)");
  compare->add_option("BASE", base, "Baseline: a job id or a JSON report file")->required();
  compare->add_option("NEW", next, "New run: a job id or a JSON report file")->required();
  compare->add_option("--max-regression", max_regression,
                      "Limit, e.g. 10% (p95), p99=20%, rps=5%, fail_rate=1% (repeatable; "
                      "default p95=10%)");
  compare
      ->add_option("--min-latency-change", limits.min_latency_change_ms,
                   "Latency changes below this many ms are never a regression")
      ->check(CLI::Range(0.0, 60000.0))
      ->capture_default_str();
  compare->add_option("--html", compare_html, "Write a side-by-side HTML page");
  compare->callback([&] {
    action = [&](Commands& c) {
      if (max_regression.empty()) max_regression.push_back("p95=10%");
      for (const std::string& limit : max_regression) AddRegressionLimit(limit, &limits);
      return c.Compare(base, next, limits, compare_html);
    };
  });

  std::vector<std::string> convert_args;
  std::string locustfile;
  std::string convert_output;
  bool strict = false;
  auto* convert = app.add_subcommand("convert", "Convert a Locust locustfile into a scenario");
  convert->add_option("LOCUSTFILE", locustfile, "The locustfile (Python)")->required();
  convert->add_option("-o,--output", convert_output, "Scenario file to write (default: stdout)");
  convert->add_flag("--strict", strict, "Exit 1 when anything could not be translated");
  convert->callback([&] {
    action = [&](Commands&) {
      convert_args = {locustfile};
      if (!convert_output.empty()) convert_args.insert(convert_args.end(), {"-o", convert_output});
      if (strict) convert_args.push_back("--strict");
      return RunConverter(convert_args, err);
    };
  });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error, out, err) == 0 ? kExitOk : kExitError;
  }
  // Redraw in place only on a real terminal; pipes and files get one line per interval.
  const bool terminal = &out == &std::cout && ::isatty(STDOUT_FILENO) == 1;
  Commands commands(client, out, err, terminal);
  commands.SetExitCodeOnError(outcome.exit_code_on_error);
  commands.SetLocustRounding(outcome.locust_rounding);
  try {
    return action(commands);
  } catch (const InputError& error) {  // flag values checked before a command's own guard
    err << error.what() << "\n";
    return kExitError;
  }
}

}  // namespace throng::cli
