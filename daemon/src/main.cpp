// throngd: the Throng daemon. All logic lives in throng::daemon (daemon/src).
#include "throng/daemon/daemon.h"

int main(int argc, char** argv) {
  // No executor factory yet: the load engine plugs in here through throng::api::JobExecutor.
  return throng::daemon::DaemonMain(argc, argv, nullptr);
}
