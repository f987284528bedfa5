// throngd: the Throng daemon. All logic lives in throng::daemon (daemon/src).
#include "throng/daemon/daemon.h"
#include "throng/daemon/engine_executor.h"

int main(int argc, char** argv) {
  return throng::daemon::DaemonMain(argc, argv, throng::daemon::EngineExecutorFactory());
}
