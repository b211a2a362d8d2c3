#pragma once
// SIGINT, SIGTERM and SIGHUP while kubetwin runs: during the simulation they end the process
// at once (nothing has been written: the output folder only appears at the end); while the
// output folder is being written and renamed they wait until it is complete, so an
// interrupted run never leaves a half-written folder behind.

#include <string>

namespace kt::cli {

class InterruptDeferral {
 public:
  // Installs the handlers (once per process).
  static void install();
  // Signals that arrive between these two calls are held back and re-raised by end().
  static void begin();
  static void end();
  // What to print to stderr if a signal ends the process (a sweep's points still missing and
  // how to resume); empty: nothing. Any thread may set it.
  static void set_last_words(const std::string& text);
};

}  // namespace kt::cli
