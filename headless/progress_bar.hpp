#pragma once
// The progress bar of `kubetwin run` on stderr: simulated time done over all runs, events per
// wall second, and the time left. Drawn by its own thread a few times a second, only when
// stderr is a terminal (and not with --quiet); cleared when the runs end.

#include <atomic>
#include <chrono>
#include <optional>
#include <thread>
#include <vector>

#include "engine/time.hpp"
#include "models/common/progress.hpp"
#include "runs/runner.hpp"

namespace kt::cli {

class ProgressBar {
 public:
  // `runs` entries, each simulating `duration`.
  ProgressBar(std::vector<models::RunProgress>& runs, SimTime duration, bool enabled);
  ~ProgressBar();  // stops the thread and clears the line
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // Whether stderr is an interactive terminal.
  static bool stderr_is_terminal();

 private:
  void draw();
  std::vector<models::RunProgress>& runs_;
  SimTime duration_;
  std::atomic<bool> stop_{false};
  std::chrono::steady_clock::time_point started_;
  std::thread thread_;
};

// The bar as the run library's observer: drawn while execute_runs runs.
class TerminalProgress final : public runs::RunObserver {
 public:
  explicit TerminalProgress(bool enabled) : enabled_(enabled) {}
  void begin(std::vector<models::RunProgress>& progress, SimTime longest) override {
    bar_.emplace(progress, longest, enabled_);
  }
  void end() override { bar_.reset(); }

 private:
  bool enabled_;
  std::optional<ProgressBar> bar_;
};

}  // namespace kt::cli
