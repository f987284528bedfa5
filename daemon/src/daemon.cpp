#include "throng/daemon/daemon.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>
#include <pthread.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <iostream>

#include "http_port.h"
#include "service_options.h"
#include "throng/api/http/metrics_endpoint.h"
#include "throng/api/registry/job_registry.h"
#include "throng/api/service/service.h"
#include "throng/api/service/target_policy.h"
#include "throng/daemon/daemon_reloadables.h"
#include "throng/daemon/data_dir_lock.h"
#include "throng/daemon/logging.h"
#include "throng/daemon/memory_trimmer.h"
#include "throng/daemon/process_metrics.h"
#include "throng/daemon/reloader.h"
#include "throng/daemon/security.h"

#ifndef THRONG_VERSION
#define THRONG_VERSION "unknown"
#endif
#ifndef THRONG_GIT_COMMIT
#define THRONG_GIT_COMMIT ""
#endif

namespace throng::daemon {
namespace {

// In-flight RPCs get this long after SIGTERM; connected idle clients also hold shutdown open
// until it expires, so it is kept short.
constexpr auto kServerShutdownGrace = std::chrono::seconds(2);
/// How often free heap memory is returned to the system (a trim of a 30 MB heap takes well
/// under a millisecond).
constexpr auto kMemoryTrimPeriod = std::chrono::seconds(2);

void RequirePort(const std::string& flag, const std::string& address) {
  const auto colon = address.rfind(':');
  if (colon == std::string::npos || colon + 1 == address.size() ||
      address.find_first_not_of("0123456789", colon + 1) != std::string::npos) {
    throw UsageError(flag + ": '" + address + "' is not host:port");
  }
}

std::shared_ptr<prometheus::Registry> BuildInfoRegistry() {
  auto registry = std::make_shared<prometheus::Registry>();
  prometheus::Labels labels{{"version", THRONG_VERSION}};
  if (std::string(THRONG_GIT_COMMIT).size() > 0) labels["commit"] = THRONG_GIT_COMMIT;
  prometheus::BuildGauge()
      .Name("throngd_build_info")
      .Help("Build of the running throngd; always 1.")
      .Register(*registry)
      .Add(labels)
      .Set(1);
  return registry;
}

std::unique_ptr<grpc::Server> StartGrpc(const DaemonConfig& config, grpc::Service& service,
                                        int& port) {
  const std::string& address = config.grpc_listen;
  grpc::EnableDefaultHealthCheckService(true);
  if (ReflectionAllowed(config)) grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  // Without this gRPC sets SO_REUSEPORT and would share a port another server already holds.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.AddListeningPort(address, GrpcServerCredentials(config), &port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || port == 0) {
    throw BindError("--grpc-listen " + address + ": cannot listen (address in use or invalid)");
  }
  return server;
}

/// Blocks until SIGINT or SIGTERM arrives, reloading on each SIGHUP meanwhile (the signals are
/// blocked in every thread, so only this wait sees them; no async-signal-unsafe handler runs).
int WaitForTermination(const sigset_t& signals, const DaemonConfig& config, Reloader& reloader) {
  while (true) {
    int signal = 0;
    if (sigwait(&signals, &signal) != 0) continue;
    if (signal != SIGHUP) return signal;
    ReloadOnSignal(config, reloader);
  }
}

int Serve(const DaemonConfig& config, const ExecutorFactory& make_executor,
          const sigset_t& signals) {
  RequirePort("--grpc-listen", config.grpc_listen);
  RequirePort("--metrics-listen", config.metrics_listen);
  if (auto refusal = ListenRefusal(config)) throw UsageError(*refusal);
  if (config.insecure) {
    spdlog::warn(
        "--insecure: listening without requiring TLS and tokens; anyone who reaches {} "
        "can submit and stop jobs",
        config.grpc_listen);
  }
  const std::unique_ptr<api::Authorizer> authorizer = MakeAuthorizer(config);
  api::TargetPolicy policy(AllowTargetsOf(config));
  const DataDirLock lock(config.data_dir);  // before the registry: one daemon per data dir
  api::JobRegistry registry(std::make_unique<api::RegistryStore>(config.data_dir));
  if (registry.interrupted_on_open() > 0) {
    spdlog::warn("{} job(s) were running when the daemon last stopped; marked INTERRUPTED",
                 registry.interrupted_on_open());
  }
  if (registry.corrupt_on_open() > 0) {
    spdlog::error("{} job(s) have corrupt registry rows; listed as FAILED with the reason",
                  registry.corrupt_on_open());
  }
  // Freed memory goes back to the system, so RSS follows what the daemon holds (see the class).
  if (!ReturnLargeBlocksWhenFreed()) spdlog::warn("glibc refused M_MMAP_THRESHOLD");
  const MemoryTrimmer memory_trimmer(kMemoryTrimPeriod);
  Reloader reloader;
  AddDaemonReloadables(reloader, config, policy);
  if (!config.auth_token_file.empty()) {
    // The token file is read again on every SIGHUP; a file that no longer parses keeps the old
    // tokens valid (the refusal is logged).
    reloader.Add("auth-token-file", [&authorizer](const DaemonConfig&) {
      const grpc::Status status = authorizer->Reload();
      if (!status.ok()) throw std::runtime_error(status.error_message());
      return "bearer tokens reloaded: " + std::to_string(authorizer->token_count()) + " token(s)";
    });
  }

  api::http::MetricsEndpoint metrics;
  const std::shared_ptr<prometheus::Registry> build_info = BuildInfoRegistry();
  const auto process = std::make_shared<ProcessCollector>();
  metrics.RegisterCollectable(build_info);
  metrics.RegisterCollectable(process);
  std::unique_ptr<api::JobExecutor> executor =
      make_executor ? make_executor(config, metrics) : nullptr;

  api::LoadTesterService service(registry, policy, executor.get(),
                                 ServiceOptionsOf(config, authorizer.get()));
  std::unique_ptr<api::http::HttpServer> http =
      StartHttpPort(config, service.control(), metrics, *authorizer);
  int grpc_port = 0;
  std::unique_ptr<grpc::Server> server = StartGrpc(config, service, grpc_port);
  const int metrics_port = http->port();
  if (!executor) spdlog::warn("no job executor: jobs are registered but not run");

  const std::string http_base =
      "http://" + HostOf(config.metrics_listen) + ":" + std::to_string(metrics_port);
  std::cout << "grpc listening on " << HostOf(config.grpc_listen) << ":" << grpc_port << "\n"
            << "metrics listening on " << http_base << "\n";
  if (!HttpApiRefusal(config)) std::cout << "console at " << http_base << "/\n";
  std::cout << std::flush;
  spdlog::info("throngd {} ready: grpc port {}, metrics port {}, {} engine threads, data dir {}",
               THRONG_VERSION, grpc_port, metrics_port, config.threads, config.data_dir.string());

  const int signal = WaitForTermination(signals, config, reloader);
  spdlog::info("received {}, shutting down", signal == SIGINT ? "SIGINT" : "SIGTERM");
  service.BeginShutdown();
  server->GetHealthCheckService()->SetServingStatus(false);
  if (executor) executor->Shutdown();
  for (const std::string& id : registry.UnfinishedIds()) {
    registry.OnStateChanged(id, v1::STOPPED, "the daemon shut down before the job ran");
  }
  server->Shutdown(std::chrono::system_clock::now() + kServerShutdownGrace);
  server->Wait();
  spdlog::debug("grpc server stopped");
  http->Stop();  // closes event streams too; after the executor's final snapshots
  executor.reset();
  spdlog::info("throngd stopped");
  return kExitOk;
}

}  // namespace

int RunDaemon(const DaemonConfig& config, const ExecutorFactory& make_executor) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  // Threads inherit the mask, so gRPC's and the HTTP port's threads never take these signals.
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  try {
    return Serve(config, make_executor, signals);
  } catch (const BindError& e) {
    spdlog::error("{}", e.what());
    return kExitBind;
  } catch (const DataDirLockedError& e) {
    spdlog::error("{}", e.what());
    return kExitDataDirLocked;
  } catch (const UsageError& e) {
    spdlog::error("{}", e.what());
    return kExitUsage;
  } catch (const std::exception& e) {
    spdlog::error("cannot start: {}", e.what());
    return kExitFailure;
  }
}

int DaemonMain(int argc, const char* const* argv, const ExecutorFactory& make_executor) {
  ParsedCommandLine parsed = ParseCommandLine(argc, argv);
  if (!parsed.config) {
    (parsed.exit_code == 0 ? std::cout : std::cerr) << parsed.message << std::flush;
    return parsed.exit_code;
  }
  try {
    SetUpLogging(parsed.config->log_level, parsed.config->log_format);
  } catch (const std::exception& e) {
    std::cerr << e.what() << std::endl;
    return kExitUsage;
  }
  return RunDaemon(*parsed.config, make_executor);
}

}  // namespace throng::daemon
