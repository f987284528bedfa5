// throng-demo-backend: the HTTP target that Throng's demos, tests and benchmarks run against.
#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <iostream>

#include "app.h"
#include "server.h"

namespace {

// Splits "HOST:PORT" (HOST may be "[v6]"); false when malformed.
bool ParseListen(const std::string& listen, demo::BackendOptions& options) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == listen.size()) return false;
  std::string host = listen.substr(0, colon);
  if (host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  try {
    size_t used = 0;
    int port = std::stoi(listen.substr(colon + 1), &used);
    if (used != listen.size() - colon - 1 || port < 0 || port > 65535) return false;
    options.host = host;
    options.port = static_cast<uint16_t>(port);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace

int main(int argc, char** argv) {
  demo::BackendOptions options;
  std::string listen = "127.0.0.1:8000";
  long long hold_ttl_ms = options.hold_ttl.count();
  CLI::App cli{"Demo HTTP backend for Throng (todos, items, shop, lockers, auth, faults)"};
  // Last occurrence wins, so wrappers can append overrides to a default command line.
  cli.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  cli.add_option("--listen", listen, "HOST:PORT to listen on (port 0 picks a free port)");
  cli.add_option("--threads", options.threads, "I/O threads")->check(CLI::Range(1, 256));
  cli.add_option("--prepared-users", options.prepared_users,
                 "number of load_test_user_N accounts (password testpass123)")
      ->check(CLI::Range(0, 10000000));
  cli.add_flag("--secure-cookies", options.secure_cookies,
               "mark the session cookie Secure (browsers and clients drop it over http)");
  cli.add_option("--hold-ttl", hold_ttl_ms, "locker hold lifetime in milliseconds")
      ->check(CLI::Range(1LL, 86400000LL));
  cli.add_option("--lockers", options.lockers, "number of lockers")->check(CLI::Range(1, 1000000));
  CLI11_PARSE(cli, argc, argv);
  options.hold_ttl = std::chrono::milliseconds(hold_ttl_ms);
  if (!ParseListen(listen, options)) {
    std::cerr << "error: --listen must be HOST:PORT (port 0..65535), got '" << listen << "'\n";
    return 1;
  }

  demo::App app(options);
  std::unique_ptr<demo::Server> server;
  try {
    server = std::make_unique<demo::Server>(options.host, options.port, options.threads, app);
  } catch (const std::exception& e) {
    std::cerr << "error: cannot listen on " << listen << ": " << e.what() << "\n";
    return 1;
  }
  auto endpoint = server->endpoint();
  std::string host = endpoint.address().is_v6() ? "[" + endpoint.address().to_string() + "]"
                                                : endpoint.address().to_string();
  // Handlers are installed before announcing readiness so an early SIGTERM still exits cleanly.
  boost::asio::io_context signals_context;
  boost::asio::signal_set signals(signals_context, SIGINT, SIGTERM);
  signals.async_wait([](boost::system::error_code, int) {});
  server->Start();
  std::cout << "listening on http://" << host << ":" << endpoint.port() << std::endl;
  signals_context.run();
  server->Stop();
  return 0;
}
