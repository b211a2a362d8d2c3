#pragma once
// SIGINT, SIGTERM and SIGHUP while kubetwin runs: during the simulation they end the process
// at once (nothing has been written: the output folder only appears at the end); while the
// output folder is being written and renamed they wait until it is complete, so an
// interrupted run never leaves a half-written folder behind.

namespace kt::cli {

class InterruptDeferral {
 public:
  // Installs the handlers (once per process).
  static void install();
  // Signals that arrive between these two calls are held back and re-raised by end().
  static void begin();
  static void end();
};

}  // namespace kt::cli
