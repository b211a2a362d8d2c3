#include "headless/interrupts.hpp"

#include <atomic>
#include <csignal>
#include <mutex>
#include <string>

#include <unistd.h>

namespace kt::cli {

namespace {

std::atomic<bool> deferring{false};
std::atomic<int> held{0};
// Two buffers: the handler prints the published one while a setter fills the other (setters
// take turns under the mutex; the handler takes no lock).
std::mutex setting;
std::string last_words[2];
std::atomic<const std::string*> published{nullptr};
int next_buffer = 0;

void say_last_words() {
  if (const std::string* text = published.load(); text && !text->empty()) {
    const char* p = text->data();
    std::size_t left = text->size();
    while (left > 0) {
      const ssize_t n = ::write(2, p, left);
      if (n <= 0) break;
      p += n;
      left -= static_cast<std::size_t>(n);
    }
  }
}

extern "C" void on_interrupt(int sig) {
  if (deferring.load()) {
    held.store(sig);
    return;
  }
  // Not writing: die as the signal's default action would (async-signal-safe calls only).
  say_last_words();
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

}  // namespace

void InterruptDeferral::install() {
  for (int sig : {SIGINT, SIGTERM, SIGHUP})
    std::signal(sig, on_interrupt);
}

void InterruptDeferral::set_last_words(const std::string& text) {
  const std::lock_guard<std::mutex> lock(setting);
  last_words[next_buffer] = text;
  published.store(&last_words[next_buffer]);
  next_buffer = 1 - next_buffer;
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
