#pragma once
// How far a running replication has got, for a progress display in another thread. The run
// advances in slices (0.1 % of its duration: fine enough that a Cancel takes effect within a
// fraction of a second even for a month simulated) and publishes after each; results are the
// same as in one piece, since events are handled in the same order either way.

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <stdexcept>

#include "engine/simulation.hpp"

namespace kt::models {

struct RunProgress {
  std::atomic<std::int64_t> simulated_ns{0};
  std::atomic<std::uint64_t> events{0};
  // Set by another thread (the dashboard's Cancel): the run stops at its next slice, throwing
  // RunCancelled, so that no partial result is mistaken for a whole one.
  std::atomic<bool> cancel{false};
};

class RunCancelled : public std::runtime_error {
 public:
  RunCancelled() : std::runtime_error("the run was cancelled") {}
};

// Runs `sim` until `end`, publishing progress when `progress` is given.
inline void run_with_progress(Simulation& sim, SimTime end, RunProgress* progress) {
  if (!progress) {
    sim.run_until(end);
    return;
  }
  const SimTime slice = std::max<SimTime>(end / 1000, 1);
  for (SimTime t = std::min(sim.now() + slice, end);; t = std::min(t + slice, end)) {
    sim.run_until(t);
    progress->simulated_ns.store(t, std::memory_order_relaxed);
    progress->events.store(sim.events_handled(), std::memory_order_relaxed);
    if (progress->cancel.load(std::memory_order_relaxed)) throw RunCancelled();
    if (t >= end) break;
  }
}

}  // namespace kt::models
