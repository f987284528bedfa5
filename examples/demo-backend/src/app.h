#pragma once

#include "auth_store.h"
#include "faults.h"
#include "lockers.h"
#include "metrics.h"
#include "options.h"
#include "record_store.h"
#include "router.h"
#include "shop.h"

namespace demo {

/// Everything behind the sockets: the stores, the route table, faults and metrics.
/// Built once before serving; Handle() is thread-safe.
class App {
 public:
  explicit App(const BackendOptions& options);
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  RouteMatch Match(const Request& request) const { return router_.Match(request); }
  /// Runs the matched handler (or answers 404/405). Never throws: handler exceptions become 500.
  Response Handle(RouteMatch& match, const Request& request) const;

  const Faults& faults() const { return faults_; }
  Metrics& metrics() { return metrics_; }

 private:
  void RegisterAdminRoutes();

  BackendOptions options_;
  AuthStore auth_;
  RecordStore todos_;
  RecordStore items_;
  Shop shop_;
  Lockers lockers_;
  Faults faults_;
  Metrics metrics_;
  Router router_;
};

}  // namespace demo
