#include "headless/progress_bar.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <string>

namespace kt::cli {

bool ProgressBar::stderr_is_terminal() {
  return ::isatty(STDERR_FILENO) != 0;
}

ProgressBar::ProgressBar(std::vector<models::RunProgress>& runs, SimTime duration, bool enabled)
    : runs_(runs), duration_(duration), started_(std::chrono::steady_clock::now()) {
  if (!enabled) return;
  thread_ = std::thread([this] {
    do {  // at least once, however short the run
      draw();
      for (int i = 0; i < 4 && !stop_.load(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    } while (!stop_.load());
  });
}

ProgressBar::~ProgressBar() {
  if (!thread_.joinable()) return;
  stop_.store(true);
  thread_.join();
  std::fputs("\r\033[K", stderr);  // clear the bar's line
  std::fflush(stderr);
}

void ProgressBar::draw() {
  double simulated = 0;
  double events = 0;
  for (const models::RunProgress& run : runs_) {
    simulated += to_seconds(run.simulated_ns.load(std::memory_order_relaxed));
    events += static_cast<double>(run.events.load(std::memory_order_relaxed));
  }
  const double total = to_seconds(duration_) * static_cast<double>(runs_.size());
  const double fraction = total > 0 ? std::min(1.0, simulated / total) : 0;
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  constexpr int kWidth = 24;
  const int filled = static_cast<int>(fraction * kWidth);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.append(static_cast<std::size_t>(kWidth - filled), '.');
  char eta[32] = "--";
  if (fraction > 0.01) std::snprintf(eta, sizeof eta, "%.0fs", wall / fraction - wall);
  // Simulated time summed over the runs, to the minute: "9h12m of 2d (2 runs of 1d)".
  const SimTime done = from_seconds(std::floor(simulated / 60) * 60);
  std::fprintf(stderr,
               "\r\033[K[%s] %3.0f%%  simulated %s of %s (%zu runs of %s)  %.1fM events/s  ETA %s",
               bar.c_str(), fraction * 100, format_duration(done).c_str(),
               format_duration(from_seconds(total)).c_str(), runs_.size(),
               format_duration(duration_).c_str(), wall > 0 ? events / wall / 1e6 : 0.0, eta);
  std::fflush(stderr);
}

}  // namespace kt::cli
