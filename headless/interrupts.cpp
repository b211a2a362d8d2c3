#include "headless/interrupts.hpp"

#include <atomic>
#include <csignal>

namespace kt::cli {

namespace {

std::atomic<bool> deferring{false};
std::atomic<int> held{0};

extern "C" void on_interrupt(int sig) {
  if (deferring.load()) {
    held.store(sig);
    return;
  }
  // Not writing: die as the signal's default action would (async-signal-safe calls only).
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

}  // namespace

void InterruptDeferral::install() {
  for (int sig : {SIGINT, SIGTERM, SIGHUP})
    std::signal(sig, on_interrupt);
}

void InterruptDeferral::begin() {
  deferring.store(true);
}

void InterruptDeferral::end() {
  deferring.store(false);
  if (const int sig = held.exchange(0); sig != 0) {
    std::signal(sig, SIG_DFL);
    std::raise(sig);
  }
}

}  // namespace kt::cli
